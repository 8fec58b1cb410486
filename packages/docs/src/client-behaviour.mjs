/**
 * What the client does with each documented error code, found out by doing it: at build time
 * every code of every operation is sent, in the vendor's own error shape, through the real built
 * client against the sandbox (127.0.0.1), and the page shows what happened: how often the
 * request went out, whether the credential was renewed in between, and which error class and
 * `kind` the call threw. There is no second copy of the clients' retry rules to drift from them:
 * change a vendor's classify() or core's retry rules and the next docs build shows the new
 * behaviour.
 *
 * Only the shape of each vendor's error answers is written here (as in the vendor's docs and the
 * spec's response schemas), and one ordinary call per operation.
 */
import { startSandbox } from "@signalbridge/sandbox";
import { createZStackClient } from "@signalbridge/zstack";
import { createEiamClient } from "@signalbridge/bamboocloud-eiam";
import { createEnosClient } from "@signalbridge/enos";

/** The default retry policy (3 attempts), with waits of 1 ms so that a build does not sleep. */
const FAST_RETRY = { initialDelayMs: 1, maxDelayMs: 1 };

let phone = 13800000000;
const nextPhone = () => `+86-${++phone}`;

/**
 * Per vendor: the operations that obtain its credential, the answer that carries a code, the
 * client, and one call per operation (`via`: the operation a caller invokes to reach one that
 * the client calls by itself, such as a login or a job poll).
 */
const PLANS = {
  zstack: {
    credentialOperations: ["LogInByAccount"],
    answer: (e) => ({ status: e.status, body: { error: { code: e.code, description: e.meaning, details: e.meaning } } }),
    target: (operationId, e) => (e.arrivesAt === "poll" ? "getApiJobResult" : operationId),
    warmUp: (c) => c.queryDingTalkAtPersons({ limit: 1 }),
    client: (sb) => createZStackClient({ ...sb.config.zstack, retry: FAST_RETRY, poll: { initialIntervalMs: 5, maxIntervalMs: 10 } }),
    calls: (sb) => {
      const f = sb.fixtures.zstack;
      const endpointUuid = f.dingTalkEndpoints[0].uuid;
      const seeded = f.atPersons[0];
      return {
        AddSNSDingTalkAtPerson: (c) => c.addDingTalkAtPerson({ endpointUuid, phoneNumber: nextPhone() }),
        QuerySNSDingTalkAtPerson: (c) => c.queryDingTalkAtPersons({ limit: 1 }),
        QuerySNSDingTalkAtPersonByUuid: (c) => c.getDingTalkAtPerson(seeded.uuid),
        UpdateAtPersonOfAtDingTalkEndpoint: (c) => c.updateDingTalkAtPerson(seeded.uuid, { endpointUuid, remark: "probe" }),
        RemoveSNSDingTalkAtPerson: (c) => c.removeDingTalkAtPerson({ endpointUuid, phoneNumber: nextPhone() }),
        getApiJobResult: { via: "AddSNSDingTalkAtPerson" },
        LogInByAccount: { via: "QuerySNSDingTalkAtPerson" },
        LogOut: (c) => c.logOut(),
        ValidateSession: (c) => c.validateSession(),
      };
    },
  },
  eiam: {
    credentialOperations: ["getAccessToken"],
    // OAuth2 errors are lower-case words ({error, error_description}); business codes are not.
    answer: (e) =>
      /^[a-z_]+$/.test(e.code)
        ? { status: e.status, body: { error: e.code, error_description: e.meaning } }
        : { status: e.status, body: { error_code: e.code, error_msg: e.meaningZh ?? e.meaning } },
    target: (operationId) => operationId,
    warmUp: (c) => c.accessToken(),
    client: (sb) => createEiamClient({ ...sb.config.eiam, allowInsecureHttp: true, retry: FAST_RETRY }),
    calls: (sb) => ({
      sendInSiteNotice: (c) =>
        c.sendInSiteNotice({ title: "probe", content: "probe", message_type: "TEXT", user_names: [sb.fixtures.eiam.userNames[0]] }),
      getInSiteNoticeSendResult: (c) => c.getInSiteNoticeSendResult("probe-notice"),
      getAccessToken: { via: "getInSiteNoticeSendResult" },
    }),
  },
  enos: {
    credentialOperations: ["getAccessToken", "refreshAccessToken"],
    answer: (e, operationId) => {
      if (operationId === "getAccessToken" || operationId === "refreshAccessToken")
        return { status: e.status, body: { status: Number(e.code), msg: e.meaning, data: null } };
      if (e.status === 401) return { status: 401, body: { message: "Invalid authentication credentials", apim_status: Number(e.code) } };
      return { status: e.status, body: { code: Number(e.code), message: e.meaning, data: null } };
    },
    target: (operationId) => operationId,
    warmUp: (c) => c.accessToken(),
    client: (sb) => createEnosClient({ ...sb.config.enos, allowInsecureHttp: true, retry: FAST_RETRY }),
    calls: (_sb) => {
      const rule = { ruleName: "probe", messageRule: { mark1: ["probe"] }, isEnable: 1 };
      return {
        createMessageRules: (c) => c.createMessageRules({ rules: [rule] }),
        searchMessageRules: (c) => c.searchMessageRules({ ruleIds: ["mr-probe"] }),
        updateMessageRules: (c) => c.updateMessageRules({ ruleId: "mr-probe", messageRule: { mark1: ["probe"] } }),
        deleteMessageRules: (c) => c.deleteMessageRules({ ruleIds: ["mr-probe"] }),
        getAccessToken: { via: "searchMessageRules" },
        // The client refreshes its token when the gateway answers 4011; the refresh then gets the code.
        refreshAccessToken: {
          via: "searchMessageRules",
          before: {
            operation: "searchMessageRules",
            nth: 1,
            status: 401,
            body: { message: "Invalid authentication credentials", apim_status: 4011, apim_refreshtoken: "probe" },
          },
        },
      };
    },
  },
};

