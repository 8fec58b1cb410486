import { createHash, createHmac } from "node:crypto";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { parse } from "yaml";
import { createZStackClient, ZStackApiError, ZStackAuthenticationError, type ZStackClientOptions } from "@signalbridge/zstack";
import { NetworkError, ValidationError } from "@signalbridge/core";
import { ManualClock } from "../src/kit/clock.js";
import { startVendorServer, type VendorServer } from "../src/kit/server.js";
import { createZStackSimulator } from "../src/zstack/simulator.js";

const silent = { debug() {}, info() {}, warn() {}, error() {} };
const sha512 = (s: string) => createHash("sha512").update(s, "utf8").digest("hex");

let server: VendorServer;
let sim: ReturnType<typeof createZStackSimulator>;
beforeAll(async () => {
  sim = createZStackSimulator({ jobDurationMs: 30 });
  server = await startVendorServer(sim);
});
afterAll(() => server.close());
beforeEach(() => server.reset());

const F = () => sim.fixtures;
const EP = () => F().dingTalkEndpoints[0]!.uuid;
const client = (extra: Partial<ZStackClientOptions> = {}) =>
  createZStackClient({
    baseUrl: server.url,
    ...sim.credentials,
    logger: silent,
    retry: { initialDelayMs: 1, maxDelayMs: 5 },
    poll: { initialIntervalMs: 10, maxIntervalMs: 20 },
    ...extra,
  });
/** A client that skips its own validation, to see what the vendor answers to a bad request. */
const unchecked = (extra: Partial<ZStackClientOptions> = {}) => client({ validate: false, ...extra });
const codeOf = (p: Promise<unknown>): Promise<string | undefined> =>
  p.then(
    () => "resolved",
    (e) =>
      e instanceof ZStackApiError || e instanceof ZStackAuthenticationError ? (e.code ?? `HTTP ${e.status}`) : `${e?.name}: ${e?.message}`,
  );

async function raw(method: string, path: string, init: { headers?: Record<string, string>; body?: string } = {}) {
  const res = await fetch(`${server.url}${path}`, { method, headers: init.headers, body: init.body });
  const text = await res.text();
  let json: any;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, text, json, type: res.headers.get("content-type") ?? "" };
}

async function login(accountName = sim.credentials.auth.accountName, password = sim.credentials.auth.password) {
  const r = await raw("PUT", "/v1/accounts/login", {
    body: JSON.stringify({ logInByAccount: { accountName, password: sha512(password) } }),
  });
  return r.json?.inventory?.uuid as string;
}

/** Submit through raw fetch and poll the job to its end. */
async function rawJob(method: string, path: string, headers: Record<string, string>, body?: string) {
  const submit = await raw(method, path, { headers, body });
  if (submit.status !== 202) return submit;
  const job = new URL(submit.json.location).pathname.replace(/^\/zstack/, "");
  for (;;) {
    const r = await raw("GET", job);
    if (r.status !== 202) return r;
    await new Promise((res) => setTimeout(res, 10));
  }
}

