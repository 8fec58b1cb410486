import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSandbox, type Sandbox } from "@signalbridge/sandbox";
import { recordingLogger } from "@signalbridge/testkit";
import {
  ConfigurationError,
  EiamApiError,
  ValidationError,
  createSignalBridge,
  isApiError,
  readEnvConfig,
  type SignalBridgeError,
} from "../src/index.js";

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await startSandbox({ port: 0 });
});
afterAll(async () => {
  await sandbox.close();
});

describe("createSignalBridge", () => {
  it("runs an operation of every vendor with the sandbox config, sharing logger and level", async () => {
    const { lines, logger } = recordingLogger();
    const sb = createSignalBridge({ ...sandbox.config, logger, logLevel: "debug" });
    expect(sb.configured).toEqual(["zstack", "eiam", "enos"]);
    const { inventories } = await sb.zstack.queryDingTalkAtPersons({
      q: [`endpointUuid=${sandbox.fixtures.zstack.dingTalkEndpoints[0]!.uuid}`],
    });
    expect(inventories.length).toBeGreaterThan(0);
    const { notice_id } = await sb.eiam.sendInSiteNotice({ title: "t", content: "c", message_type: "TEXT", user_names: ["u1"] });
    expect(notice_id).toMatch(/\S/);
    const ids = await sb.enos.createMessageRules({
      appId: sandbox.fixtures.enos.appId,
      rules: [{ ruleName: "r", messageRule: { mark1: ["a"] } }],
    });
    expect(ids).toHaveLength(1);
    for (const vendor of ["zstack", "eiam", "enos"])
      expect(lines.some((l) => l.startsWith("debug") && l.includes(` ${vendor} `))).toBe(true);
    const secrets = [sandbox.config.zstack.auth.password, sandbox.config.eiam.clientSecret, sandbox.config.enos.appSecret];
    for (const secret of secrets) expect(lines.join("\n")).not.toContain(secret);
  });

  it("a vendor's own option wins over the shared one", async () => {
    const sb = createSignalBridge({ ...sandbox.config, eiam: { ...sandbox.config.eiam, validate: false }, validate: true });
    // validation off for EIAM only: the server answers the empty title with its own code
    const err = (await sb.eiam
      .sendInSiteNotice({ title: "", content: "c", message_type: "TEXT", all: true })
      .catch((e: unknown) => e)) as EiamApiError;
    expect(err).toBeInstanceOf(EiamApiError);
    expect(err.code).toBe("NOTICE.0004");
    await expect(sb.enos.createMessageRules({ appId: "a", rules: [] })).rejects.toBeInstanceOf(ValidationError);
  });

  it("fails at once, naming what is missing", () => {
    expect(() => createSignalBridge({})).toThrow(ConfigurationError);
    expect(() => createSignalBridge({ eiam: { baseUrl: sandbox.config.eiam.baseUrl, clientId: "id" } as never })).toThrow(/clientSecret/);
    const onlyEiam = createSignalBridge({ eiam: sandbox.config.eiam });
    expect(() => onlyEiam.zstack).toThrow(/zstack is not configured/);
    expect(() => onlyEiam.enos).toThrow(ConfigurationError);
  });

  it("errors narrow by kind and by instanceof", async () => {
    const sb = createSignalBridge({ eiam: sandbox.config.eiam });
    const err = (await sb.eiam.getInSiteNoticeSendResult("does-not-exist").catch((e: unknown) => e)) as SignalBridgeError;
    expect(err.kind).toBe("api");
    expect(isApiError(err) && err.code).toBe("NOTICE.0001");
  });
});

