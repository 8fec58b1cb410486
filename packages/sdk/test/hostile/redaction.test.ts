/**
 * Redaction that cannot age or be outrun (issue 8, item 6). Each test is one hole an adversarial
 * review found, reproduced against real HTTP servers on 127.0.0.1 (the sandbox's simulators, with
 * hostile answers injected as faults, or a small server of the testkit):
 * - a client's configured credential aged out of the scrub list after ~256 token renewals;
 * - a secret nested deeper than 8 levels in an error body was copied unredacted;
 * - `ZStackApiError.vendorError` was the vendor's error object as received;
 * - a stray `%` in a text switched off the scrubbing of percent-encoded secrets;
 * - one client's short secret ("wrong") masked words in every other client's messages;
 * - the current session was evicted by the transient values registered after it.
 * A secret is looked for in the error's message and stack, its fields, `JSON.stringify(error)`
 * and `util.inspect(error)` at unlimited depth (what console.log and most loggers print).
 */
import { createHash, randomUUID } from "node:crypto";
import { inspect } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSandbox, type Sandbox } from "@signalbridge/sandbox";
import { recordingLogger, startTestServer, type TestServer } from "@signalbridge/testkit";
import {
  EiamApiError,
  EiamAuthenticationError,
  EnosApiError,
  ZStackApiError,
  ZStackAuthenticationError,
  createEiamClient,
  createEnosClient,
  createZStackClient,
} from "../../src/index.js";
import { recordingFetch } from "../resilience/probe.js";

let sandbox: Sandbox;
const servers: TestServer[] = [];

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, zstack: { jobDurationMs: 5 } });
});

afterAll(async () => {
  await sandbox?.close();
  await Promise.all(servers.map((s) => s.close()));
});

const quiet = { logLevel: "off" as const, retry: false as const, timeoutMs: 10_000 };
const sha512 = (text: string) => createHash("sha512").update(text, "utf8").digest("hex");

/** Everything a user or a logger can see of an error, as one text. */
function everythingShown(error: unknown): string {
  const e = error as Error;
  return [e.message, e.stack ?? "", JSON.stringify(e), inspect(e, { depth: Infinity, showHidden: true })].join("\n");
}

async function failure(call: () => Promise<unknown>): Promise<Error> {
  try {
    await call();
  } catch (error) {
    return error as Error;
  }
  throw new Error("the call was expected to fail");
}

