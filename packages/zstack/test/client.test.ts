import { afterEach, describe, expect, it } from "vitest";
import { plainHttpRuleMismatches, recordingLogger, refusedUrl, startTestServer, type TestServer } from "@signalbridge/testkit";
import {
  ApiError,
  AuthenticationError,
  ConfigurationError,
  NetworkError,
  ResponseShapeError,
  TimeoutError,
  ValidationError,
} from "@signalbridge/core";
import { createZStackClient, ZStackApiError, ZStackAuthenticationError } from "../src/index.js";
import {
  ACCOUNT,
  AT,
  ENDPOINT,
  INTERNAL,
  PASSWORD,
  PASSWORD_SHA512,
  client,
  fakeZStack,
  inventory,
  silent,
  vendorError,
  type FakeZStack,
} from "./support.js";

let fake: FakeZStack | undefined;
let extra: TestServer | undefined;
afterEach(async () => {
  await fake?.server.close();
  await extra?.close();
  fake = undefined;
  extra = undefined;
});

const HEX32 = /^[0-9a-f]{32}$/;

describe("login and session", () => {
  it("logs in with the SHA-512 hex of the password, without Authorization, and reuses the session", async () => {
    fake = await fakeZStack();
    const zs = client(fake.server.url);
    await zs.queryDingTalkAtPersons();
    await zs.queryDingTalkAtPersons();

    const [login, ...more] = fake.logins();
    expect(more).toHaveLength(0);
    expect(login!.method).toBe("PUT");
    expect(login!.pathname).toBe("/zstack/v1/accounts/login");
    expect(login!.headers.authorization).toBeUndefined();
    expect(login!.headers["content-type"]).toMatch(/^application\/json/);
    expect(login!.json()).toEqual({ logInByAccount: { accountName: ACCOUNT, password: PASSWORD_SHA512 } });
    for (const q of fake.others()) expect(q.headers.authorization).toBe(`OAuth ${fake.sessions[0]}`);
  });

  it("logs in once for any number of concurrent calls", async () => {
    fake = await fakeZStack();
    const zs = client(fake.server.url);
    await Promise.all(Array.from({ length: 20 }, () => zs.queryDingTalkAtPersons()));
    expect(fake.logins()).toHaveLength(1);
    expect(fake.others()).toHaveLength(20);
  });

  it("accepts a pre-hashed password and an accountType", async () => {
    fake = await fakeZStack();
    const zs = client(fake.server.url, {
      auth: { accountName: ACCOUNT, passwordSha512: PASSWORD_SHA512.toUpperCase(), accountType: "ZStack" },
    });
    await zs.queryDingTalkAtPersons();
    expect(fake.logins()[0]!.json()).toEqual({
      logInByAccount: { accountName: ACCOUNT, password: PASSWORD_SHA512, accountType: "ZStack" },
    });
  });

  it("a wrong password is an AuthenticationError with ID.1000 (also when wrapped in a cause)", async () => {
    fake = await fakeZStack({
      login: () => ({
        status: 503,
        body: vendorError("SYS.1006", "login failed", { code: "ID.1000", details: "wrong account name or password" }),
      }),
    });
    const zs = client(fake.server.url);
    const err = await zs.queryDingTalkAtPersons().catch((e) => e);
    expect(err).toBeInstanceOf(ZStackAuthenticationError);
    expect(err).toBeInstanceOf(AuthenticationError);
    expect(err.kind).toBe("authentication");
    expect(err.operation).toBe("LogInByAccount");
    expect(err.status).toBe(503);
    expect(err.code).toBe("SYS.1006");
    expect(err.causeCodes).toEqual(["ID.1000"]);
    expect(err.hasCode("ID.1000")).toBe(true);
    expect(err.message).toContain("wrong account name or password");
    expect(fake.logins()).toHaveLength(1);
    expect(fake.others()).toHaveLength(0);
  });

  it("a sync call answered ID.1001 logs in again once and re-sends", async () => {
    fake = await fakeZStack({
      other: (_req, n) => (n === 0 ? { status: 503, body: vendorError("ID.1001", "Session expired") } : { body: { inventories: [] } }),
    });
    const zs = client(fake.server.url);
    await expect(zs.queryDingTalkAtPersons()).resolves.toEqual({ inventories: [] });
    expect(fake.logins()).toHaveLength(2);
    const [first, second] = fake.others();
    expect(first!.headers.authorization).toBe(`OAuth ${fake.sessions[0]}`);
    expect(second!.headers.authorization).toBe(`OAuth ${fake.sessions[1]}`);
  });

  it("ID.1001 twice in a row is an AuthenticationError after one renewal", async () => {
    fake = await fakeZStack({ other: () => ({ status: 503, body: vendorError("ID.1001", "Session expired") }) });
    const zs = client(fake.server.url);
    const err = await zs.queryDingTalkAtPersons().catch((e) => e);
    expect(err).toBeInstanceOf(ZStackAuthenticationError);
    expect(err.code).toBe("ID.1001");
    expect(fake.logins()).toHaveLength(2);
    expect(fake.others()).toHaveLength(2);
  });

  it("a given session is sent as is and cannot be renewed: ID.1001 is an AuthenticationError", async () => {
    fake = await fakeZStack({ other: () => ({ status: 503, body: vendorError("ID.1001", "Session expired") }) });
    const zs = client(fake.server.url, { auth: { sessionUuid: "given-session-0001" } });
    const err = await zs.queryDingTalkAtPersons().catch((e) => e);
    expect(err).toBeInstanceOf(ZStackAuthenticationError);
    expect(fake.logins()).toHaveLength(0);
    expect(fake.others()).toHaveLength(1);
    expect(fake.others()[0]!.headers.authorization).toBe("OAuth given-session-0001");
  });

  it("validateSession and logOut address the session in the path, without Authorization", async () => {
    fake = await fakeZStack({
      other: (req) =>
        req.pathname.endsWith("/valid")
          ? { body: { valid: true } }
          : req.method === "DELETE"
            ? { body: {} }
            : { body: { inventories: [] } },
    });
    const zs = client(fake.server.url);
    expect(await zs.validateSession()).toBe(false); // no session yet
    await zs.queryDingTalkAtPersons();
    const session = fake.sessions[0]!;
    expect(await zs.validateSession()).toBe(true);
    await zs.logOut();
    const reqs = fake.server.requests.filter((r) => r.pathname.startsWith("/zstack/v1/accounts/sessions/"));
    expect(reqs.map((r) => `${r.method} ${r.pathname}`)).toEqual([
      `GET /zstack/v1/accounts/sessions/${session}/valid`,
      `DELETE /zstack/v1/accounts/sessions/${session}`,
    ]);
    for (const r of reqs) expect(r.headers.authorization).toBeUndefined();
    // after logOut the next call logs in again
    await zs.queryDingTalkAtPersons();
    expect(fake.logins()).toHaveLength(2);
    expect(await zs.validateSession("other-session")).toBe(true);
  });
});