describe("ZStack simulator: the at-person lifecycle through the client", () => {
  it("add → query → get → update → remove, with real state", async () => {
    const zs = client();
    const added = await zs.addDingTalkAtPerson({ phoneNumber: "+86-18600001111", endpointUuid: EP(), remark: "alice" });
    expect(added).toMatchObject({ phoneNumber: "+86-18600001111", endpointUuid: EP(), remark: "alice" });
    expect(added.uuid).toMatch(/^[0-9a-f]{32}$/);
    expect(added.createDate).toMatch(/^[A-Z][a-z]{2} \d{1,2}, \d{4} \d{1,2}:\d{2}:\d{2} [AP]M$/);

    const { inventories, total } = await zs.queryDingTalkAtPersons({
      q: [`endpointUuid=${EP()}`],
      replyWithCount: true,
      sort: "-phoneNumber",
    });
    expect(total).toBe(2);
    expect(inventories.map((i) => i.phoneNumber)).toEqual(["+86-18600001111", "+86-13912345678"]);

    expect(await zs.getDingTalkAtPerson(added.uuid!)).toEqual(added);
    expect(await zs.getDingTalkAtPerson("00000000000000000000000000000000")).toBeUndefined();

    const updated = await zs.updateDingTalkAtPerson(added.uuid!, { endpointUuid: EP(), phoneNumber: "+86-18600002222", remark: "" });
    expect(updated).toMatchObject({ uuid: added.uuid, phoneNumber: "+86-18600002222", remark: "" });
    // a blank phone number is ignored, the remark is set
    const again = await zs.updateDingTalkAtPerson(added.uuid!, { endpointUuid: EP(), phoneNumber: "  ", remark: "bob" });
    expect(again).toMatchObject({ phoneNumber: "+86-18600002222", remark: "bob" });

    await zs.removeDingTalkAtPerson({ endpointUuid: EP(), phoneNumber: "+86-18600002222" });
    expect(await zs.getDingTalkAtPerson(added.uuid!)).toBeUndefined();
    // removing what is not there succeeds
    await expect(zs.removeDingTalkAtPerson({ endpointUuid: EP(), phoneNumber: "+86-18600002222" })).resolves.toBeUndefined();
  });

  it("jobs run (202 {}) before they answer, and the client polls the sandbox, not the location's internal host", {
    timeout: 30_000,
  }, async () => {
    // The job finishes when the test says so (after the client has seen it running), not when a
    // loaded machine happens to get round to the next poll.
    const clock = new ManualClock();
    const stepped = createZStackSimulator({ jobDurationMs: 1000, clock });
    const s2 = await startVendorServer(stepped);
    try {
      const adding = client({ baseUrl: s2.url }).addDingTalkAtPerson({ phoneNumber: "+86-18600003333", endpointUuid: EP() });
      const polls = () => s2.requests.filter((r) => r.operationId === "getApiJobResult");
      await vi.waitFor(() => expect(polls().some((p) => p.status === 202)).toBe(true), { timeout: 30_000, interval: 5 });
      clock.advance(1000);
      await adding;
      expect(polls().length).toBeGreaterThan(1);
      expect(
        polls()
          .slice(0, -1)
          .every((p) => p.status === 202),
      ).toBe(true);
      expect(polls().at(-1)!.status).toBe(200);
      expect(s2.requests.every((r) => r.path.startsWith("/v1/"))).toBe(true); // nothing went to the location's internal host
    } finally {
      await s2.close();
    }
    const submit = await raw("POST", "/v1/sns/application-endpoints/ding-talk/at-persons", {
      headers: { Authorization: `OAuth ${await login()}` },
      body: JSON.stringify({ params: { phoneNumber: "+86-18600004444", endpointUuid: EP() } }),
    });
    expect(submit.status).toBe(202);
    expect(submit.json.location).toMatch(/^http:\/\/172\.20\.0\.10:8080\/zstack\/v1\/api-jobs\/[0-9a-f]{32}$/);
    expect(submit.json.apiTimeout).toBe(1_800_000);
  });

  it("the seeded endpoints and at-person are discoverable", async () => {
    const zs = client();
    const { inventories } = await zs.queryDingTalkAtPersons();
    expect(inventories).toEqual([expect.objectContaining(F().atPersons[0])]);
    expect(F().dingTalkEndpoints.length).toBeGreaterThanOrEqual(2);
  });
});

