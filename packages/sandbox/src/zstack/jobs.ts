/**
 * Async API jobs: a mutating call is answered 202 with a location on the node's "internal" address;
 * the job runs for `jobDurationMs`, then its result is kept for `jobExpirySeconds`.
 */
import type { SimReply, SimRequest } from "../kit/types.js";
import type { ZStackContext } from "./context.js";
import { json, newUuid, text } from "./replies.js";

/** Operations answered by a job (the rest are synchronous). */
export const ASYNC = new Set(["AddSNSDingTalkAtPerson", "UpdateAtPersonOfAtDingTalkEndpoint", "RemoveSNSDingTalkAtPerson"]);

/** X-Job-UUID checks of the REST layer, before anything runs. */
export function jobHeaderRefused(ctx: ZStackContext, req: SimRequest): SimReply | undefined {
  const jobUuid = req.headers["x-job-uuid"];
  if (jobUuid === undefined) return undefined;
  if (jobUuid.length !== 32) return text(400, "Invalid header[X-Job-UUID], it must be a UUID with '-' stripped");
  if (req.operationId && ASYNC.has(req.operationId) && ctx.store.jobs.has(jobUuid)) return text(400, `Duplicate job uuid[${jobUuid}]`);
  return undefined;
}

/** Run `outcome` now (its side effects happen at submission) and publish its reply as the job's result. */
export function submitJob(ctx: ZStackContext, req: SimRequest, operation: string, outcome: () => SimReply): SimReply {
  const jobUuid = req.headers["x-job-uuid"] ?? newUuid();
  const seconds = req.headers["x-api-timeout"];
  const apiTimeout = seconds !== undefined && /^\d+$/.test(seconds.trim()) ? Number(seconds.trim()) * 1000 : ctx.defaultApiTimeoutMs;
  const result = outcome();
  const doneAt = req.now + ctx.jobDurationMs;
  ctx.store.jobs.set(jobUuid, {
    uuid: jobUuid,
    operation,
    doneAt,
    expiresAt: doneAt + ctx.jobExpiryMs,
    status: result.status,
    body: result.body,
  });
  return json(202, { location: `${ctx.locationOrigin}/zstack/v1/api-jobs/${jobUuid}`, apiTimeout });
}

export function pollJob(ctx: ZStackContext, req: SimRequest): SimReply {
  const job = ctx.store.jobs.get(req.pathParams.uuid ?? "");
  if (!job || job.expiresAt <= req.now) {
    if (job) ctx.store.jobs.delete(job.uuid);
    return text(404, "the job has been expired");
  }
  if (job.doneAt > req.now) return json(202, {});
  return json(job.status, job.body);
}

/** What the inspection API shows of the jobs. */
export function jobsState(ctx: ZStackContext, now: number) {
  return [...ctx.store.jobs.values()].map((j) => ({ uuid: j.uuid, operation: j.operation, status: j.doneAt > now ? 202 : j.status }));
}
