// Types for the parts of schema-tools.mjs that TypeScript tests import.
export declare const CHECKED_KEYWORDS: readonly string[];
export declare class UnsupportedKeywordError extends Error {
  readonly spec: string;
  readonly refusals: ReadonlyArray<{ where: string; keyword: string; type?: string }>;
}
export declare function inlineSchema(
  doc: object,
  schema: unknown,
  options?: { spec?: string; basePath?: string; refusals?: Array<{ where: string; keyword: string; type?: string }> },
): { schema: unknown; ruleMessages: Record<string, string> };
export declare function resolvePointer(doc: object, ref: string): unknown;
