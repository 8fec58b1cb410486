import { createHash, createHmac } from "node:crypto";
import { startTestServer, type RecordedRequest, type Reply, type TestServer } from "@signalbridge/testkit";
import { createZStackClient, type ZStackClientOptions } from "../src/index.js";

export const ACCOUNT = "admin";
/** Not "password": registered secrets are scrubbed from every message, and that word is common. */
export const PASSWORD = "Zs!tack-Pa55";
export const AK_ID = "Hx4kcRgNKOWl0iXtYmUp";
export const AK_SECRET = "pV9dLq2sT7xW3zA8bC1eF6gH0jK5mN4r";
export const ENDPOINT = "7b9b311a1a6c445bbe48c02b52f91ef6";
export const AT = "/zstack/v1/sns/application-endpoints/ding-talk/at-persons";
/** The management node's own address, as it appears in a 202 `location` (clients must not use it). */
export const INTERNAL = "http://10.255.0.1:8080";

/** Independent of the package: node:crypto, not WebCrypto. */
export const sha512 = (text: string) => createHash("sha512").update(text, "utf8").digest("hex");
export const PASSWORD_SHA512 = sha512(PASSWORD);
export const hmacSha1 = (key: string, text: string) => createHmac("sha1", key).update(text, "utf8").digest("base64");

export const silent = { debug() {}, info() {}, warn() {}, error() {} };

export const inventory = (over: Record<string, unknown> = {}) => ({
  uuid: "af3c83c835234d11b1afe022e85d67ec",
  phoneNumber: "+86-18988887777",
  endpointUuid: ENDPOINT,
  createDate: "Dec 25, 2023 2:07:43 PM",
  lastOpDate: "Dec 25, 2023 2:07:43 PM",
  remark: "jack",
  ...over,
});

export const vendorError = (code: string, details: string, cause?: unknown) => ({
  error: { code, description: `${code} description`, details, ...(cause ? { cause } : {}) },
});

/** What a job answers on each poll: the list is consumed one per poll, the last one repeats. */
export type JobScript = Reply[];

export interface FakeZStack {
  server: TestServer;
  sessions: string[];
  logins(): RecordedRequest[];
  submits(): RecordedRequest[];
  polls(): RecordedRequest[];
  others(): RecordedRequest[];
}

export interface FakeOptions {
  /** Answer to a login (n = 0-based count of logins); default: check the digest, issue `s-1`, `s-2`, … */
  login?: (req: RecordedRequest, n: number) => Reply | undefined;
  /** Answer to an async submit; default 202 with a location on INTERNAL naming the X-Job-UUID. */
  submit?: (req: RecordedRequest, n: number) => Reply | undefined;
  /** What the job of the nth submit answers when polled. Default: 200 with an inventory. */
  job?: (submit: RecordedRequest, n: number) => JobScript;
  /** Answer to anything else (queries, logout, validate). */
  other?: (req: RecordedRequest, n: number) => Reply;
}

const isSubmit = (r: RecordedRequest) =>
  !r.pathname.startsWith("/zstack/v1/api-jobs/") && !r.pathname.startsWith("/zstack/v1/accounts/") && r.method !== "GET";

/** A small ZStack stand-in: login with the SHA-512 digest, 202 + location for async calls, scripted jobs. */
export async function fakeZStack(options: FakeOptions = {}): Promise<FakeZStack> {
  const sessions: string[] = [];
  const jobs = new Map<string, { script: JobScript; polls: number }>();
  let logins = 0;
  let submits = 0;
  let others = 0;
  const server = await startTestServer((req) => {
    if (req.pathname === "/zstack/v1/accounts/login") {
      const n = logins++;
      const custom = options.login?.(req, n);
      if (custom) return custom;
      const b = req.json().logInByAccount;
      if (b.accountName !== ACCOUNT || b.password !== PASSWORD_SHA512) {
        return { status: 503, body: vendorError("ID.1000", "wrong account name or password") };
      }
      const uuid = `5f9d2a36e0d84f6c9d0b9e1b7a3c4d${String(sessions.length + 1).padStart(2, "0")}`;
      sessions.push(uuid);
      return {
        body: {
          inventory: {
            uuid,
            accountUuid: "36c27e8ff05c4780bf6d2fa65700f22e",
            createDate: "Dec 25, 2023 2:07:43 PM",
            expiredDate: "Dec 25, 2023 4:07:43 PM",
          },
        },
      };
    }
    const job = /^\/zstack\/v1\/api-jobs\/([^/]+)$/.exec(req.pathname);
    if (job) {
      const j = jobs.get(job[1]!);
      if (!j) return { status: 404, body: "the job has been expired" };
      const reply = j.script[Math.min(j.polls, j.script.length - 1)]!;
      j.polls++;
      return reply;
    }
    if (isSubmit(req)) {
      const n = submits++;
      const custom = options.submit?.(req, n);
      if (custom) return custom;
      const uuid = req.headers["x-job-uuid"] ?? `job${n}`;
      jobs.set(uuid, { script: options.job?.(req, n) ?? [{ body: { inventory: inventory() } }], polls: 0 });
      return { status: 202, body: { location: `${INTERNAL}/zstack/v1/api-jobs/${uuid}`, apiTimeout: 1_800_000 } };
    }
    const n = others++;
    return options.other?.(req, n) ?? { body: { inventories: [inventory()] } };
  });
  return {
    server,
    sessions,
    logins: () => server.requests.filter((r) => r.pathname === "/zstack/v1/accounts/login"),
    submits: () => server.requests.filter(isSubmit),
    polls: () => server.requests.filter((r) => r.pathname.startsWith("/zstack/v1/api-jobs/")),
    others: () =>
      server.requests.filter(
        (r) =>
          (r.method === "GET" && !r.pathname.startsWith("/zstack/v1/api-jobs/")) || r.pathname.startsWith("/zstack/v1/accounts/sessions/"),
      ),
  };
}

export function client(baseUrl: string, extra: Partial<ZStackClientOptions> = {}) {
  return createZStackClient({
    baseUrl: `${baseUrl}/zstack`,
    auth: { accountName: ACCOUNT, password: PASSWORD },
    logger: silent,
    poll: { initialIntervalMs: 5, maxIntervalMs: 20 },
    ...extra,
  });
}