describe("ZStack simulator: parameter errors arrive at poll time (202, then 503)", () => {
  it.each([
    [
      "a bare phone number",
      { phoneNumber: "18988887777" },
      "SYS.1007",
      /invalid phone number\[18988887777\], the DingDing phone number is like \+86-12388889999/,
    ],
    ["a missing phone number", { phoneNumber: undefined }, "SYS.1007", /field\[phoneNumber\] .* is mandatory/],
    ["a phone number over 64 characters", { phoneNumber: `+86-${"1".repeat(61)}` }, "SYS.1007", /exceeds max length/],
    ["a remark over 128 characters", { remark: "r".repeat(129) }, "SYS.1007", /field\[remark\].*exceeds max length/],
    ["an unknown endpoint", { endpointUuid: "0123456789abcdef0123456789abcdef" }, "SYS.1003", /invalid field\[endpointUuid\]/],
    ["an unknown tag", { tagUuids: ["ffffffffffffffffffffffffffffffff"] }, "SYS.1003", /tagUuids/],
    [
      "a resourceUuid that is not a ZStack uuid",
      { resourceUuid: "not-a-uuid" },
      "SYS.1007",
      /resourceUuid\[not-a-uuid\] is not a valid uuid/,
    ],
  ])("%s → %s", async (_what, change, code, message) => {
    const zs = unchecked();
    const err = await zs.addDingTalkAtPerson({ phoneNumber: "+86-18600005555", endpointUuid: EP(), ...change } as never).catch((e) => e);
    expect(err).toBeInstanceOf(ZStackApiError);
    expect(err.code).toBe(code);
    expect(err.status).toBe(503);
    expect(err.message).toMatch(message);
    const submit = server.requests.find((r) => r.operationId === "AddSNSDingTalkAtPerson")!;
    expect(submit.status).toBe(202);
  });

  it("the same check runs on the client first: nothing reaches the sandbox", async () => {
    const zs = client();
    await expect(zs.addDingTalkAtPerson({ phoneNumber: "18988887777", endpointUuid: EP() })).rejects.toBeInstanceOf(ValidationError);
    expect(server.requests).toHaveLength(0);
  });

  it("a duplicate (endpoint, phone) is SYS.1007 'already exists'; padding is trimmed first", async () => {
    const zs = client();
    const err = await zs.addDingTalkAtPerson({ phoneNumber: " +86-13912345678 ", endpointUuid: EP() }).catch((e) => e);
    expect(err.code).toBe("SYS.1007");
    expect(err.message).toContain("phone number[+86-13912345678] already exists");
    // the same number on another endpoint is fine
    const other = await zs.addDingTalkAtPerson({ phoneNumber: "+86-13912345678", endpointUuid: F().dingTalkEndpoints[1]!.uuid });
    expect(other.phoneNumber).toBe("+86-13912345678");
  });

  it("update: unknown at-person SYS.1003, bad phone SYS.1007, the at-person's own number SYS.1007 (the check includes itself)", async () => {
    const zs = client();
    const seeded = F().atPersons[0]!;
    expect(await codeOf(zs.updateDingTalkAtPerson("0123456789abcdef0123456789abcdef", { endpointUuid: EP(), remark: "x" }))).toBe(
      "SYS.1003",
    );
    expect(await codeOf(unchecked().updateDingTalkAtPerson(seeded.uuid, { endpointUuid: EP(), phoneNumber: "139" }))).toBe("SYS.1007");
    expect(await codeOf(zs.updateDingTalkAtPerson(seeded.uuid, { endpointUuid: EP(), phoneNumber: seeded.phoneNumber }))).toBe("SYS.1007");
    expect(await codeOf(unchecked().updateDingTalkAtPerson(seeded.uuid, {} as never))).toBe("SYS.1007");
  });

  it("remove: an unknown UUID-shaped endpoint succeeds at once, a non-UUID one is SYS.1003, a bad deleteMode SYS.1007", async () => {
    const zs = client();
    await expect(
      zs.removeDingTalkAtPerson({ endpointUuid: "0123456789abcdef0123456789abcdef", phoneNumber: "+86-1" }),
    ).resolves.toBeUndefined();
    expect(await codeOf(zs.removeDingTalkAtPerson({ endpointUuid: "no-such-endpoint", phoneNumber: "+86-1" }))).toBe("SYS.1003");
    expect(
      await codeOf(unchecked().removeDingTalkAtPerson({ endpointUuid: EP(), phoneNumber: "+86-1", deleteMode: "Soft" as never })),
    ).toBe("SYS.1007");
  });

  it("a read-only account may query but gets ID.1002 on changes", async () => {
    const zs = client({ auth: F().readOnlyAccount });
    await expect(zs.queryDingTalkAtPersons()).resolves.toBeDefined();
    expect(await codeOf(zs.addDingTalkAtPerson({ phoneNumber: "+86-18600006666", endpointUuid: EP() }))).toBe("ID.1002");
  });
});