describe("addDingTalkAtPerson on the wire", () => {
  it("POSTs {params, systemTags, userTags} with a fresh X-Job-UUID, then polls the job on the configured host", async () => {
    fake = await fakeZStack({ job: () => [{ status: 202, body: {} }, { status: 202, body: {} }, { body: { inventory: inventory() } }] });
    const zs = client(fake.server.url);
    const person = await zs.addDingTalkAtPerson({
      phoneNumber: "+86-18988887777",
      endpointUuid: ENDPOINT,
      remark: "jack",
      tagUuids: ["4f1c2e0f1c1b4d8a9c3b2a1d0e9f8a7b"],
      userTags: ["oncall"],
    });
    expect(person).toEqual(inventory());

    const [submit, ...again] = fake.submits();
    expect(again).toHaveLength(0);
    expect(submit!.method).toBe("POST");
    expect(submit!.pathname).toBe(AT);
    expect(submit!.headers.authorization).toBe(`OAuth ${fake.sessions[0]}`);
    expect(submit!.headers["content-type"]).toMatch(/^application\/json/);
    expect(submit!.headers["x-job-uuid"]).toMatch(HEX32);
    expect(submit!.json()).toEqual({
      params: { phoneNumber: "+86-18988887777", endpointUuid: ENDPOINT, remark: "jack", tagUuids: ["4f1c2e0f1c1b4d8a9c3b2a1d0e9f8a7b"] },
      userTags: ["oncall"],
    });
    const polls = fake.polls();
    expect(polls).toHaveLength(3);
    for (const p of polls) {
      // the location named the management node's internal IP; the client polled the configured base URL
      expect(p.method).toBe("GET");
      expect(p.pathname).toBe(`/zstack/v1/api-jobs/${submit!.headers["x-job-uuid"]}`);
      expect(p.headers.authorization).toBeUndefined();
    }
  });

  it("a failed job (poll 503 SYS.1007) is a ZStackApiError naming the operation and the job", async () => {
    fake = await fakeZStack({
      job: () => [{ status: 503, body: vendorError("SYS.1007", "phone number[+86-18988887777] already exists") }],
    });
    const zs = client(fake.server.url);
    const err = await zs.addDingTalkAtPerson({ phoneNumber: "+86-18988887777", endpointUuid: ENDPOINT }).catch((e) => e);
    expect(err).toBeInstanceOf(ZStackApiError);
    expect(err).toBeInstanceOf(ApiError);
    expect(err.kind).toBe("api");
    expect(err.vendor).toBe("zstack");
    expect(err.operation).toBe("AddSNSDingTalkAtPerson");
    expect(err.status).toBe(503);
    expect(err.code).toBe("SYS.1007");
    expect(err.jobUuid).toBe(fake.submits()[0]!.headers["x-job-uuid"]);
    expect(err.vendorError.details).toContain("already exists");
    expect(err.message).toContain("already exists");
    expect(fake.submits()).toHaveLength(1);
    expect(fake.polls()).toHaveLength(1); // a failed job is final: not re-polled
  });

  it("ID.1001 at poll time means the submit never ran: log in again and re-submit once, with a new X-Job-UUID", async () => {
    fake = await fakeZStack({
      job: (_req, n) =>
        n === 0 ? [{ status: 503, body: vendorError("ID.1001", "Session expired") }] : [{ body: { inventory: inventory() } }],
    });
    const zs = client(fake.server.url);
    await expect(zs.addDingTalkAtPerson({ phoneNumber: "+86-18988887777", endpointUuid: ENDPOINT })).resolves.toEqual(inventory());
    const [a, b] = fake.submits();
    expect(fake.submits()).toHaveLength(2);
    expect(fake.logins()).toHaveLength(2);
    expect(a!.headers.authorization).toBe(`OAuth ${fake.sessions[0]}`);
    expect(b!.headers.authorization).toBe(`OAuth ${fake.sessions[1]}`);
    expect(a!.headers["x-job-uuid"]).not.toBe(b!.headers["x-job-uuid"]);
    expect(b!.body).toBe(a!.body);
  });

  it("with a given session, ID.1001 at poll time is an AuthenticationError and nothing is re-submitted", async () => {
    fake = await fakeZStack({ job: () => [{ status: 503, body: vendorError("ID.1001", "Session expired") }] });
    const zs = client(fake.server.url, { auth: { sessionUuid: "given-session-0001" } });
    const err = await zs.addDingTalkAtPerson({ phoneNumber: "+86-18988887777", endpointUuid: ENDPOINT }).catch((e) => e);
    expect(err).toBeInstanceOf(ZStackAuthenticationError);
    expect(err.operation).toBe("AddSNSDingTalkAtPerson");
    expect(fake.submits()).toHaveLength(1);
  });

  it("an expired job (poll 404, plain text) is a clear ZStackApiError", async () => {
    fake = await fakeZStack({ job: () => [{ status: 404, body: "the job has been expired" }] });
    const zs = client(fake.server.url);
    const err = await zs.addDingTalkAtPerson({ phoneNumber: "+86-18988887777", endpointUuid: ENDPOINT }).catch((e) => e);
    expect(err).toBeInstanceOf(ZStackApiError);
    expect(err.status).toBe(404);
    expect(err.code).toBeUndefined();
    expect(err.message).toMatch(/unknown or its result has expired/);
    expect(err.jobUuid).toMatch(HEX32);
  });

  it("a job still running at the deadline is a TimeoutError that names the job", async () => {
    fake = await fakeZStack({ job: () => [{ status: 202, body: {} }] });
    const zs = client(fake.server.url);
    const err = await zs
      .addDingTalkAtPerson(
        { phoneNumber: "+86-18988887777", endpointUuid: ENDPOINT },
        { poll: { maxPollMs: 200, initialIntervalMs: 10, maxIntervalMs: 10 } },
      )
      .catch((e) => e);
    expect(err).toBeInstanceOf(TimeoutError);
    expect(err.mayHaveReachedServer).toBe(true);
    expect(err.message).toContain(fake.submits()[0]!.headers["x-job-uuid"]);
    expect(fake.polls().length).toBeGreaterThan(1);
  });

  it("the caller's signal stops the polling", async () => {
    fake = await fakeZStack({ job: () => [{ status: 202, body: {} }] });
    const zs = client(fake.server.url);
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error("caller gave up")), 50);
    await expect(
      zs.addDingTalkAtPerson({ phoneNumber: "+86-18988887777", endpointUuid: ENDPOINT }, { signal: controller.signal }),
    ).rejects.toThrow("caller gave up");
  });

  it("a job result without inventory, or a 202 without location, is a ResponseShapeError", async () => {
    fake = await fakeZStack({ job: () => [{ body: {} }] });
    let zs = client(fake.server.url);
    await expect(zs.addDingTalkAtPerson({ phoneNumber: "+86-18988887777", endpointUuid: ENDPOINT })).rejects.toBeInstanceOf(
      ResponseShapeError,
    );
    await fake.server.close();

    fake = await fakeZStack({ submit: () => ({ status: 202, body: { apiTimeout: 1000 } }) });
    zs = client(fake.server.url);
    const err = await zs.addDingTalkAtPerson({ phoneNumber: "+86-18988887777", endpointUuid: ENDPOINT }).catch((e) => e);
    expect(err).toBeInstanceOf(ResponseShapeError);
    expect(err.message).toMatch(/location/);
  });

  it("a submit answered 200 instead of 202 is a ResponseShapeError", async () => {
    fake = await fakeZStack({ submit: () => ({ status: 200, body: { inventory: inventory() } }) });
    const zs = client(fake.server.url);
    await expect(zs.addDingTalkAtPerson({ phoneNumber: "+86-18988887777", endpointUuid: ENDPOINT })).rejects.toBeInstanceOf(
      ResponseShapeError,
    );
  });

  it("is never re-sent after it may have reached the server (connection dropped)", async () => {
    fake = await fakeZStack({ submit: () => ({ destroy: true }) });
    const zs = client(fake.server.url);
    const err = await zs.addDingTalkAtPerson({ phoneNumber: "+86-18988887777", endpointUuid: ENDPOINT }).catch((e) => e);
    expect(err).toBeInstanceOf(NetworkError);
    expect(err.mayHaveReachedServer).toBe(true);
    expect(fake.submits()).toHaveLength(1);
  });
});

