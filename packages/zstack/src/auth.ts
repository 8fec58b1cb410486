import {
  ConfigurationError,
  ResponseShapeError,
  TokenCache,
  hmacBase64,
  requireOption,
  sha512Hex,
  type ApiClient,
  type OutgoingRequest,
  type ReceivedResponse,
  type Redactor,
  type TransportHooks,
  type Verdict,
} from "@signalbridge/core";
import type { operations } from "./generated/operations.js";
import type { components, paths } from "./generated/schema.js";

/** This vendor's engine, typed by its spec's paths and operation table. */
type Api = ApiClient<paths, typeof operations>;
import { causeCodesOf, vendorErrorOf } from "./errors.js";

/**
 * How the client authenticates:
 * - `{ accountName, password }`: logs in (`LogInByAccount`, password sent as its SHA-512 hex),
 *   caches the session until shortly before it expires, logs in again once on ID.1001;
 * - `{ accountName, passwordSha512 }`: the same with a password you already hashed;
 * - `{ sessionUuid }`: a session you obtained elsewhere (cannot be renewed);
 * - `{ accessKeyId, accessKeySecret }`: AccessKey signature on every call (HMAC-SHA1).
 */
export type ZStackAuthOptions =
  | { accountName: string; password: string; accountType?: string }
  | { accountName: string; passwordSha512: string; accountType?: string }
  | { sessionUuid: string }
  | { accessKeyId: string; accessKeySecret: string };

export interface ZStackAuthSettings {
  /**
   * IANA time zone of the management node, for the AccessKey `Date` header: with the default
   * `rest/checkTimeZone=false` the server compares wall-clock times and ignores the zone, so the
   * header must show the server's local time. Default "Asia/Shanghai".
   */
  timeZone?: string;
  /** Zone text at the end of the `Date` header. Default "CST" for China zones, else "GMT+hh:mm". */
  timeZoneAbbreviation?: string;
  /** Clock, for tests. */
  now?: () => number;
}

type SessionInventory = components["schemas"]["SessionInventory"];
type LogInReply = components["schemas"]["LogInReply"];

/** Operations that take no Authorization header (`@SuppressCredentialCheck`, or api-jobs). */
const NO_AUTH = new Set(["LogInByAccount", "LogOut", "ValidateSession", "getApiJobResult"]);

/** The session lifetime when the login answer does not let us compute it (identity/session.timeout). */
const DEFAULT_SESSION_MS = 7_200_000;

export interface ZStackAuth extends TransportHooks {
  readonly mode: "account" | "session" | "accessKey";
  /** The session held now (account or session mode), without logging in. */
  currentSession(): string | undefined;
  /** Forget the session (after logging it out). */
  forgetSession(sessionUuid: string): void;
  /**
   * An async job sent with X-Job-UUID `jobUuid` failed on the poll with ID.1001: the submit was
   * refused unprocessed. Renews the session used for it; false when renewal is impossible.
   */
  renewForJob(jobUuid: string): Promise<boolean>;
  /** Drop what was remembered about a job's submit. */
  forgetJob(jobUuid: string): void;
}

export function createZStackAuth(api: Api, options: ZStackAuthOptions | undefined, settings: ZStackAuthSettings = {}): ZStackAuth {
  requireOption("zstack", "auth", options, "{ accountName, password } | { sessionUuid } | { accessKeyId, accessKeySecret }");
  const o = options as Record<string, unknown>;
  if ("accessKeyId" in o || "accessKeySecret" in o) {
    requireOption("zstack", "auth.accessKeyId", o.accessKeyId);
    requireOption("zstack", "auth.accessKeySecret", o.accessKeySecret);
    return accessKeyAuth(api, String(o.accessKeyId), String(o.accessKeySecret), settings);
  }
  if ("sessionUuid" in o) {
    requireOption("zstack", "auth.sessionUuid", o.sessionUuid);
    return sessionAuth(api.redactor, String(o.sessionUuid), undefined);
  }
  if ("accountName" in o || "password" in o || "passwordSha512" in o) {
    requireOption("zstack", "auth.accountName", o.accountName);
    if (o.passwordSha512 === undefined) requireOption("zstack", "auth.password", o.password);
    else if (typeof o.passwordSha512 !== "string" || !/^[0-9a-fA-F]{128}$/.test(o.passwordSha512)) {
      throw new ConfigurationError("zstack: auth.passwordSha512 must be the 128-character hex SHA-512 of the password", {
        vendor: "zstack",
      });
    }
    return accountAuth(api, o as { accountName: string; password?: string; passwordSha512?: string; accountType?: string }, settings);
  }
  throw new ConfigurationError(
    "zstack: auth must be { accountName, password }, { accountName, passwordSha512 }, { sessionUuid } or { accessKeyId, accessKeySecret }",
    { vendor: "zstack" },
  );
}

