import type { GeneratedValidator, RuleMessages } from "./validation.js";

/** What the generator knows about one spec operation (`src/generated/operations.ts`). */
export interface OperationInfo {
  readonly id: string;
  /** Upper-case HTTP method. */
  readonly method: string;
  /** The spec's path template, e.g. `/v1/api-jobs/{uuid}`. */
  readonly path: string;
  /** Safe to send twice (GET, DELETE, searches, polls): any failure may be retried. */
  readonly idempotent: boolean;
  /** Vendor error codes the spec lists for this operation (`x-error-codes`). */
  readonly errorCodes?: readonly string[];
  /** Validates `{ path, query, header, body }` as the caller passed them. */
  readonly validateRequest?: GeneratedValidator;
  readonly ruleMessages?: RuleMessages;
  /** Size limits of the request body's top-level fields, from the spec (maxItems, maxLength, …). */
  readonly bodyConstraints?: Readonly<
    Record<string, Readonly<Partial<Record<"maxItems" | "minItems" | "maxLength" | "minLength", number>>>>
  >;
  /** Success-body validators by status code. */
  readonly validateResponse?: Readonly<Record<string, GeneratedValidator>>;
}

export type OperationTable = Readonly<Record<string, OperationInfo>>;

/** Finds the operation of a request made through `.raw`, which names only a method and a URL. */
export function createOperationMatcher(table: OperationTable): (method: string, pathname: string) => OperationInfo | undefined {
  const compiled = Object.values(table).map((op) => ({
    op,
    re: new RegExp(`^${op.path.replace(/[.*+?^$()|[\]\\]/g, "\\$&").replace(/\\?\{[^}]+\\?\}/g, "[^/]+")}/?$`),
  }));
  return (method, pathname) => compiled.find((c) => c.op.method === method && c.re.test(pathname))?.op;
}