describe("validation: nothing reaches the server", () => {
  it("rejects a phone number without the +CC- prefix, naming field and rule", async () => {
    fake = await fakeZStack();
    const zs = client(fake.server.url);
    const err = await zs.addDingTalkAtPerson({ phoneNumber: "18988887777", endpointUuid: ENDPOINT }).catch((e) => e);
    expect(err).toBeInstanceOf(ValidationError);
    expect(err.operation).toBe("AddSNSDingTalkAtPerson");
    expect(err.violations).toEqual([expect.objectContaining({ path: "body.params.phoneNumber", rule: "pattern" })]);
    expect(err.message).toContain("body.params.phoneNumber");
    expect(fake.server.requests).toHaveLength(0);
  });

  it("rejects the seed's misspelt tagUuid, a missing endpointUuid and a too long remark", async () => {
    fake = await fakeZStack();
    const zs = client(fake.server.url);
    const err = await zs
      .addDingTalkAtPerson({ phoneNumber: "+86-18988887777", tagUuid: ["t"], remark: "x".repeat(129) } as never)
      .catch((e) => e);
    expect(err).toBeInstanceOf(ValidationError);
    const rules = err.violations.map((v: { path: string; rule: string }) => `${v.path} ${v.rule}`).sort();
    expect(rules).toEqual([
      "body.params.endpointUuid required",
      "body.params.remark maxLength",
      "body.params.tagUuid additionalProperties",
    ]);
    expect(fake.server.requests).toHaveLength(0);
  });

  it("update: a blank phone number is allowed (the server ignores it), a bare number is not", async () => {
    fake = await fakeZStack();
    const zs = client(fake.server.url);
    await zs.updateDingTalkAtPerson("af3c83c835234d11b1afe022e85d67ec", { endpointUuid: ENDPOINT, phoneNumber: "" });
    const err = await zs
      .updateDingTalkAtPerson("af3c83c835234d11b1afe022e85d67ec", { endpointUuid: ENDPOINT, phoneNumber: "18988887777" })
      .catch((e) => e);
    expect(err).toBeInstanceOf(ValidationError);
    expect(err.violations[0].path).toBe("body.updateAtPersonOfAtDingTalkEndpoint.phoneNumber");
    expect(fake.submits()).toHaveLength(1);
  });

  it("can be switched off (validate: false) to let the server judge", async () => {
    fake = await fakeZStack({
      job: () => [
        {
          status: 503,
          body: vendorError("SYS.1007", "invalid phone number[18988887777], the DingDing phone number is like +86-12388889999"),
        },
      ],
    });
    const zs = client(fake.server.url, { validate: false });
    const err = await zs.addDingTalkAtPerson({ phoneNumber: "18988887777", endpointUuid: ENDPOINT }).catch((e) => e);
    expect(err).toBeInstanceOf(ZStackApiError);
    expect(err.code).toBe("SYS.1007");
  });
});