/** What a client did with a code: `{ sends, renewed, error?: { name, kind, code, status } }` (no error: the call succeeded). */
async function probeOne(sb, vendorKey, operationId, entry) {
  const plan = PLANS[vendorKey];
  const calls = plan.calls(sb);
  const call = calls[operationId];
  if (!call)
    throw new Error(
      `docs: no probe call for ${vendorKey} ${operationId} (it has x-error-codes): add "${operationId}: (c) => c.<method>(…)" to PLANS.${vendorKey}.calls in packages/docs/src/client-behaviour.mjs`,
    );
  const invoke = typeof call === "function" ? call : calls[call.via];
  const server = sb[vendorKey];
  const target = plan.target(operationId, entry);
  const client = plan.client(sb);
  // Warm up (log in, get a token) unless the code is the answer of the credential request itself.
  const credentialFault = plan.credentialOperations.includes(target);
  if (!credentialFault) await plan.warmUp(client);
  server.clearFaults();
  if (typeof call !== "function" && call.before) server.addFault({ ...call.before, body: JSON.stringify(call.before.body) });
  const { status, body } = plan.answer(entry, target);
  server.addFault({ operation: target, status, body: JSON.stringify(body) });
  const from = server.requests.length;
  let error;
  try {
    await invoke(client);
  } catch (e) {
    error = { name: e?.name, kind: e?.kind, code: e?.code, status: e?.status, message: String(e?.message) };
  } finally {
    server.clearFaults();
  }
  const seen = server.requests.slice(from);
  const sends = seen.filter((r) => r.operationId === target).length;
  const renewals = credentialFault
    ? 0
    : seen.filter((r) => plan.credentialOperations.includes(r.operationId) && r.operationId !== target).length;
  return { target, sends, renewed: renewals > 0, error };
}

/** The words the page shows for a probe result. */
export function retryText(result) {
  if (result.renewed && result.sends >= 2) return `renews the credential, re-sends once (${result.sends} sends)`;
  if (result.renewed) return "renews the credential";
  if (result.sends > 1) return `retried (${result.sends} sends)`;
  return "not retried (1 send)";
}

/**
 * Probe every (operation, code) of every vendor: `Map("<vendor> <operationId> <code>" → result)`.
 * Fails when a probe's error carries another code than the one sent, or is not a signalbridge
 * error: then the probe call itself is wrong, and the page would say something untrue.
 */
export async function probeClientBehaviour(site, errorCodesOf) {
  const sb = await startSandbox({ port: 0 });
  const results = new Map();
  const problems = [];
  try {
    for (const v of site) {
      if (!PLANS[v.key]) throw new Error(`docs: no client-behaviour plan for vendor ${v.key}; add one to src/client-behaviour.mjs`);
      for (const e of errorCodesOf(v)) {
        for (const o of e.operations) {
          const entry = { ...o.entry, code: e.code, meaningZh: e.meaningZh };
          if (v.key === "enos" && e.code === "0") continue; // success, not an error
          const r = await probeOne(sb, v.key, o.operationId, entry);
          if (r.error && (String(r.error.code) !== e.code || !r.error.kind)) {
            problems.push(
              `${v.key} ${o.operationId} ${e.code}: the probe threw ${r.error.name} (${r.error.kind}, code ${r.error.code}): ${r.error.message}`,
            );
          }
          if (r.sends === 0) problems.push(`${v.key} ${o.operationId} ${e.code}: the probe call never reached ${r.target}`);
          results.set(`${v.key} ${o.operationId} ${e.code}`, r);
          sb[v.key].reset();
        }
      }
    }
  } finally {
    await sb.close();
  }
  if (problems.length) throw new Error(`docs build failed, client-behaviour probes:\n  ${problems.join("\n  ")}`);
  return results;
}
