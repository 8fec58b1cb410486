/**
 * The clients in a real browser: the facade bundled by esbuild for the browser, loaded by a page
 * on one origin, calling the three sandbox servers on other origins (so CORS preflights, WebCrypto
 * hashing and signing, and fetch in the page are all exercised). Headless Debian Chromium.
 */
import { createServer } from "node:http";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { startSandbox } from "@signalbridge/sandbox";
import { launchChromium } from "@signalbridge/testkit";

let sandbox;
let page;
let browser;
let server;
const consoleErrors = [];
const hosts = new Set();

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0 });
  const bundle = await build({
    entryPoints: [fileURLToPath(new URL("../dist/index.js", import.meta.url))],
    bundle: true,
    format: "esm",
    platform: "browser",
    target: "es2022",
    write: false,
  });
  const js = bundle.outputFiles[0].text;
  const html = `<!doctype html><meta charset="utf-8"><title>signalbridge in the browser</title><link rel="icon" href="data:,">
<script type="module">import * as sdk from "/sdk.js"; window.sdk = sdk; document.title = "ready";</script>`;
  server = createServer((req, res) => {
    const js_ = req.url === "/sdk.js";
    res.writeHead(js_ ? 200 : req.url === "/" ? 200 : 404, { "content-type": js_ ? "text/javascript" : "text/html" });
    res.end(js_ ? js : req.url === "/" ? html : "");
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  browser = await launchChromium();
  page = await browser.newPage();
  page.on("console", (m) => m.type() === "error" && consoleErrors.push(m.text()));
  page.on("pageerror", (e) => consoleErrors.push(String(e)));
  page.on("request", (r) => hosts.add(new URL(r.url()).hostname));
  await page.goto(`http://127.0.0.1:${server.address().port}/`);
  await page.waitForFunction(() => document.title === "ready");
});

afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => (server ? server.close(resolve) : resolve()));
  await sandbox?.close();
});

describe("the facade in headless Chromium, against the sandbox on other origins", () => {
  test("every vendor's auth and a real operation work from a page", async () => {
    const endpointUuid = sandbox.fixtures.zstack.dingTalkEndpoints[0].uuid;
    const result = await page.evaluate(
      async ({ config, endpointUuid, appId }) => {
        const sb = window.sdk.createSignalBridge({ ...config, logLevel: "off" });
        const person = await sb.zstack.addDingTalkAtPerson({ phoneNumber: "+86-13700001111", endpointUuid, remark: "from a browser" });
        const { notice_id } = await sb.eiam.sendInSiteNotice({
          title: "From a browser",
          content: "hello",
          message_type: "TEXT",
          user_names: ["u1"],
        });
        const ruleIds = await sb.enos.createMessageRules({
          appId,
          rules: [{ ruleName: "browser rule", messageRule: { mark1: ["siteA"] } }],
        });
        let validation;
        try {
          await sb.eiam.sendInSiteNotice({ title: "", content: "c", message_type: "TEXT", all: true });
        } catch (e) {
          validation = { kind: e.kind, isValidationError: e instanceof window.sdk.ValidationError, message: e.message };
        }
        return { remark: person.remark, notice_id, ruleIds, validation };
      },
      { config: sandbox.config, endpointUuid, appId: sandbox.fixtures.enos.appId },
    );
    expect(result.remark).toBe("from a browser");
    expect(result.notice_id).toMatch(/\S/);
    expect(result.ruleIds).toHaveLength(1);
    expect(result.validation).toMatchObject({ kind: "validation", isValidationError: true });
    expect(result.validation.message).toContain("body.title: must not be empty");
    // Cross-origin calls with Authorization / apim-* / X-Job-UUID headers only succeed when the
    // servers answer the CORS preflights: each call arrived exactly once.
    expect(sandbox.eiam.requests.filter((r) => r.operationId === "sendInSiteNotice")).toHaveLength(1); // the invalid one never left the page
    expect(sandbox.enos.requests.filter((r) => r.operationId === "createMessageRules")).toHaveLength(1);
    expect(sandbox.zstack.requests.filter((r) => r.operationId === "AddSNSDingTalkAtPerson")).toHaveLength(1);
    expect(consoleErrors, consoleErrors.join("\n")).toEqual([]);
    expect([...hosts]).toEqual(["127.0.0.1"]);
  });
});