describe("queryDingTalkAtPersons / getDingTalkAtPerson", () => {
  it("repeats q, joins fields with commas, percent-encodes + and %, and reads inventories and total", async () => {
    fake = await fakeZStack({ other: () => ({ body: { inventories: [inventory()], total: 1, schema: { "inventories[0]": "x.Inv" } } }) });
    const zs = client(fake.server.url);
    const reply = await zs.queryDingTalkAtPersons({
      q: [`endpointUuid=${ENDPOINT}`, "phoneNumber~=+86-%"],
      limit: 10,
      start: 0,
      replyWithCount: true,
      sort: "+createDate",
      fields: ["uuid", "phoneNumber"],
    });
    expect(reply).toEqual({ inventories: [inventory()], total: 1, schema: { "inventories[0]": "x.Inv" } });
    const [q] = fake.others();
    expect(q!.method).toBe("GET");
    expect(q!.pathname).toBe(AT);
    expect(q!.rawPath).toBe(
      `${AT}?q=endpointUuid%3D${ENDPOINT}&q=phoneNumber~%3D%2B86-%25&limit=10&start=0&replyWithCount=true&sort=%2BcreateDate&fields=uuid,phoneNumber`,
    );
    expect(q!.query.getAll("q")).toEqual([`endpointUuid=${ENDPOINT}`, "phoneNumber~=+86-%"]);
    expect(q!.query.getAll("fields")).toEqual(["uuid,phoneNumber"]);
    expect(q!.body).toBe("");
  });

  it("count=true gives total and an empty inventories list", async () => {
    fake = await fakeZStack({ other: () => ({ body: { total: 3 } }) });
    const zs = client(fake.server.url);
    expect(await zs.queryDingTalkAtPersons({ count: true })).toEqual({ total: 3, inventories: [] });
  });

  it("getDingTalkAtPerson uses the optional path and returns the one inventory or undefined", async () => {
    fake = await fakeZStack({ other: (_r, n) => ({ body: { inventories: n === 0 ? [inventory()] : [] } }) });
    const zs = client(fake.server.url);
    expect(await zs.getDingTalkAtPerson("af3c83c835234d11b1afe022e85d67ec")).toEqual(inventory());
    expect(await zs.getDingTalkAtPerson("00000000000000000000000000000000")).toBeUndefined();
    expect(fake.others().map((r) => r.rawPath)).toEqual([
      `${AT}/af3c83c835234d11b1afe022e85d67ec`,
      `${AT}/00000000000000000000000000000000`,
    ]);
  });

  it("a 503 SYS.1007 is final: not retried although the GET is idempotent", async () => {
    fake = await fakeZStack({ other: () => ({ status: 503, body: vendorError("SYS.1007", "field[nope] is not a queryable field") }) });
    const zs = client(fake.server.url);
    const err = await zs.queryDingTalkAtPersons({ q: ["nope=1"] }).catch((e) => e);
    expect(err).toBeInstanceOf(ZStackApiError);
    expect(err.code).toBe("SYS.1007");
    expect(err.operation).toBe("QuerySNSDingTalkAtPerson");
    expect(fake.others()).toHaveLength(1);
  });

  it("a plain 500 on a query is retried (idempotent), then answers", async () => {
    fake = await fakeZStack({
      other: (_r, n) => (n === 0 ? { status: 500, body: "java.lang.NullPointerException" } : { body: { inventories: [] } }),
    });
    const zs = client(fake.server.url, { retry: { initialDelayMs: 1, maxDelayMs: 2 } });
    await expect(zs.queryDingTalkAtPersons()).resolves.toEqual({ inventories: [] });
    expect(fake.others()).toHaveLength(2);
  });

  it("an answer that breaks the spec is a ResponseShapeError", async () => {
    fake = await fakeZStack({ other: () => ({ body: { inventories: "none" } }) });
    const zs = client(fake.server.url);
    await expect(zs.queryDingTalkAtPersons()).rejects.toBeInstanceOf(ResponseShapeError);
  });
});