describe("createSignalBridge.fromEnv", () => {
  const envFor = (s: Sandbox) => ({
    SIGNALBRIDGE_TIMEOUT_MS: "5000",
    SIGNALBRIDGE_RETRY_MAX_ATTEMPTS: "2",
    SIGNALBRIDGE_LOG_LEVEL: "off",
    SIGNALBRIDGE_ZSTACK_BASE_URL: s.config.zstack.baseUrl,
    SIGNALBRIDGE_ZSTACK_ACCOUNT_NAME: s.config.zstack.auth.accountName,
    SIGNALBRIDGE_ZSTACK_PASSWORD: s.config.zstack.auth.password,
    SIGNALBRIDGE_EIAM_BASE_URL: s.config.eiam.baseUrl,
    SIGNALBRIDGE_EIAM_CLIENT_ID: s.config.eiam.clientId,
    SIGNALBRIDGE_EIAM_CLIENT_SECRET: s.config.eiam.clientSecret,
    SIGNALBRIDGE_ENOS_BASE_URL: s.config.enos.baseUrl,
    SIGNALBRIDGE_ENOS_APP_KEY: s.config.enos.appKey,
    SIGNALBRIDGE_ENOS_APP_SECRET: s.config.enos.appSecret,
    SIGNALBRIDGE_ENOS_ORG_ID: s.config.enos.orgId,
    SIGNALBRIDGE_ENOS_APP_ID: s.fixtures.enos.appId,
  });

  it("configures every vendor from SIGNALBRIDGE_* variables and works end to end", async () => {
    const sb = createSignalBridge.fromEnv(envFor(sandbox));
    expect(sb.configured).toEqual(["zstack", "eiam", "enos"]);
    // validateSession() is false until a call has logged in: log in with the account from the
    // environment (a query needs it), then that session must be live on the server.
    expect(await sb.zstack.validateSession()).toBe(false);
    const { inventories } = await sb.zstack.queryDingTalkAtPersons({
      q: [`endpointUuid=${sandbox.fixtures.zstack.dingTalkEndpoints[0]!.uuid}`],
    });
    expect(inventories.length).toBeGreaterThan(0);
    expect(await sb.zstack.validateSession()).toBe(true);
    await expect(sb.eiam.accessToken()).resolves.toMatch(/\S/);
    await expect(sb.enos.createMessageRules({ rules: [{ ruleName: "from env", messageRule: { mark1: null } }] })).resolves.toHaveLength(1);
  });

  it("reads the other credential forms and rejects bad values with the variable's name", () => {
    const cfg = readEnvConfig({
      SIGNALBRIDGE_ZSTACK_BASE_URL: "http://10.1.1.1:8080/zstack",
      SIGNALBRIDGE_ZSTACK_ALLOW_INSECURE_HTTP: "true",
      SIGNALBRIDGE_ZSTACK_ACCESS_KEY_ID: "ak",
      SIGNALBRIDGE_ZSTACK_ACCESS_KEY_SECRET: "sk",
      SIGNALBRIDGE_EIAM_BASE_URL: "https://acme.bccastle.com",
      SIGNALBRIDGE_EIAM_ACCESS_TOKEN: "tok",
    });
    expect(cfg.zstack).toEqual({
      baseUrl: "http://10.1.1.1:8080/zstack",
      allowInsecureHttp: true,
      auth: { accessKeyId: "ak", accessKeySecret: "sk" },
    });
    expect(cfg.eiam).toEqual({ baseUrl: "https://acme.bccastle.com", accessToken: "tok" });
    expect(cfg.enos).toBeUndefined();
    expect(() => readEnvConfig({ SIGNALBRIDGE_TIMEOUT_MS: "soon" })).toThrow("SIGNALBRIDGE_TIMEOUT_MS must be a positive integer");
    expect(() => readEnvConfig({ SIGNALBRIDGE_LOG_LEVEL: "loud" })).toThrow(/SIGNALBRIDGE_LOG_LEVEL/);
    expect(() =>
      createSignalBridge.fromEnv({ SIGNALBRIDGE_ZSTACK_BASE_URL: "http://10.1.1.1:8080/zstack", SIGNALBRIDGE_ZSTACK_SESSION_UUID: "s" }),
    ).toThrow(/allowInsecureHttp/);
    expect(() => createSignalBridge.fromEnv({ SIGNALBRIDGE_EIAM_BASE_URL: "https://acme.bccastle.com" })).toThrow(
      /SIGNALBRIDGE_EIAM_CLIENT_ID and SIGNALBRIDGE_EIAM_CLIENT_SECRET are required/,
    );
  });
});

describe("types", () => {
  // The @ts-expect-error lines are the compile-time half (tsc runs over test/ in `npm test`); a
  // caller without types gets the same misuse refused at run time, before anything is sent.
  it("rejects wrong field names at compile time, and at run time before sending", async () => {
    const sb = createSignalBridge(sandbox.config);
    const sent = () => sandbox.zstack.requests.length + sandbox.eiam.requests.length;
    const before = sent();
    await expect(
      // @ts-expect-error -- the vendor spells it user_names
      sb.eiam.sendInSiteNotice({ title: "t", content: "c", message_type: "TEXT", userNames: ["u"] }),
    ).rejects.toThrow(ValidationError);
    await expect(
      // @ts-expect-error -- message_type is TEXT | MARKDOWN
      sb.eiam.sendInSiteNotice({ title: "t", content: "c", message_type: "HTML", all: true }),
    ).rejects.toThrow(/message_type/);
    await expect(
      // @ts-expect-error -- zstack takes phoneNumber, not phone
      sb.zstack.addDingTalkAtPerson({ phone: "+86-13800000000", endpointUuid: "x" }),
    ).rejects.toThrow(ValidationError);
    expect(sent()).toBe(before);
  });
});
