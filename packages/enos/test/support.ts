import { createHash } from "node:crypto";
import { startTestServer, type RecordedRequest, type Reply, type TestServer } from "@signalbridge/testkit";
import { createEnosClient, type EnosClientOptions } from "../src/index.js";

export const APP_KEY = "5acb82e7-a11e-4300-9164-c8b20b638e8b";
export const APP_SECRET = "sk-test-0f9e8d7c6b5a";
export const ORG = "o15724268424841";

export const TOKEN_GET = "/apim-token-service/v2.0/token/get";
export const TOKEN_REFRESH = "/apim-token-service/v2.0/token/refresh";
export const RULE = (op: "create" | "search" | "update" | "delete") => `/app-portal-service/v2.2/message-service/rule/${op}`;

/** Independent of the package: node:crypto, not WebCrypto. */
export const sha256 = (text: string) => createHash("sha256").update(text, "utf8").digest("hex");

export const silent = { debug() {}, info() {}, warn() {}, error() {} };

/** The signature the gateway expects for a recorded request, computed from what was received. */
export function expectedSignature(req: RecordedRequest, token: string, secret = APP_SECRET): string {
  const names = [...new Set(req.query.keys())].sort();
  const paramsData = names.map((n) => n + req.query.get(n)).join("") + req.body;
  return sha256(token + paramsData + req.headers["apim-timestamp"] + secret);
}

export interface FakeEnos {
  server: TestServer;
  /** Requests to the message-rule endpoints only. */
  business(): RecordedRequest[];
  tokenCalls(): RecordedRequest[];
  issued: string[];
}

export interface FakeOptions {
  /** Seconds the issued tokens live. Default 7200. */
  expire?: number;
  /** Answer to a token call instead of the default (index = 0-based count of token calls). */
  token?: (req: RecordedRequest, n: number) => Reply | undefined;
  /** Answer to a message-rule call (n = 0-based count of business calls). */
  rules?: (req: RecordedRequest, n: number) => Reply;
}

/**
 * A small EnOS stand-in: the token service checks `encryption`, hands out `tok-1`, `tok-2`, …
 * (get) and `tok-N` (refresh), and the rule endpoints answer what the test says.
 */
export async function fakeEnos(options: FakeOptions = {}): Promise<FakeEnos> {
  const issued: string[] = [];
  let tokenCalls = 0;
  let businessCalls = 0;
  const server = await startTestServer((req) => {
    if (req.pathname === TOKEN_GET || req.pathname === TOKEN_REFRESH) {
      const n = tokenCalls++;
      const custom = options.token?.(req, n);
      if (custom) return custom;
      const body = req.json();
      if (body.encryption !== sha256(body.appKey + body.timestamp + APP_SECRET)) {
        return { body: { status: 1003, msg: "encryption is not valid", business: "apim-token-service" } };
      }
      const token = `tok-${issued.length + 1}`;
      issued.push(token);
      return {
        body: { status: 0, msg: "SUCCESS", business: "apim-token-service", data: { accessToken: token, expire: options.expire ?? 7200 } },
      };
    }
    const n = businessCalls++;
    return options.rules?.(req, n) ?? { body: { code: 0, message: "OK", data: true } };
  });
  return {
    server,
    issued,
    business: () => server.requests.filter((r) => r.pathname.startsWith("/app-portal-service/")),
    tokenCalls: () => server.requests.filter((r) => r.pathname.startsWith("/apim-token-service/")),
  };
}

export function client(baseUrl: string, extra: Partial<EnosClientOptions> = {}) {
  return createEnosClient({
    baseUrl,
    appKey: APP_KEY,
    appSecret: APP_SECRET,
    orgId: ORG,
    logger: silent,
    retry: { initialDelayMs: 1, maxDelayMs: 5 },
    ...extra,
  });
}

export const seedBody = {
  appId: "your_access_key",
  rules: [
    {
      isEnable: 0 as const,
      ruleName: "your_rule_name_1",
      messageRule: { mark1: ["siteA", "siteB"], mark2: ["deviceA", "deviceB"], mark3: ["fault"], mark4: [""], mark5: null },
    },
    {
      isEnable: 0 as const,
      ruleName: "your_rule_name_2",
      messageRule: { mark1: ["siteA", "siteB"], mark2: ["deviceA", "deviceB"], mark3: ["fault"], mark4: [""], mark5: null },
    },
  ],
  relations: [
    { type: 0 as const, identifiers: ["your_id_1", "your_id_2"] },
    { type: 1 as const, identifiers: ["your_id_3"] },
  ],
};