describe("updateDingTalkAtPerson / removeDingTalkAtPerson on the wire", () => {
  it("PUTs the action body keyed updateAtPersonOfAtDingTalkEndpoint and returns the updated inventory", async () => {
    fake = await fakeZStack({ job: () => [{ body: { inventory: inventory({ remark: "" }) } }] });
    const zs = client(fake.server.url);
    const updated = await zs.updateDingTalkAtPerson("af3c83c835234d11b1afe022e85d67ec", {
      endpointUuid: ENDPOINT,
      remark: "",
      systemTags: ["k::v"],
    });
    expect(updated.remark).toBe("");
    const [put] = fake.submits();
    expect(put!.method).toBe("PUT");
    expect(put!.pathname).toBe(`${AT}/af3c83c835234d11b1afe022e85d67ec/actions`);
    expect(put!.headers["x-job-uuid"]).toMatch(HEX32);
    expect(put!.json()).toEqual({ updateAtPersonOfAtDingTalkEndpoint: { endpointUuid: ENDPOINT, remark: "" }, systemTags: ["k::v"] });
  });

  it("DELETEs by endpoint and percent-encoded phone number, options in the query, no body", async () => {
    fake = await fakeZStack({ job: () => [{ status: 202, body: {} }, { body: {} }] });
    const zs = client(fake.server.url);
    await expect(
      zs.removeDingTalkAtPerson({
        endpointUuid: ENDPOINT,
        phoneNumber: "+86-18988887777",
        deleteMode: "Enforcing",
        systemTags: ["a::1", "b::2"],
      }),
    ).resolves.toBeUndefined();
    const [del] = fake.submits();
    expect(del!.method).toBe("DELETE");
    expect(del!.rawPath).toBe(
      `/zstack/v1/sns/application-endpoints/ding-talk/${ENDPOINT}/at-persons/%2B86-18988887777?deleteMode=Enforcing&systemTags=a%3A%3A1&systemTags=b%3A%3A2`,
    );
    expect(del!.body).toBe("");
    expect(del!.headers.authorization).toBe(`OAuth ${fake.sessions[0]}`);
    expect(fake.polls()).toHaveLength(2);
  });

  it("a retried DELETE answered 'Duplicate job uuid' polls the job its first send started", async () => {
    let deletes = 0;
    extra = await startTestServer((req) => {
      if (req.pathname === "/zstack/v1/accounts/login") return { body: { inventory: { uuid: "s-dup-00001" } } };
      if (req.pathname.startsWith("/zstack/v1/api-jobs/")) return { body: {} };
      // the first send reaches the server and starts the job, but its answer is lost
      return deletes++ === 0 ? { destroy: true } : { status: 400, body: `Duplicate job uuid[${req.headers["x-job-uuid"]}]` };
    });
    const zs = client(extra.url, { retry: { initialDelayMs: 1, maxDelayMs: 2 } });
    await expect(zs.removeDingTalkAtPerson({ endpointUuid: ENDPOINT, phoneNumber: "+86-18988887777" })).resolves.toBeUndefined();
    const dels = extra.requests.filter((r) => r.method === "DELETE");
    expect(dels).toHaveLength(2);
    expect(dels[0]!.headers["x-job-uuid"]).toBe(dels[1]!.headers["x-job-uuid"]);
    const polls = extra.requests.filter((r) => r.pathname.startsWith("/zstack/v1/api-jobs/"));
    expect(polls.map((p) => p.pathname)).toEqual([`/zstack/v1/api-jobs/${dels[0]!.headers["x-job-uuid"]}`]);
  });
});