describe("ZStack simulator: sessions", () => {
  it("a wrong password is ID.1000 (503) → ZStackAuthenticationError", async () => {
    const zs = client({ auth: { accountName: "admin", password: "Not#The#Password1" } });
    const err = await zs.queryDingTalkAtPersons().catch((e) => e);
    expect(err).toBeInstanceOf(ZStackAuthenticationError);
    expect(err.code).toBe("ID.1000");
    expect(err.status).toBe(503);
  });

  it("expired sessions: the client logs in again for a sync call (503 ID.1001) and re-submits an async one (poll ID.1001)", async () => {
    const zs = client();
    await zs.queryDingTalkAtPersons();
    server.expireTokens();
    await expect(zs.queryDingTalkAtPersons()).resolves.toBeDefined();
    server.expireTokens();
    const person = await zs.addDingTalkAtPerson({ phoneNumber: "+86-18600007777", endpointUuid: EP() });
    expect(person.phoneNumber).toBe("+86-18600007777");
    const ops = server.requests.map((r) => `${r.operationId} ${r.status}`);
    expect(ops.filter((o) => o.startsWith("LogInByAccount"))).toHaveLength(3);
    expect(ops.filter((o) => o === "QuerySNSDingTalkAtPerson 503")).toHaveLength(1);
    expect(ops.filter((o) => o === "AddSNSDingTalkAtPerson 202")).toHaveLength(2);
    expect(ops).toContain("getApiJobResult 503");
    // exactly one at-person was created
    const { total } = await zs.queryDingTalkAtPersons({ q: ["phoneNumber=+86-18600007777"], count: true });
    expect(total).toBe(1);
  });

  it("a given session that expired is an AuthenticationError (no renewal possible)", async () => {
    const session = await login();
    const zs = client({ auth: { sessionUuid: session } });
    await zs.queryDingTalkAtPersons();
    server.expireTokens();
    await expect(zs.queryDingTalkAtPersons()).rejects.toBeInstanceOf(ZStackAuthenticationError);
    expect(await codeOf(zs.addDingTalkAtPerson({ phoneNumber: "+86-18600008888", endpointUuid: EP() }))).toBe("ID.1001");
  });

  it("validateSession and logOut", async () => {
    const zs = client();
    await zs.queryDingTalkAtPersons();
    expect(await zs.validateSession()).toBe(true);
    const session = (sim.state() as any).sessions.length;
    expect(session).toBe(1);
    await zs.logOut();
    expect(await zs.validateSession("0123456789abcdef0123456789abcdef")).toBe(false);
    await zs.queryDingTalkAtPersons(); // logs in again
    expect(server.requests.filter((r) => r.operationId === "LogInByAccount")).toHaveLength(2);
  });

  it("the session lifetime is configurable (expiredDate - createDate)", async () => {
    const short = createZStackSimulator({ sessionTimeoutSeconds: 60 });
    const s2 = await startVendorServer(short);
    try {
      const r = await fetch(`${s2.url}/v1/accounts/login`, {
        method: "PUT",
        body: JSON.stringify({ logInByAccount: { accountName: "admin", password: sha512(short.credentials.auth.password) } }),
      });
      const inv = ((await r.json()) as any).inventory;
      const t = (d: string) => Date.parse(`${d.replace(/ ([AP]M)$/, " $1")} UTC`);
      expect(t(inv.expiredDate) - t(inv.createDate)).toBe(60_000);
    } finally {
      await s2.close();
    }
  });
});

