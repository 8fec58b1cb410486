/**
 * SNS DingTalk at-persons: Add, Update and Remove (async jobs whose parameter checks run in the job,
 * after trimming, answering SYS.1007 / SYS.1003), and the inventory they are shown as.
 */
import type { SimReply, SimRequest } from "../kit/types.js";
import type { AtPerson, Principal, ZStackContext } from "./context.js";
import { submitJob } from "./jobs.js";
import { fail, isBlank, javaTrim, json, mandatory, MSG, newUuid, notFound, object, readBody, str, strList, tooLong } from "./replies.js";
import { allowed } from "./sessions.js";

const UUID_SHAPED = /^[0-9a-f]{32}$/;

/** An at-person as the vendor answers it (Gson omits nulls). */
export function inventory(ctx: ZStackContext, p: AtPerson): Record<string, unknown> {
  const inv: Record<string, unknown> = {
    uuid: p.uuid,
    phoneNumber: p.phoneNumber,
    endpointUuid: p.endpointUuid,
    createDate: ctx.dates.vendorDate(p.createdAt),
    lastOpDate: ctx.dates.vendorDate(p.lastOpAt),
  };
  if (p.remark !== undefined) inv.remark = p.remark;
  return inv;
}

/** Back to the seeded at-persons, created at `now`. */
export function seedAtPersons(ctx: ZStackContext, now: number): Map<string, AtPerson> {
  return new Map(ctx.fixtures.atPersons.map((p) => [p.uuid, { ...p, createdAt: now, lastOpAt: now }]));
}

const endpointExists = (ctx: ZStackContext, uuid: string) => ctx.fixtures.dingTalkEndpoints.some((e) => e.uuid === uuid);
const systemTagsRefused = (tags: string[] | undefined) =>
  tags?.length ? fail("SYS.1007", `no system tag matches the system tag[${tags[0]}] for resource type SNSDingTalkAtPersonVO`) : undefined; // inferred

export function add(ctx: ZStackContext, req: SimRequest, who: Principal): SimReply {
  const body = readBody(req, "params", false);
  const p = object(body.params, "params");
  const phone = str(p.phoneNumber, "phoneNumber");
  const endpoint = str(p.endpointUuid, "endpointUuid");
  const remark = str(p.remark, "remark");
  const resourceUuid = str(p.resourceUuid, "resourceUuid");
  const tags = strList(p.tagUuids, "tagUuids");
  const systemTags = strList(body.systemTags, "systemTags");
  strList(body.userTags, "userTags");
  return submitJob(ctx, req, "AddSNSDingTalkAtPerson", () => {
    const msg = MSG.AddSNSDingTalkAtPerson;
    const denied = allowed(who, msg);
    if (denied) return denied;
    if (phone === undefined) return mandatory("phoneNumber", msg);
    const phoneNumber = javaTrim(phone);
    if (phoneNumber.length > ctx.rules.addPhoneMax) return tooLong("phoneNumber", msg, ctx.rules.addPhoneMax, phoneNumber.length);
    if (endpoint === undefined) return mandatory("endpointUuid", msg);
    const endpointUuid = javaTrim(endpoint);
    if (!endpointExists(ctx, endpointUuid)) return notFound("endpointUuid", endpointUuid, "SNSDingTalkEndpointVO");
    const note = remark === undefined ? undefined : javaTrim(remark);
    if (note !== undefined && note.length > ctx.rules.addRemarkMax) return tooLong("remark", msg, ctx.rules.addRemarkMax, note.length);
    for (const t of tags ?? []) if (!ctx.fixtures.tagUuids.includes(javaTrim(t))) return notFound("tagUuids", t, "TagPatternVO");
    if (resourceUuid !== undefined && !ctx.rules.zstackUuid.test(resourceUuid)) {
      return fail(
        "SYS.1007",
        `resourceUuid[${resourceUuid}] is not a valid uuid. A valid uuid is a UUID(v4 recommended) with '-' stripped. see http://en.wikipedia.org/wiki/Universally_unique_identifier for format of UUID, the regular expression ZStack uses to validate a UUID is '[0-9a-f]{8}[0-9a-f]{4}[1-5][0-9a-f]{3}[89ab][0-9a-f]{3}[0-9a-f]{12}'`,
      );
    }
    const refused = systemTagsRefused(systemTags);
    if (refused) return refused;
    // SNSApiInterceptor
    if (!ctx.rules.dingDingPhone.test(phoneNumber))
      return fail("SYS.1007", `invalid phone number[${phoneNumber}], the DingDing phone number is like +86-12388889999`);
    if ([...ctx.store.atPersons.values()].some((x) => x.endpointUuid === endpointUuid && x.phoneNumber === phoneNumber)) {
      return fail("SYS.1007", `phone number[${phoneNumber}] already exists`);
    }
    const uuid = resourceUuid ?? newUuid();
    if (ctx.store.atPersons.has(uuid))
      return fail("SYS.1000", `resource[uuid:${uuid}] already exists: duplicate entry for the primary key`); // inferred text
    const person: AtPerson = { uuid, phoneNumber, endpointUuid, remark: note, createdAt: req.now, lastOpAt: req.now };
    ctx.store.atPersons.set(uuid, person);
    ctx.store.created++;
    return json(200, { inventory: inventory(ctx, person) });
  });
}