/** Session (`OAuth <uuid>`) hooks, shared by the account and the given-session modes. */
function sessionAuth(redactor: Redactor, given: string | undefined, cache: TokenCache | undefined): ZStackAuth {
  // A session given in the options is a configured credential: scrubbed for the client's whole life.
  if (given) redactor.pin(given);
  let fixed = given;
  // Which session each async submit went out with, so that an ID.1001 on its poll renews that one.
  const sessionByJob = new Map<string, string>();

  const sessionOf = (request: OutgoingRequest) => /^OAuth (.+)$/.exec(request.headers.get("authorization") ?? "")?.[1];

  return {
    mode: cache ? "account" : "session",
    async authorize(request) {
      if (NO_AUTH.has(request.operation.id)) return;
      const session = cache ? (await cache.get(request.signal)).value : fixed;
      if (!session) return;
      request.headers.set("Authorization", `OAuth ${session}`);
      const job = request.headers.get("x-job-uuid");
      if (job) {
        sessionByJob.set(job, session);
        if (sessionByJob.size > 1000) sessionByJob.delete(sessionByJob.keys().next().value as string);
      }
    },
    classify(response: ReceivedResponse, request: OutgoingRequest): Verdict {
      if (response.status !== 503) return undefined;
      const error = vendorErrorOf(response.json());
      if (!error) return undefined;
      // ID.1001 before anything ran (sync APIs check the session first): renew once and re-send.
      const codes = [error.code?.trim(), ...causeCodesOf(error)];
      if (cache && !NO_AUTH.has(request.operation.id) && codes.includes("ID.1001")) return "credential-rejected";
      return "final"; // a definitive vendor answer (and, on api-jobs, the fixed result of the job)
    },
    renewCredential(request) {
      cache?.invalidate(sessionOf(request));
    },
    currentSession() {
      return cache ? cache.peek()?.value : fixed;
    },
    forgetSession(sessionUuid) {
      if (cache) cache.invalidate(sessionUuid);
      else if (fixed === sessionUuid) fixed = undefined;
    },
    async renewForJob(jobUuid) {
      const used = sessionByJob.get(jobUuid);
      sessionByJob.delete(jobUuid);
      if (!cache) return false;
      cache.invalidate(used);
      return true;
    },
    forgetJob(jobUuid) {
      sessionByJob.delete(jobUuid);
    },
  };
}