describe("ZStack simulator: the HTTP layer answers in plain text", () => {
  it("Authorization: missing → 400, unknown scheme → 400", async () => {
    const missing = await raw("GET", "/v1/sns/application-endpoints/ding-talk/at-persons");
    expect([missing.status, missing.text]).toEqual([400, "missing header 'Authorization'"]);
    expect(missing.type).toMatch(/^text\/plain/);
    const basic = await raw("GET", "/v1/sns/application-endpoints/ding-talk/at-persons", {
      headers: { Authorization: "Basic YWRtaW46cGFzc3dvcmQ=" },
    });
    expect([basic.status, basic.text]).toEqual([400, "Authorization type must be 'OAuth'"]);
  });

  it("an unknown session on a sync API is 503 ID.1001 (no 401)", async () => {
    const r = await raw("GET", "/v1/sns/application-endpoints/ding-talk/at-persons", {
      headers: { Authorization: "OAuth 0123456789abcdef0123456789abcdef" },
    });
    expect(r.status).toBe(503);
    expect(r.json.error.code).toBe("ID.1001");
  });

  it("a request outside the /zstack context path is a 404 that says the base URL must include it, and the client's error says so", async () => {
    const r = await fetch(`${server.origin}/v1/accounts/login`, { method: "PUT", body: "{}" });
    expect([r.status, await r.text()]).toEqual([
      404,
      `the base URL must include the /zstack context path (e.g. ${server.url}): /v1/accounts/login is not under it`,
    ]);
    const prefixOnly = await fetch(`${server.origin}/zstackv1/accounts/login`, { method: "PUT", body: "{}" }); // a prefix is not the context path
    expect(await prefixOnly.text()).toMatch(/: \/zstackv1\/accounts\/login is not under it$/);
    const err = await client({ baseUrl: server.origin })
      .queryDingTalkAtPersons()
      .catch((e) => e);
    expect(err).toBeInstanceOf(ZStackApiError);
    expect([err.status, err.operation]).toEqual([404, "LogInByAccount"]);
    expect(err.message).toContain("the base URL must include the /zstack context path");
  });

  it("unknown path 404, wrong method 405, bad JSON 500, X-Job-UUID checks 400", async () => {
    const session = await login();
    const auth = { Authorization: `OAuth ${session}` };
    const unknown = await raw("GET", "/v1/sns/application-endpoints/ding-talk/at-person", { headers: auth });
    expect([unknown.status, unknown.text]).toEqual([404, "no api mapping to /v1/sns/application-endpoints/ding-talk/at-person"]);
    expect((await raw("PATCH", "/v1/sns/application-endpoints/ding-talk/at-persons", { headers: auth })).status).toBe(405);
    const bad = await raw("POST", "/v1/sns/application-endpoints/ding-talk/at-persons", { headers: auth, body: "{not json" });
    expect(bad.status).toBe(500);
    const shortJob = await raw("POST", "/v1/sns/application-endpoints/ding-talk/at-persons", {
      headers: { ...auth, "X-Job-UUID": "abc" },
      body: JSON.stringify({ params: { phoneNumber: "+86-18600009999", endpointUuid: EP() } }),
    });
    expect([shortJob.status, shortJob.text]).toEqual([400, "Invalid header[X-Job-UUID], it must be a UUID with '-' stripped"]);
    const job = "0b4a5cbd1b2c4f1f8d2d6f7a8b9c0d1e";
    const body = JSON.stringify({ params: { phoneNumber: "+86-18600009999", endpointUuid: EP() } });
    expect(
      (await raw("POST", "/v1/sns/application-endpoints/ding-talk/at-persons", { headers: { ...auth, "X-Job-UUID": job }, body })).status,
    ).toBe(202);
    const dup = await raw("POST", "/v1/sns/application-endpoints/ding-talk/at-persons", { headers: { ...auth, "X-Job-UUID": job }, body });
    expect([dup.status, dup.text]).toEqual([400, `Duplicate job uuid[${job}]`]);
    expect((await raw("GET", `/v1/api-jobs/${job}`)).status).toBeGreaterThanOrEqual(200);
  });

  it("query parameters that do not parse are 400; an unknown field is 503 SYS.1007", async () => {
    const auth = { Authorization: `OAuth ${await login()}` };
    expect((await raw("GET", "/v1/sns/application-endpoints/ding-talk/at-persons?limit=ten", { headers: auth })).status).toBe(400);
    expect((await raw("GET", "/v1/sns/application-endpoints/ding-talk/at-persons?q=uuid", { headers: auth })).status).toBe(400);
    const unknownField = await raw("GET", "/v1/sns/application-endpoints/ding-talk/at-persons?q=name%3Dx", { headers: auth });
    expect([unknownField.status, unknownField.json.error.code]).toEqual([503, "SYS.1007"]);
    // an action body whose key maps to no action
    const seeded = F().atPersons[0]!.uuid;
    const wrongKey = await raw("PUT", `/v1/sns/application-endpoints/ding-talk/at-persons/${seeded}/actions`, {
      headers: auth,
      body: JSON.stringify({ updateSNSDingTalkAtPerson: { endpointUuid: EP() } }),
    });
    expect(wrongKey.status).toBe(400);
  });

  it("a job answers 202 {} until jobDurationMs has passed on the node's clock, then its result", async () => {
    const clock = new ManualClock();
    const slow = createZStackSimulator({ jobDurationMs: 1000, clock });
    const s2 = await startVendorServer(slow);
    try {
      const session = (
        (await (
          await fetch(`${s2.url}/v1/accounts/login`, {
            method: "PUT",
            body: JSON.stringify({ logInByAccount: { accountName: "admin", password: sha512(slow.credentials.auth.password) } }),
          })
        ).json()) as any
      ).inventory.uuid;
      const submit = await fetch(`${s2.url}/v1/sns/application-endpoints/ding-talk/at-persons`, {
        method: "POST",
        headers: { Authorization: `OAuth ${session}` },
        body: JSON.stringify({ params: { phoneNumber: "+86-18600004321", endpointUuid: EP() } }),
      });
      expect(submit.status).toBe(202);
      const job = new URL(((await submit.json()) as any).location).pathname.replace(/^\/zstack/, "");
      const poll = async () => {
        const r = await fetch(`${s2.url}${job}`);
        return [r.status, await r.json()] as const;
      };
      expect(await poll()).toEqual([202, {}]);
      clock.advance(999);
      expect(await poll()).toEqual([202, {}]);
      clock.advance(1);
      expect(await poll()).toEqual([200, { inventory: expect.objectContaining({ phoneNumber: "+86-18600004321" }) }]);
    } finally {
      await s2.close();
    }
  });

  it("an unknown or expired job is 404 'the job has been expired'", async () => {
    expect(await raw("GET", "/v1/api-jobs/0123456789abcdef0123456789abcdef")).toMatchObject({
      status: 404,
      text: "the job has been expired",
    });
    const clock = new ManualClock();
    const quick = createZStackSimulator({ jobDurationMs: 0, jobExpirySeconds: 0.05, clock });
    const s2 = await startVendorServer(quick);
    try {
      const zs = createZStackClient({ baseUrl: s2.url, ...quick.credentials, logger: silent });
      const jobs: string[] = [];
      await zs.addDingTalkAtPerson({ phoneNumber: "+86-18600001234", endpointUuid: EP() });
      for (const j of (quick.state() as any).jobs) jobs.push(j.uuid);
      clock.advance(49);
      expect((await fetch(`${s2.url}/v1/api-jobs/${jobs[0]}`)).status).toBe(200); // still kept
      clock.advance(1);
      const res = await fetch(`${s2.url}/v1/api-jobs/${jobs[0]}`);
      expect([res.status, await res.text()]).toEqual([404, "the job has been expired"]);
    } finally {
      await s2.close();
    }
  });
});

