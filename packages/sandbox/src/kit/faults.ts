import type { FaultSpec } from "./types.js";

interface ActiveFault {
  id: number;
  spec: FaultSpec;
  seen: number;
  left: number;
}

/** Faults waiting for the requests they match; each request takes at most one (the oldest). */
export class FaultList {
  #next = 1;
  #faults: ActiveFault[] = [];

  add(spec: FaultSpec): number {
    if (spec.nth !== undefined && (!Number.isInteger(spec.nth) || spec.nth < 1)) throw new Error("fault.nth must be a positive integer");
    const left = spec.times ?? (spec.nth !== undefined ? 1 : Number.POSITIVE_INFINITY);
    const fault = { id: this.#next++, spec, seen: 0, left };
    this.#faults.push(fault);
    return fault.id;
  }

  clear(): void {
    this.#faults = [];
  }

  list(): Array<FaultSpec & { id: number; remaining: number | "unlimited" }> {
    return this.#faults.map((f) => ({ ...f.spec, id: f.id, remaining: Number.isFinite(f.left) ? f.left : "unlimited" }));
  }

  /** The fault that applies to this request, if any (counting it as used). */
  take(operationId: string | undefined): { id: number; spec: FaultSpec } | undefined {
    for (const f of this.#faults) {
      if (f.spec.operation !== undefined && f.spec.operation !== operationId) continue;
      f.seen++;
      if (f.spec.nth !== undefined && f.seen < f.spec.nth) continue;
      f.left--;
      if (f.left <= 0) this.#faults = this.#faults.filter((x) => x !== f);
      return { id: f.id, spec: f.spec };
    }
    return undefined;
  }
}