describe("redaction cannot age or be outrun", () => {
  it("EIAM: after 300 token renewals the client secret is still scrubbed from an answer that echoes it", async () => {
    const config = sandbox.config.eiam;
    const eiam = createEiamClient({ ...config, ...quiet });
    const { notice_id } = await eiam.sendInSiteNotice({ title: "t", content: "c", message_type: "TEXT", user_names: ["lisi"] });
    const issuedBefore = (sandbox.eiam.state() as { tokens: unknown[] }).tokens.length;
    for (let i = 0; i < 300; i++) {
      sandbox.eiam.expireTokens(); // the next call is refused invalid_token: one renewal each
      await eiam.getInSiteNoticeSendResult(notice_id);
    }
    // 300 renewals, each an access_token and an id_token (600 values: more than the old 512 slots)
    expect((sandbox.eiam.state() as { tokens: unknown[] }).tokens.length - issuedBefore).toBeGreaterThanOrEqual(300);

    sandbox.eiam.addFault({
      operation: "getInSiteNoticeSendResult",
      nth: 1,
      status: 400,
      body: JSON.stringify({
        error_code: "COM.0601",
        error_msg: `client secret ${config.clientSecret} is not allowed here`,
        echo: config.clientSecret,
      }),
    });
    const error = await failure(() => eiam.getInSiteNoticeSendResult(notice_id));
    expect(error).toBeInstanceOf(EiamApiError);
    expect(error.message).toContain("client secret [redacted] is not allowed here");
    expect(everythingShown(error)).not.toContain(config.clientSecret);
  }, 60_000);

  it("EnOS: a secret nested 20 levels deep in an error body is redacted, as is every level", async () => {
    const config = sandbox.config.enos;
    const enos = createEnosClient({ ...config, ...quiet });
    await enos.searchMessageRules({ ruleIds: [] }); // a token, so that the in-band answer below is the one seen
    let nested: Record<string, unknown> = { echo: `appSecret=${config.appSecret}`, password: "p4ssw0rd-in-body" };
    for (let depth = 0; depth < 20; depth++) nested = { level: nested, [`note${depth}`]: config.appSecret };
    sandbox.enos.addFault({
      operation: "searchMessageRules",
      nth: 1,
      status: 200,
      body: JSON.stringify({ code: 31500, message: "internal error", data: nested }),
    });
    const error = await failure(() => enos.searchMessageRules({ ruleIds: [] }));
    expect(error).toBeInstanceOf(EnosApiError);
    let body = (error as EnosApiError).body as { data: Record<string, unknown> };
    let level = body.data;
    for (let depth = 19; depth >= 0; depth--) {
      expect(level[`note${depth}`]).toBe("[redacted]");
      level = level.level as Record<string, unknown>;
    }
    expect(level).toEqual({ echo: "appSecret=[redacted]", password: "[redacted]" });
    body = JSON.parse(JSON.stringify(error)).body;
    expect(JSON.stringify(body)).toContain('"echo":"appSecret=[redacted]"');
    expect(everythingShown(error)).not.toContain(config.appSecret);
    expect(everythingShown(error)).not.toContain("p4ssw0rd-in-body");
  });

  it("ZStack: ZStackApiError.vendorError (the vendor's error object) carries neither the session nor the password", async () => {
    const config = sandbox.config.zstack;
    const wire = recordingFetch();
    const zs = createZStackClient({ ...config, ...quiet, fetch: wire.fetch });
    await zs.queryDingTalkAtPersons({});
    const session = wire.exchanges.map((x) => /^OAuth (.+)$/.exec(x.headers.authorization ?? "")?.[1]).find(Boolean)!;
    expect(session).toMatch(/^[0-9a-f]{32}$/);
    const hash = sha512(config.auth.password);
    sandbox.zstack.addFault({
      operation: "QuerySNSDingTalkAtPerson",
      nth: 1,
      status: 503,
      body: JSON.stringify({
        error: {
          code: "SYS.1000",
          description: `session ${session} refused`,
          details: `account ${config.auth.accountName} password ${config.auth.password} (sha512 ${hash.toUpperCase()})`,
          opaque: { sessionUuid: session, trace: [`OAuth ${session}`] },
          cause: { code: "ID.1002", details: `in session ${session}`, cause: { code: "SYS.1006", description: hash } },
        },
      }),
    });
    const error = await failure(() => zs.queryDingTalkAtPersons({}));
    expect(error).toBeInstanceOf(ZStackApiError);
    const vendorError = (error as ZStackApiError).vendorError as unknown as Record<string, unknown>;
    expect(vendorError.code).toBe("SYS.1000");
    expect(vendorError.description).toBe("session [redacted] refused");
    expect(vendorError.details).toBe(`account ${config.auth.accountName} password [redacted] (sha512 [redacted])`);
    expect((error as ZStackApiError).causeCodes).toEqual(["ID.1002", "SYS.1006"]);
    for (const secret of [session, config.auth.password, hash, hash.toUpperCase()]) {
      expect(JSON.stringify(vendorError)).not.toContain(secret);
      expect(everythingShown(error)).not.toContain(secret);
    }
  });

  it("EIAM: a percent-encoded secret is scrubbed even beside a stray `%` or a malformed escape", async () => {
    const secret = "Wr0ng/Secret: with spaces&more";
    const upper = encodeURIComponent(secret); // Wr0ng%2FSecret%3A%20with%20spaces%26more
    const lower = upper.replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase());
    const form = new URLSearchParams({ s: secret }).toString().slice(2); // spaces as "+"
    const server = await startTestServer(() => ({
      status: 401,
      body: {
        error: "invalid_client",
        error_description: `100% refused: client_secret=${upper} (lower-case: ${lower}, form: ${form}) %zz %`,
      },
    }));
    servers.push(server);
    const { lines, logger } = recordingLogger();
    const eiam = createEiamClient({ baseUrl: server.url, clientId: "app-1", clientSecret: secret, ...quiet, logger, logLevel: "debug" });
    const error = await failure(() => eiam.sendInSiteNotice({ title: "t", content: "c", message_type: "TEXT", user_names: ["lisi"] }));
    expect(error).toBeInstanceOf(EiamAuthenticationError);
    expect(server.requests[0]!.pathname).toBe("/api/v2/tenant/token"); // the answer was the token endpoint's
    expect(error.message).toContain("100% refused: client_secret=[redacted] (lower-case: [redacted], form: [redacted]) %zz %");
    const shown = everythingShown(error) + lines.join("\n");
    for (const form of [secret, upper, lower, new URLSearchParams({ s: secret }).toString().slice(2)]) expect(shown).not.toContain(form);
  });

  it('two clients: one\'s short secret "wrong" masks its own output only, not the other vendor\'s "wrong … password"', async () => {
    const hostile = await startTestServer(() => ({
      status: 401,
      body: { error: "invalid_client", error_description: "client secret wrong is wrong" },
    }));
    servers.push(hostile);
    const eiam = createEiamClient({ baseUrl: hostile.url, clientId: "app-1", clientSecret: "wrong", ...quiet });
    const own = await failure(() => eiam.sendInSiteNotice({ title: "t", content: "c", message_type: "TEXT", user_names: ["lisi"] }));
    expect(own).toBeInstanceOf(EiamAuthenticationError);
    expect(own.message).toContain("client secret [redacted] is [redacted]");

    const { lines, logger } = recordingLogger();
    const config = sandbox.config.zstack;
    const zs = createZStackClient({
      baseUrl: config.baseUrl,
      auth: { accountName: config.auth.accountName, password: "Not-The-Password-1" },
      ...quiet,
      logger,
      logLevel: "warn",
    });
    const other = await failure(() => zs.queryDingTalkAtPersons({}));
    expect(other).toBeInstanceOf(ZStackAuthenticationError);
    expect(other.message).toContain("wrong account name or password");
    expect(((other as ZStackAuthenticationError).vendorError as { details?: string }).details).toBe("wrong account name or password");
    expect(JSON.stringify(other)).toContain("wrong account name or password");
    expect(lines.join("\n")).not.toContain("[redacted] account");
  });

  it("EIAM: every field of an error is redacted, the request id a hostile gateway sets included", async () => {
    const token = `tok-${randomUUID()}`;
    const server = await startTestServer((request) =>
      request.pathname === "/api/v2/tenant/token"
        ? { body: { access_token: token, token_type: "bearer", expires_in: 1800, scope: "all" } }
        : {
            status: 400,
            headers: { "x-request-id": `req-${token}` },
            body: { error_code: ` ${token}`, error_msg: `bearer ${token} not allowed`, echo: { deeper: [token] } },
          },
    );
    servers.push(server);
    const eiam = createEiamClient({ baseUrl: server.url, clientId: "app-1", clientSecret: "app-secret-0001", ...quiet });
    const error = await failure(() => eiam.getInSiteNoticeSendResult("n-1"));
    expect(error).toBeInstanceOf(EiamApiError);
    const e = error as EiamApiError;
    expect([e.requestId, e.code, e.message]).toEqual([
      "req-[redacted]",
      "[redacted]",
      "eiam getInSiteNoticeSendResult failed: HTTP 400 [redacted]: bearer [redacted] not allowed",
    ]);
    expect(e.body).toEqual({ error_code: " [redacted]", error_msg: "bearer [redacted] not allowed", echo: { deeper: ["[redacted]"] } });
    for (const [key, value] of Object.entries(e)) expect(JSON.stringify(value) ?? "", key).not.toContain(token);
    expect(everythingShown(error)).not.toContain(token);
  });

  it("EIAM: a long plain-text answer is scrubbed before it is shortened, so the cut cannot leave half a token", async () => {
    const token = `tok-${randomUUID()}`;
    const server = await startTestServer((request) =>
      request.pathname === "/api/v2/tenant/token"
        ? { body: { access_token: token, token_type: "bearer", expires_in: 1800, scope: "all" } }
        : // the message is cut at 117 characters: in the middle of the echoed token
          { status: 502, headers: { "content-type": "text/plain" }, body: `${"upstream said: ".padEnd(100, ".")}${token} was refused` },
    );
    servers.push(server);
    const eiam = createEiamClient({ baseUrl: server.url, clientId: "app-1", clientSecret: "app-secret-0001", ...quiet });
    const error = await failure(() => eiam.getInSiteNoticeSendResult("n-1"));
    expect(error).toBeInstanceOf(EiamApiError);
    expect(error.message).toContain(`${"upstream said: ".padEnd(100, ".")}[redacted]`);
    expect(everythingShown(error)).not.toContain(token.slice(0, 12));
  });

  it("ZStack and EnOS: a request signature a hostile server echoes is scrubbed", async () => {
    const zstackServer = await startTestServer((request) => ({
      status: 503,
      body: { error: { code: "SYS.1000", details: `signature ${request.headers.authorization!.split(":")[1]} rejected` } },
    }));
    const enosServer = await startTestServer((request) =>
      request.pathname.endsWith("/token/get")
        ? {
            body: { status: 0, msg: "SUCCESS", business: "apim-token-service", data: { accessToken: `tok-${randomUUID()}`, expire: 7200 } },
          }
        : { body: { code: 31401, message: `signature ${request.headers["apim-signature"]} does not match`, data: null } },
    );
    servers.push(zstackServer, enosServer);

    const zs = createZStackClient({
      baseUrl: `${zstackServer.url}/zstack`,
      auth: { accessKeyId: "ak-1", accessKeySecret: "ak-secret-0001" },
      ...quiet,
    });
    const zstackError = await failure(() => zs.queryDingTalkAtPersons({}));
    const zstackSignature = zstackServer.requests[0]!.headers.authorization!.split(":")[1]!;
    expect(zstackError).toBeInstanceOf(ZStackApiError);
    expect(zstackError.message).toContain("signature [redacted] rejected");
    expect(everythingShown(zstackError)).not.toContain(zstackSignature);

    const enos = createEnosClient({ baseUrl: enosServer.url, appKey: "app-key-1", appSecret: "app-secret-0001", orgId: "o-1", ...quiet });
    const enosError = await failure(() => enos.searchMessageRules({ ruleIds: [] }));
    const enosSignature = enosServer.requests.find((r) => r.headers["apim-signature"])!.headers["apim-signature"]!;
    expect(enosError).toBeInstanceOf(EnosApiError);
    expect(enosError.message).toContain("signature [redacted] does not match");
    expect(everythingShown(enosError)).not.toContain(enosSignature);
  });

  it("ZStack: the current session is never evicted, however many transient values come after it", async () => {
    const config = sandbox.config.zstack;
    const wire = recordingFetch();
    const zs = createZStackClient({ ...config, ...quiet, fetch: wire.fetch });
    await zs.queryDingTalkAtPersons({});
    const session = wire.exchanges.map((x) => /^OAuth (.+)$/.exec(x.headers.authorization ?? "")?.[1]).find(Boolean)!;
    expect(session).toMatch(/^[0-9a-f]{32}$/);
    // Each session passed to validateSession is remembered too (it travels in the URL path):
    // 600 of them, more than the old 512-value list held.
    for (let i = 0; i < 600; i++) expect(await zs.validateSession(randomUUID().replace(/-/g, ""))).toBe(false);
    sandbox.zstack.addFault({
      operation: "QuerySNSDingTalkAtPerson",
      nth: 1,
      status: 503,
      body: JSON.stringify({ error: { code: "SYS.1000", details: `session ${session} is busy` } }),
    });
    const error = await failure(() => zs.queryDingTalkAtPersons({}));
    expect(error).toBeInstanceOf(ZStackApiError);
    expect(error.message).toContain("session [redacted] is busy");
    expect(everythingShown(error)).not.toContain(session);
  }, 60_000);
});