describe("ZStack simulator: query", () => {
  beforeEach(async () => {
    const zs = client();
    for (const [i, phone] of ["+86-18600000001", "+86-18600000002", "+852-18600000003"].entries()) {
      await zs.addDingTalkAtPerson({ phoneNumber: phone, endpointUuid: EP(), remark: `r${i}` });
    }
  });

  it("q operators, count, replyWithCount, limit/start, sort, fields", async () => {
    const zs = client();
    const like = await zs.queryDingTalkAtPersons({ q: ["phoneNumber~=+86-186%"], sort: "+phoneNumber" });
    expect(like.inventories.map((i) => i.phoneNumber)).toEqual(["+86-18600000001", "+86-18600000002"]);
    const inList = await zs.queryDingTalkAtPersons({ q: ["remark?=r0,r2"], replyWithCount: true });
    expect(inList.total).toBe(2);
    const notIn = await zs.queryDingTalkAtPersons({ q: ["remark!?=r0,r2", `endpointUuid=${EP()}`] });
    expect(notIn.inventories.map((i) => i.remark).sort()).toEqual(["oncall lead", "r1"]);
    expect((await zs.queryDingTalkAtPersons({ count: true })).total).toBe(4);
    const page = await zs.queryDingTalkAtPersons({
      sort: "-phoneNumber",
      limit: 2,
      start: 1,
      replyWithCount: true,
      fields: ["uuid", "phoneNumber"],
    });
    expect(page.total).toBe(4);
    // string order: "+852-…" < "+86-13…" < "+86-186…"
    expect(page.inventories.map((i) => i.phoneNumber)).toEqual(["+86-18600000001", "+86-13912345678"]);
    expect(Object.keys(page.inventories[0]!).sort()).toEqual(["phoneNumber", "uuid"]);
    expect(page.schema).toEqual({
      "inventories[0]": "org.zstack.sns.platform.dingtalk.SNSDingTalkAtPersonInventory",
      "inventories[1]": "org.zstack.sns.platform.dingtalk.SNSDingTalkAtPersonInventory",
    });
    const nulls = await zs.queryDingTalkAtPersons({ q: ["remark not null"], count: true });
    expect(nulls.total).toBe(4);
  });
});

