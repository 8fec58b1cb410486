import { startTestServer, type TestServer } from "@signalbridge/testkit";
import { afterEach, describe, expect, it } from "vitest";
import { CONTEXT_PATH_HINT } from "../src/errors.js";
import { ZStackApiError } from "../src/index.js";
import { client, fakeZStack, type FakeZStack } from "./support.js";

/** A management node's servlet container: the API lives under /zstack, anything else is its own 404 page. */
const TOMCAT_404 =
  "<!doctype html><html><head><title>HTTP Status 404 – Not Found</title></head><body><h1>HTTP Status 404 – Not Found</h1></body></html>";

let server: TestServer | undefined;
let fake: FakeZStack | undefined;
afterEach(async () => {
  await server?.close();
  await fake?.server.close();
  server = fake = undefined;
});

describe("a base URL without the /zstack context path", () => {
  it("the 404 error says the base URL must include /zstack", async () => {
    server = await startTestServer(() => ({ status: 404, headers: { "content-type": "text/html" }, body: TOMCAT_404 }));
    const zs = client(server.url, { baseUrl: server.url }); // origin only: no /zstack
    const err = await zs.queryDingTalkAtPersons().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ZStackApiError);
    expect((err as ZStackApiError).status).toBe(404);
    expect((err as ZStackApiError).message).toContain(CONTEXT_PATH_HINT);
    expect(CONTEXT_PATH_HINT).toMatch(/^the ZStack base URL must include the \/zstack context path/);
    expect(server.requests.map((r) => r.pathname)).toEqual(["/v1/accounts/login"]);
  });

  it("ZStack's own 'no api mapping' 404 (the context path is right) carries no such hint", async () => {
    fake = await fakeZStack({ other: (req) => ({ status: 404, body: `no api mapping to ${req.pathname.replace(/^\/zstack/, "")}` }) });
    const err = (await client(fake.server.url)
      .queryDingTalkAtPersons()
      .catch((e: unknown) => e)) as ZStackApiError;
    expect(err.status).toBe(404);
    expect(err.message).toContain("no api mapping to /v1/sns/application-endpoints/ding-talk/at-persons");
    expect(err.message).not.toContain("context path");
  });
});
