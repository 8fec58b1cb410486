/**
 * Accounts and sessions: the REST layer's Authorization check (OAuth session or AccessKey
 * signature), the API pipeline's session and permission checks, login, logout, ValidateSession.
 */
import { createHmac, timingSafeEqual } from "node:crypto";
import type { SimReply, SimRequest } from "../kit/types.js";
import type { Account, Principal, Session, ZStackContext } from "./context.js";
import { parseDateHeader } from "./dates.js";
import { fail, javaTrim, json, mandatory, MSG, newUuid, object, readBody, str, text } from "./replies.js";

/** The HTTP layer: a refusal, an AccessKey's account, or an OAuth session still to be checked. */
export function authenticate(ctx: ZStackContext, req: SimRequest): Principal | { session: string } {
  const header = req.headers.authorization;
  if (header === undefined) return { error: text(400, "missing header 'Authorization'") };
  const [scheme, ...rest] = header.split(" ");
  const credential = rest.join(" ").trim();
  if (scheme === "OAuth") return { session: credential }; // checked later, in the API pipeline
  if (scheme !== "ZStack") return { error: text(400, "Authorization type must be 'OAuth'") };
  // AccessKey (inferred order of the checks)
  const m = /^([^:\s]+):(\S+)$/.exec(credential);
  if (!m) return { error: text(400, "Invalid header[Authorization], it must be 'ZStack AccessKeyId:Signature'") };
  const date = req.headers.date;
  if (date === undefined) return { error: text(400, "'Date' must be incuded in request header") };
  const wall = parseDateHeader(date);
  if (wall === undefined)
    return { error: text(400, `Invalid header[Date], it must be in the format 'EEE, dd MMM yyyy HH:mm:ss z': ${date}`) };
  const key = ctx.accessKeys.get(m[1]!);
  if (!key) return { error: text(403, `access key id: ${m[1]} does not existed or disabled`) };
  if (Math.abs(wall - ctx.dates.wallClock(req.now)) > ctx.maxSkewMs) return { error: text(403, "requestTimeTooSkewed") };
  let uri = req.path.split("?")[0]!;
  try {
    uri = decodeURIComponent(uri);
  } catch {
    // keep as sent
  }
  const expected = createHmac("sha1", key.secret).update(`${req.method}\n${date}\n${uri}`, "utf8").digest();
  const given = Buffer.from(m[2]!, "base64");
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { error: text(403, "wrong accessKey signature") };
  return { account: key.account };
}

/** The API pipeline's session check: ID.1001 for an unknown or expired session. */
export function principal(ctx: ZStackContext, req: SimRequest, auth: { session: string } | { account: Account }): Principal {
  if ("account" in auth) return auth;
  const s = ctx.store.sessions.get(auth.session);
  if (!s || s.expiresAt <= req.now) return { error: fail("ID.1001", "Session expired") };
  return { account: ctx.accounts.find((a) => a.uuid === s.accountUuid)! };
}

/** The pipeline's first steps for a mutating call: session (ID.1001), then permission (ID.1002). */
export function allowed(who: Principal, msg: string): SimReply | undefined {
  if ("error" in who) return who.error;
  if (who.account.readOnly) return fail("ID.1002", `the account[${who.account.name}] has no permission to call ${msg}`);
  return undefined;
}

export function login(ctx: ZStackContext, req: SimRequest): SimReply {
  const f = object(readBody(req, "logInByAccount", true).logInByAccount, "logInByAccount");
  const name = str(f.accountName, "accountName");
  const pw = str(f.password, "password");
  if (name === undefined) return mandatory("accountName", MSG.LogInByAccount);
  if (pw === undefined) return mandatory("password", MSG.LogInByAccount);
  const account = ctx.accounts.find((a) => a.name === javaTrim(name));
  if (!account || account.passwordSha512 !== javaTrim(pw)) return fail("ID.1000", "wrong account name or password");
  const live = [...ctx.store.sessions.values()].filter((s) => s.accountUuid === account.uuid && s.expiresAt > req.now);
  if (live.length >= ctx.maxSessions)
    return fail("ID.1006", `the account[${account.name}] has reached the max concurrent session number ${ctx.maxSessions}`);
  const session: Session = { uuid: newUuid(), accountUuid: account.uuid, createdAt: req.now, expiresAt: req.now + ctx.sessionMs };
  ctx.store.sessions.set(session.uuid, session);
  return json(200, {
    inventory: {
      uuid: session.uuid,
      accountUuid: account.uuid,
      userUuid: account.uuid,
      userType: "AccountVO",
      createDate: ctx.dates.vendorDate(session.createdAt),
      expiredDate: ctx.dates.vendorDate(session.expiresAt),
    },
  });
}

export function logOut(ctx: ZStackContext, req: SimRequest): SimReply {
  ctx.store.sessions.delete(req.pathParams.sessionUuid ?? "");
  return json(200, {});
}

export function validateSession(ctx: ZStackContext, req: SimRequest): SimReply {
  const s = ctx.store.sessions.get(req.pathParams.sessionUuid ?? "");
  return json(200, { valid: Boolean(s && s.expiresAt > req.now) });
}

/** Every session expired as of `now` (fault injection). */
export function expireSessions(ctx: ZStackContext, now: number): void {
  const past = now - 1;
  for (const s of ctx.store.sessions.values()) s.expiresAt = past;
}

/** What the inspection API shows of the sessions (uuids shortened: they are credentials). */
export function sessionsState(ctx: ZStackContext, now: number) {
  return [...ctx.store.sessions.values()].map((s) => ({
    uuid: `${s.uuid.slice(0, 6)}…`,
    account: ctx.accounts.find((a) => a.uuid === s.accountUuid)?.name,
    expiredDate: ctx.dates.vendorDate(s.expiresAt),
    expired: s.expiresAt <= now,
  }));
}