function accountAuth(
  api: Api,
  account: { accountName: string; password?: string; passwordSha512?: string; accountType?: string },
  settings: ZStackAuthSettings,
): ZStackAuth {
  const now = settings.now ?? Date.now;
  const redactor = api.redactor;
  // The password and its SHA-512 (which *is* the credential on the wire) are pinned: however many
  // sessions the client logs in for, they are scrubbed from its output.
  redactor.pin(account.password);
  if (account.passwordSha512 !== undefined) {
    redactor.pin(account.passwordSha512);
    redactor.pin(account.passwordSha512.toLowerCase());
    redactor.pin(account.passwordSha512.toUpperCase());
  }
  let hashed: Promise<string> | undefined;
  const passwordHash = () =>
    (hashed ??= (
      account.passwordSha512 !== undefined ? Promise.resolve(account.passwordSha512.toLowerCase()) : sha512Hex(account.password!)
    ).then((h) => {
      redactor.pin(h);
      redactor.pin(h.toUpperCase());
      return h;
    }));

  const cache = new TokenCache(
    async () => {
      const logInByAccount: components["schemas"]["LogInByAccountParams"] = {
        accountName: account.accountName,
        password: await passwordHash(),
      };
      if (account.accountType !== undefined) logInByAccount.accountType = account.accountType;
      const body = { logInByAccount };
      const reply = await api.invoke<LogInReply>("LogInByAccount", { body }, (init) =>
        api.raw.PUT("/v1/accounts/login", { body, ...init }),
      );
      const uuid = reply.inventory?.uuid;
      if (typeof uuid !== "string" || uuid === "") {
        throw new ResponseShapeError("zstack LogInByAccount: the answer has no inventory.uuid (the session id)", {
          vendor: "zstack",
          operation: "LogInByAccount",
          status: 200,
          body: reply,
          redactor,
        });
      }
      // The current session is never evicted; the one it replaces ages out with other superseded ones.
      redactor.rotate("session", uuid);
      return { value: uuid, expiresAt: now() + sessionLifetimeMs(reply.inventory) };
    },
    { now },
  );
  return sessionAuth(redactor, undefined, cache);
}

/**
 * How long a session lives: `expiredDate - createDate` of the login answer. Both are the server's
 * wall-clock time without a zone, so their difference is right whatever the zone and whatever the
 * skew between our clock and the server's.
 */
export function sessionLifetimeMs(session: SessionInventory | undefined): number {
  const created = session?.createDate ? wallClockMs(session.createDate) : undefined;
  const expires = session?.expiredDate ? wallClockMs(session.expiredDate) : undefined;
  if (created === undefined || expires === undefined || expires <= created) return DEFAULT_SESSION_MS;
  return expires - created;
}

const MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];
// "Dec 25, 2023 2:07:43 PM"; newer JDKs may write "Dec 25, 2023, 2:07:43\u202fPM".
const VENDOR_DATE = /^\s*([A-Za-z]{3})[a-z]*\.? (\d{1,2}), (\d{4}),? (\d{1,2}):(\d{2}):(\d{2})[\s\u202f\u00a0]*([AaPp])\.?[Mm]\.?\s*$/;

/** The wall-clock time of a vendor date as if it were UTC (ms), or undefined when unreadable. */
function wallClockMs(value: string): number | undefined {
  const m = VENDOR_DATE.exec(value);
  if (!m) return undefined;
  const month = MONTHS.indexOf(m[1]!.toLowerCase());
  if (month < 0) return undefined;
  let hour = Number(m[4]) % 12;
  if (m[7]!.toLowerCase() === "p") hour += 12;
  return Date.UTC(Number(m[3]), month, Number(m[2]), hour, Number(m[5]), Number(m[6]));
}

/**
 * Parse a ZStack date such as `"Dec 25, 2023 2:07:43 PM"` (`createDate`, `lastOpDate`,
 * `expiredDate`). The string carries no zone: it is the management node's local time, so pass the
 * node's IANA zone (default "Asia/Shanghai"). Returns undefined when the text is not such a date.
 */
export function parseZStackDate(value: string, timeZone = "Asia/Shanghai"): Date | undefined {
  const wall = wallClockMs(value);
  if (wall === undefined) return undefined;
  // Find the instant whose wall-clock time in `timeZone` is `wall` (two passes settle DST edges).
  let instant = wall - offsetMs(timeZone, wall);
  instant = wall - offsetMs(timeZone, instant);
  return new Date(instant);
}

const offsetFormats = new Map<string, Intl.DateTimeFormat>();

/** The zone's offset from UTC at `instant`, in ms. */
function offsetMs(timeZone: string, instant: number): number {
  let fmt = offsetFormats.get(timeZone);
  if (!fmt) {
    fmt = new Intl.DateTimeFormat("en-US", {
      timeZone,
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
      hourCycle: "h23",
    });
    offsetFormats.set(timeZone, fmt);
  }
  const p = Object.fromEntries(fmt.formatToParts(new Date(instant)).map((x) => [x.type, x.value]));
  const asUtc = Date.UTC(Number(p.year), Number(p.month) - 1, Number(p.day), Number(p.hour), Number(p.minute), Number(p.second));
  return asUtc - Math.floor(instant / 1000) * 1000;
}