describe("ZStack simulator: AccessKey", () => {
  it("a correctly signed client works; its Date is in the server's zone (CST)", async () => {
    const zs = client({ auth: F().accessKey });
    await zs.addDingTalkAtPerson({ phoneNumber: "+86-18600001010", endpointUuid: EP() });
    await zs.removeDingTalkAtPerson({ endpointUuid: EP(), phoneNumber: "+86-18600001010" });
    expect((await zs.queryDingTalkAtPersons({ q: ["phoneNumber=+86-18600001010"] })).inventories).toEqual([]);
  });

  it("wrong secret 403, unknown key 403, UTC date to a CST server 403 requestTimeTooSkewed, no Date 400", async () => {
    const wrong = client({ auth: { ...F().accessKey, accessKeySecret: "not-the-secret" } });
    const e1 = await wrong.queryDingTalkAtPersons().catch((e) => e);
    expect(e1).toBeInstanceOf(ZStackAuthenticationError);
    expect([e1.status, e1.message]).toEqual([403, expect.stringContaining("wrong accessKey signature")]);
    const unknown = await client({ auth: { accessKeyId: "nobody", accessKeySecret: "x-secret" } })
      .queryDingTalkAtPersons()
      .catch((e) => e);
    expect(unknown.status).toBe(403);
    const skewed = await client({ auth: F().accessKey, timeZone: "UTC" })
      .queryDingTalkAtPersons()
      .catch((e) => e);
    expect([skewed.status, skewed.message]).toEqual([403, expect.stringContaining("requestTimeTooSkewed")]);
    const noDate = await raw("GET", "/v1/sns/application-endpoints/ding-talk/at-persons", {
      headers: { Authorization: `ZStack ${F().accessKey.accessKeyId}:${createHmac("sha1", "x").update("y").digest("base64")}` },
    });
    expect([noDate.status, noDate.text]).toEqual([400, "'Date' must be incuded in request header"]);
  });
});

describe("ZStack simulator: faults", () => {
  it("an Add whose answer is lost after processing is not re-sent (NetworkError), and exactly one was created", async () => {
    server.addFault({ operation: "AddSNSDingTalkAtPerson", action: "drop", after: true });
    const zs = client();
    const err = await zs.addDingTalkAtPerson({ phoneNumber: "+86-18600002020", endpointUuid: EP() }).catch((e) => e);
    expect(err).toBeInstanceOf(NetworkError);
    expect(err.mayHaveReachedServer).toBe(true);
    expect(server.requests.filter((r) => r.operationId === "AddSNSDingTalkAtPerson")).toHaveLength(1);
    expect((await zs.queryDingTalkAtPersons({ q: ["phoneNumber=+86-18600002020"], count: true })).total).toBe(1);
  });

  it("a 5xx on a query or a poll is retried (idempotent)", async () => {
    server.addFault({ operation: "QuerySNSDingTalkAtPerson", nth: 1, status: 500 });
    server.addFault({ operation: "getApiJobResult", nth: 1, status: 502 });
    const zs = client();
    await expect(zs.queryDingTalkAtPersons()).resolves.toBeDefined();
    await expect(zs.addDingTalkAtPerson({ phoneNumber: "+86-18600003030", endpointUuid: EP() })).resolves.toBeDefined();
  });
});