export function update(ctx: ZStackContext, req: SimRequest, who: Principal): SimReply {
  const body = readBody(req, "updateAtPersonOfAtDingTalkEndpoint", true);
  const p = object(body.updateAtPersonOfAtDingTalkEndpoint, "updateAtPersonOfAtDingTalkEndpoint");
  const endpoint = str(p.endpointUuid, "endpointUuid");
  const phone = str(p.phoneNumber, "phoneNumber");
  const remark = str(p.remark, "remark");
  const systemTags = strList(body.systemTags, "systemTags");
  strList(body.userTags, "userTags");
  const uuid = req.pathParams.uuid ?? "";
  return submitJob(ctx, req, "UpdateAtPersonOfAtDingTalkEndpoint", () => {
    const msg = MSG.UpdateAtPersonOfAtDingTalkEndpoint;
    const denied = allowed(who, msg);
    if (denied) return denied;
    const person = ctx.store.atPersons.get(javaTrim(uuid));
    if (!person) return notFound("uuid", uuid, "SNSDingTalkAtPersonVO");
    if (endpoint === undefined) return mandatory("endpointUuid", msg);
    const endpointUuid = javaTrim(endpoint);
    if (!endpointExists(ctx, endpointUuid)) return notFound("endpointUuid", endpointUuid, "SNSDingTalkEndpointVO");
    const phoneNumber = phone === undefined ? undefined : javaTrim(phone);
    if (phoneNumber !== undefined && phoneNumber.length > ctx.rules.updatePhoneMax)
      return tooLong("phoneNumber", msg, ctx.rules.updatePhoneMax, phoneNumber.length);
    const note = remark === undefined ? undefined : javaTrim(remark);
    if (note !== undefined && note.length > ctx.rules.updateRemarkMax)
      return tooLong("remark", msg, ctx.rules.updateRemarkMax, note.length);
    const refused = systemTagsRefused(systemTags);
    if (refused) return refused;
    if (phoneNumber !== undefined && !isBlank(phoneNumber)) {
      if (!ctx.rules.dingDingPhone.test(phoneNumber))
        return fail("SYS.1007", `invalid phone number[${phoneNumber}], the DingDing phone number is like +86-12388889999`);
      // the interceptor's check includes the at-person itself (setting its own number again fails)
      if ([...ctx.store.atPersons.values()].some((x) => x.endpointUuid === endpointUuid && x.phoneNumber === phoneNumber)) {
        return fail("SYS.1007", `phone number[${phoneNumber}] already exists`);
      }
      person.phoneNumber = phoneNumber;
    }
    if (note !== undefined) person.remark = note;
    person.lastOpAt = req.now;
    return json(200, { inventory: inventory(ctx, person) });
  });
}

export function remove(ctx: ZStackContext, req: SimRequest, who: Principal): SimReply {
  const endpointUuid = javaTrim(req.pathParams.endpointUuid ?? "");
  const phoneNumber = javaTrim(req.pathParams.phoneNumber ?? "");
  const deleteMode = req.query.get("deleteMode");
  const systemTags = req.query.getAll("systemTags");
  return submitJob(ctx, req, "RemoveSNSDingTalkAtPerson", () => {
    const denied = allowed(who, MSG.RemoveSNSDingTalkAtPerson);
    if (denied) return denied;
    if (deleteMode !== null && deleteMode !== "Permissive" && deleteMode !== "Enforcing") {
      return fail(
        "SYS.1007",
        `valid value for field[deleteMode] of message[${MSG.RemoveSNSDingTalkAtPerson}] are [Enforcing, Permissive], but ${deleteMode} found`,
      );
    }
    if (!endpointExists(ctx, endpointUuid)) {
      // successIfResourceNotExisting: a UUID-shaped id that does not exist succeeds at once
      if (UUID_SHAPED.test(endpointUuid)) return json(200, {});
      return notFound("endpointUuid", endpointUuid, "SNSDingTalkEndpointVO");
    }
    const refused = systemTagsRefused(systemTags);
    if (refused) return refused;
    for (const [uuid, p] of ctx.store.atPersons)
      if (p.endpointUuid === endpointUuid && p.phoneNumber === phoneNumber) ctx.store.atPersons.delete(uuid);
    return json(200, {});
  });
}