describe("vendor errors", () => {
  it("a plain-text 400 is a ZStackApiError with the server's sentence", async () => {
    extra = await startTestServer(() => ({ status: 400, body: "missing header 'Authorization'" }));
    const zs = client(extra.url, { auth: { sessionUuid: "given-session-0001" } });
    const err = await zs.queryDingTalkAtPersons().catch((e) => e);
    expect(err).toBeInstanceOf(ZStackApiError);
    expect(err.status).toBe(400);
    expect(err.code).toBeUndefined();
    expect(err.message).toContain("missing header 'Authorization'");
  });

  it("an AccessKey refusal (403, plain text) is a ZStackAuthenticationError", async () => {
    extra = await startTestServer(() => ({ status: 403, body: "wrong accessKey signature" }));
    const zs = client(extra.url, { auth: { accessKeyId: "id", accessKeySecret: "secret-secret" } });
    const err = await zs.queryDingTalkAtPersons().catch((e) => e);
    expect(err).toBeInstanceOf(ZStackAuthenticationError);
    expect(err.status).toBe(403);
    expect(err.message).toContain("wrong accessKey signature");
    expect(extra.requests).toHaveLength(1);
  });

  it("an HTML error page from a proxy is a ZStackApiError without code", async () => {
    extra = await startTestServer(() => ({
      status: 502,
      headers: { "content-type": "text/html" },
      body: "<html><body>Bad Gateway</body></html>",
    }));
    const zs = client(extra.url, { auth: { sessionUuid: "given-session-0001" }, retry: false });
    const err = await zs.queryDingTalkAtPersons().catch((e) => e);
    expect(err).toBeInstanceOf(ZStackApiError);
    expect(err.status).toBe(502);
    expect(err.code).toBeUndefined();
    expect(err.message).toContain("an HTML page");
  });

  it("a 503 error with a cause chain exposes every code and the root cause in the message", async () => {
    const body = vendorError("SYS.1006", "operation failed", {
      code: "SYS.1000",
      details: "outer",
      cause: { code: "HOST.1001", details: "host is disconnected" },
    });
    extra = await startTestServer(() => ({ status: 503, body }));
    const zs = client(extra.url, { auth: { sessionUuid: "given-session-0001" } });
    const err = await zs.queryDingTalkAtPersons().catch((e) => e);
    expect(err).toBeInstanceOf(ZStackApiError);
    expect(err.code).toBe("SYS.1006");
    expect(err.causeCodes).toEqual(["SYS.1000", "HOST.1001"]);
    expect(err.message).toContain("operation failed (cause HOST.1001: host is disconnected)");
    expect(err.body).toEqual(body);
    expect(extra.requests).toHaveLength(1);
  });

  it("codes are trimmed", async () => {
    extra = await startTestServer(() => ({ status: 503, body: vendorError(" SYS.1007 ", "bad") }));
    const zs = client(extra.url, { auth: { sessionUuid: "given-session-0001" } });
    const err = await zs.queryDingTalkAtPersons().catch((e) => e);
    expect(err.code).toBe("SYS.1007");
  });

  it("connection refused on a query: retried, then a NetworkError that says nothing was sent", async () => {
    const url = await refusedUrl();
    const zs = client(url, { auth: { sessionUuid: "given-session-0001" }, retry: { maxAttempts: 2, initialDelayMs: 1, maxDelayMs: 2 } });
    const err = await zs.queryDingTalkAtPersons().catch((e) => e);
    expect(err).toBeInstanceOf(NetworkError);
    expect(err.mayHaveReachedServer).toBe(false);
    expect(err.attempts).toBe(2);
  });
});