describe("ZStack simulator: every example of the spec, sent through the client", () => {
  const spec = parse(readFileSync(fileURLToPath(new URL("../../../specs/zstack.yaml", import.meta.url)), "utf8"));
  const AT = "/v1/sns/application-endpoints/ding-talk/at-persons";
  const media = (path: string, method: string) => spec.paths[path][method].requestBody.content["application/json"];
  const split = (v: any) => ({
    ...v.params,
    ...(v.systemTags ? { systemTags: v.systemTags } : {}),
    ...(v.userTags ? { userTags: v.userTags } : {}),
  });

  it.each(Object.entries<any>(media(AT, "post").examples))("AddSNSDingTalkAtPerson example %s is created as given", async (_name, ex) => {
    const person = await client().addDingTalkAtPerson(split(ex.value));
    expect(person).toMatchObject({ phoneNumber: ex.value.params.phoneNumber, endpointUuid: ex.value.params.endpointUuid });
    if (ex.value.params.resourceUuid) expect(person.uuid).toBe(ex.value.params.resourceUuid);
  });

  it("the seed's verbatim example is refused by the client, and by the vendor at poll time", async () => {
    const seed = media(AT, "post")["x-seed-examples"].seedExplorerCurl.value;
    await expect(client().addDingTalkAtPerson(split(seed))).rejects.toBeInstanceOf(ValidationError);
    const r = await rawJob("POST", AT, { Authorization: `OAuth ${await login()}` }, JSON.stringify(seed));
    expect(r.status).toBe(503);
    expect(r.json.error.code).toBe("SYS.1003"); // "<endpointUuid>" does not exist (checked before the phone format)
  });

  it.each(Object.entries<any>(media(`${AT}/{uuid}/actions`, "put").examples))(
    "UpdateAtPersonOfAtDingTalkEndpoint example %s",
    async (_name, ex) => {
      const zs = client();
      const add = media(AT, "post").examples.seedExplorerCurlCorrected.value;
      const person = await zs.addDingTalkAtPerson(split(add));
      const body = ex.value.updateAtPersonOfAtDingTalkEndpoint;
      const updated = await zs.updateDingTalkAtPerson(person.uuid!, { ...body });
      expect(updated.remark).toBe(body.remark);
      expect(updated.phoneNumber).toBe(body.phoneNumber ?? person.phoneNumber);
    },
  );

  it("the Remove path examples remove the example at-person", async () => {
    const zs = client();
    const params = spec.paths["/v1/sns/application-endpoints/ding-talk/{endpointUuid}/at-persons/{phoneNumber}"].delete.parameters;
    const example = (name: string) => params.find((p: any) => p.name === name).example;
    await zs.addDingTalkAtPerson({ phoneNumber: example("phoneNumber"), endpointUuid: example("endpointUuid") });
    await zs.removeDingTalkAtPerson({ endpointUuid: example("endpointUuid"), phoneNumber: example("phoneNumber") });
    expect((await zs.queryDingTalkAtPersons({ q: [`phoneNumber=${example("phoneNumber")}`], count: true })).total).toBe(0);
  });

  it("the query parameter examples are answered 200", async () => {
    const zs = client();
    const q = spec.components.parameters;
    for (const value of Object.values<any>(q.QueryConditions.examples)) await zs.queryDingTalkAtPersons({ q: value.value });
    for (const value of Object.values<any>(q.QuerySort.examples)) await zs.queryDingTalkAtPersons({ sort: value.value });
    for (const value of Object.values<any>(q.QueryFields.examples)) await zs.queryDingTalkAtPersons({ fields: value.value });
    expect(server.requests.filter((r) => r.operationId === "QuerySNSDingTalkAtPerson").every((r) => r.status === 200)).toBe(true);
  });

  it("the login example (the vendor's initial admin password) is refused here: the sandbox's admin password differs", async () => {
    const ex = spec.paths["/v1/accounts/login"].put.requestBody.content["application/json"].examples.admin.value;
    const r = await raw("PUT", "/v1/accounts/login", { body: JSON.stringify(ex) });
    expect([r.status, r.json.error.code]).toEqual([503, "ID.1000"]);
  });
});