/** Zones whose Java short name is "CST" (China Standard Time), as the vendor's SDKs send it. */
const CHINA_ZONES = new Set([
  "Asia/Shanghai",
  "Asia/Chongqing",
  "Asia/Chungking",
  "Asia/Harbin",
  "Asia/Urumqi",
  "PRC",
  "Asia/Taipei",
  "Asia/Macau",
]);

/**
 * A formatter for the AccessKey `Date` header, `EEE, dd MMM yyyy HH:mm:ss z` in the server's
 * local time (e.g. `Mon, 25 Dec 2023 14:07:43 CST`).
 */
export function createDateHeaderFormatter(timeZone = "Asia/Shanghai", abbreviation?: string): (instant: number) => string {
  let fmt: Intl.DateTimeFormat;
  try {
    fmt = new Intl.DateTimeFormat("en-US", {
      timeZone,
      weekday: "short",
      day: "2-digit",
      month: "short",
      year: "numeric",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
      hourCycle: "h23",
    });
  } catch {
    throw new ConfigurationError(`zstack: timeZone "${timeZone}" is not an IANA time zone known to this runtime`, { vendor: "zstack" });
  }
  const fixedZone = abbreviation ?? (CHINA_ZONES.has(timeZone) ? "CST" : undefined);
  return (instant) => {
    const p = Object.fromEntries(fmt.formatToParts(new Date(instant)).map((x) => [x.type, x.value]));
    let zone = fixedZone;
    if (!zone) {
      const minutes = Math.round(offsetMs(timeZone, instant) / 60_000);
      const abs = Math.abs(minutes);
      zone =
        minutes === 0
          ? "GMT"
          : `GMT${minutes < 0 ? "-" : "+"}${String(Math.floor(abs / 60)).padStart(2, "0")}:${String(abs % 60).padStart(2, "0")}`;
    }
    return `${p.weekday}, ${p.day} ${p.month} ${p.year} ${p.hour}:${p.minute}:${p.second} ${zone}`;
  };
}

/**
 * The string the AccessKey signature covers: `METHOD\nDate\nURI`, where URI is the request path
 * without the context path and without the query string, percent-decoded (`/v1/...`).
 */
export function accessKeyStringToSign(method: string, date: string, url: string, basePath: string): string {
  let path = new URL(url).pathname;
  if (basePath && path.startsWith(basePath)) path = path.slice(basePath.length);
  let uri = path;
  try {
    uri = decodeURIComponent(path);
  } catch {
    // a malformed escape: sign the path as sent
  }
  return `${method.toUpperCase()}\n${date}\n${uri}`;
}

function accessKeyAuth(api: Api, accessKeyId: string, accessKeySecret: string, settings: ZStackAuthSettings): ZStackAuth {
  api.redactor.pin(accessKeySecret);
  const now = settings.now ?? Date.now;
  const formatDate = createDateHeaderFormatter(settings.timeZone ?? "Asia/Shanghai", settings.timeZoneAbbreviation);
  const basePath = new URL(api.baseUrl).pathname.replace(/\/+$/, "");
  return {
    mode: "accessKey",
    async authorize(request) {
      if (NO_AUTH.has(request.operation.id)) return;
      const date = formatDate(now());
      const signature = await hmacBase64("SHA-1", accessKeySecret, accessKeyStringToSign(request.method, date, request.url, basePath));
      api.redactor.signature(signature); // replayable while its Date is fresh: hidden like a token
      request.headers.set("Date", date);
      request.headers.set("Authorization", `ZStack ${accessKeyId}:${signature}`);
    },
    classify(response) {
      // 503 {"error"} is a definitive answer; AccessKey refusals are plain-text 400/403 (never retried).
      if (response.status === 503 && vendorErrorOf(response.json())) return "final";
      return undefined;
    },
    currentSession: () => undefined,
    forgetSession: () => {},
    renewForJob: async () => false,
    forgetJob: () => {},
  };
}