describe("construction", () => {
  it("names the missing credential, and sends nothing", () => {
    const base = { baseUrl: "http://127.0.0.1:2/zstack", logger: silent };
    expect(() => createZStackClient({ ...base } as never)).toThrow(/zstack: auth is required/);
    expect(() => createZStackClient({ ...base, auth: { accountName: "admin" } } as never)).toThrow(/auth\.password is required/);
    expect(() => createZStackClient({ ...base, auth: { password: "x" } } as never)).toThrow(/auth\.accountName is required/);
    expect(() => createZStackClient({ ...base, auth: { accessKeyId: "id" } } as never)).toThrow(/auth\.accessKeySecret is required/);
    expect(() => createZStackClient({ ...base, auth: { sessionUuid: "" } })).toThrow(/auth\.sessionUuid is required/);
    expect(() => createZStackClient({ ...base, auth: { accountName: "a", passwordSha512: "abc" } })).toThrow(/passwordSha512/);
    expect(() => createZStackClient({ ...base, auth: { token: "x" } } as never)).toThrow(ConfigurationError);
    expect(() => createZStackClient({ ...base, auth: { accessKeyId: "i", accessKeySecret: "s" }, timeZone: "Mars/Olympus" })).toThrow(
      /timeZone/,
    );
  });

  it("refuses plain http to a non-loopback host unless allowInsecureHttp (the shared table)", () => {
    const auth = { accountName: ACCOUNT, password: PASSWORD };
    expect(plainHttpRuleMismatches((baseUrl, allowInsecureHttp) => createZStackClient({ baseUrl, auth, allowInsecureHttp }))).toEqual([]);
  });
});

describe("secrets", () => {
  it("never logs or reports the password, its digest or the session uuid", async () => {
    fake = await fakeZStack({ job: () => [{ status: 503, body: vendorError("SYS.1007", "bad") }] });
    const { lines, logger } = recordingLogger();
    const zs = client(fake.server.url, { logger, logLevel: "debug" });
    await zs.queryDingTalkAtPersons();
    const err = await zs.addDingTalkAtPerson({ phoneNumber: "+86-18988887777", endpointUuid: ENDPOINT }).catch((e) => e);
    await zs.validateSession().catch(() => undefined);
    const session = fake.sessions[0]!;
    const everything = lines.join("\n") + JSON.stringify(err) + String(err.message);
    expect(lines.length).toBeGreaterThan(0);
    expect(everything).not.toContain(PASSWORD_SHA512);
    expect(everything).not.toContain(session);
    expect(everything).toContain("[redacted]");
  });

  it("never logs the AccessKey secret or the signature", async () => {
    extra = await startTestServer(() => ({ body: { inventories: [] } }));
    const { lines, logger } = recordingLogger();
    const zs = client(extra.url, { logger, logLevel: "debug", auth: { accessKeyId: "AKID0001", accessKeySecret: "very-secret-value" } });
    await zs.queryDingTalkAtPersons();
    const signature = extra.requests[0]!.headers.authorization!.split(":")[1]!;
    expect(lines.join("\n")).not.toContain("very-secret-value");
    expect(lines.join("\n")).not.toContain(signature);
  });
});

describe("location", () => {
  it("the configured base URL is used, not the location's host", async () => {
    fake = await fakeZStack();
    const zs = client(fake.server.url);
    await zs.addDingTalkAtPerson({ phoneNumber: "+86-18988887777", endpointUuid: ENDPOINT });
    expect(INTERNAL).not.toContain("127.0.0.1");
    expect(fake.polls()).toHaveLength(1);
  });
});
