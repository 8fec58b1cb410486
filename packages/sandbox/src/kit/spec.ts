import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Ajv2020, type ErrorObject, type ValidateFunction } from "ajv/dist/2020.js";
import { parse } from "yaml";
import type { SpecViolation } from "./types.js";

const METHODS = ["get", "put", "post", "delete", "patch", "head", "options"] as const;

interface Parameter {
  name: string;
  in: "path" | "query" | "header" | "cookie";
  required?: boolean;
  schema?: Record<string, unknown>;
  style?: string;
  explode?: boolean;
}

interface CompiledOperation {
  id: string;
  method: string;
  template: string;
  regex: RegExp;
  pathNames: string[];
  params: Parameter[];
  checkParams: ValidateFunction;
  checkBody: ValidateFunction | undefined;
  bodyRequired: boolean;
}

/**
 * The spec files are the sandbox's source of truth: loaded from specs/ at start (from the
 * package's packed copy when installed from npm), never copied into code.
 */
export function locateSpec(file: string): string {
  const candidates = [
    new URL(`../../specs/${file}`, import.meta.url), // packed copy: <pkg>/specs next to <pkg>/dist
    new URL(`../../../../specs/${file}`, import.meta.url), // monorepo: packages/sandbox/dist/kit → specs/
  ];
  if (process.env.SIGNALBRIDGE_SPECS_DIR) candidates.unshift(new URL(`file://${process.env.SIGNALBRIDGE_SPECS_DIR}/${file}`));
  for (const c of candidates) {
    const p = fileURLToPath(c);
    if (existsSync(p)) return p;
  }
  throw new Error(`sandbox: spec ${file} not found (looked in ${candidates.map((c) => fileURLToPath(c)).join(", ")})`);
}

const escapePointer = (s: string) => s.replace(/~/g, "~0").replace(/\//g, "~1");

/** Matches requests to spec operations and checks them against the spec's schemas. */
export class SpecIndex {
  readonly document: Record<string, any>;
  readonly #operations: CompiledOperation[] = [];

  constructor(specFile: string) {
    this.document = parse(readFileSync(locateSpec(specFile), "utf8"));
    // Two engines: query/path/header values arrive as strings and are coerced like a server's
    // parameter binding would; bodies are checked as sent, so a "1" where 1 is due is an error.
    const common = {
      allErrors: true,
      strict: false,
      validateFormats: false,
      validateSchema: false,
      unicode: false,
      logger: false,
    } as const;
    const bodyAjv = new Ajv2020(common);
    const paramAjv = new Ajv2020({ ...common, coerceTypes: "array" });
    bodyAjv.addSchema(this.document, "spec");
    paramAjv.addSchema(this.document, "spec");

    for (const [template, item] of Object.entries<any>(this.document.paths ?? {})) {
      for (const method of METHODS) {
        const op = item[method];
        if (!op) continue;
        const params: Parameter[] = [...(item.parameters ?? []), ...(op.parameters ?? [])].map((p: any) => this.#resolveNode(p));
        const groups: Record<string, any> = {};
        for (const p of params) {
          if (p.in === "cookie") continue;
          const g = (groups[p.in] ??= { type: "object", properties: {}, required: [] });
          g.properties[p.in === "header" ? p.name.toLowerCase() : p.name] = this.#deref(p.schema ?? {});
          if (p.required) g.required.push(p.in === "header" ? p.name.toLowerCase() : p.name);
        }
        const body = this.#resolveNode(op.requestBody);
        const mediaType = body && Object.keys(body.content ?? {})[0];
        const pathNames = [...template.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]!);
        this.#operations.push({
          id: op.operationId,
          method: method.toUpperCase(),
          template,
          regex: new RegExp(`^${template.replace(/[.*+?^$()|[\]\\]/g, "\\$&").replace(/\\?\{[^}]+\\?\}/g, "([^/]+)")}/?$`),
          pathNames,
          params,
          checkParams: paramAjv.compile({ type: "object", properties: groups }),
          checkBody: mediaType
            ? bodyAjv.compile({
                $ref: `spec#/paths/${escapePointer(template)}/${method}/requestBody/content/${escapePointer(mediaType)}/schema`,
              })
            : undefined,
          bodyRequired: Boolean(body?.required),
        });
      }
    }
    // Literal segments before templated ones, so /at-persons/{uuid} never shadows a fixed path.
    this.#operations.sort((a, b) => a.pathNames.length - b.pathNames.length);
  }

  /** The operation for a method and path (path without the vendor base path). */
  match(method: string, path: string): { operationId: string | undefined; wrongMethod: boolean; pathParams: Record<string, string> } {
    const pathname = path.split("?")[0]!;
    let wrongMethod = false;
    for (const op of this.#operations) {
      const m = op.regex.exec(pathname);
      if (!m) continue;
      if (op.method !== method) {
        wrongMethod = true;
        continue;
      }
      const pathParams: Record<string, string> = {};
      op.pathNames.forEach((name, i) => {
        try {
          pathParams[name] = decodeURIComponent(m[i + 1]!);
        } catch {
          pathParams[name] = m[i + 1]!;
        }
      });
      return { operationId: op.id, wrongMethod: false, pathParams };
    }
    return { operationId: undefined, wrongMethod, pathParams: {} };
  }

  /** The operation object of the spec (for simulators that read their own extensions). */
  operation(operationId: string): any {
    const op = this.#operations.find((o) => o.id === operationId);
    return op ? this.document.paths[op.template][op.method.toLowerCase()] : undefined;
  }

  /**
   * A number or string keyword of the request-body schema at a JSON pointer ("/params/remark",
   * "/rules/*" for array items), so a simulator takes its limits from the spec instead of a second
   * copy in code. Throws when the spec lacks it: a spec edit must not silently loosen the sandbox.
   */
  bodyRule<T extends number | string>(operationId: string, pointer: string, keyword: string): T {
    const media = this.#resolveNode(this.operation(operationId)?.requestBody)?.content;
    let node: any = media && this.#resolveNode(Object.values<any>(media)[0]?.schema);
    for (const segment of pointer.split("/").slice(1)) {
      node = node && this.#child(node, segment);
    }
    const value = node?.[keyword];
    if (value === undefined) throw new Error(`sandbox: ${operationId} body${pointer} has no "${keyword}" in its spec`);
    return value as T;
  }

  /** Check a request against its operation; an empty list means valid. */
  check(
    operationId: string,
    request: {
      pathParams: Record<string, string>;
      query: URLSearchParams;
      headers: Record<string, string>;
      body: unknown;
      hasBody: boolean;
    },
  ): SpecViolation[] {
    const op = this.#operations.find((o) => o.id === operationId);
    if (!op) return [];
    const input: Record<string, Record<string, unknown>> = { path: { ...request.pathParams }, query: {}, header: {} };
    for (const p of op.params) {
      if (p.in === "query") {
        const values = request.query.getAll(p.name);
        if (!values.length) continue;
        const isArray = p.schema?.type === "array";
        input.query![p.name] = isArray ? (p.explode === false ? values.flatMap((v) => v.split(",")) : values) : values[0];
      } else if (p.in === "header") {
        const v = request.headers[p.name.toLowerCase()];
        if (v !== undefined) input.header![p.name.toLowerCase()] = v;
      }
    }
    const violations: SpecViolation[] = [];
    if (!op.checkParams(input)) violations.push(...op.checkParams.errors!.map(toViolation));
    if (op.checkBody) {
      if (!request.hasBody) {
        if (op.bodyRequired) violations.push({ in: "body", pointer: "", keyword: "required", params: { missingProperty: "body" } });
      } else if (!op.checkBody(request.body)) {
        violations.push(...op.checkBody.errors!.map((e) => toViolation({ ...e, instancePath: `/body${e.instancePath}` })));
      }
    }
    return violations;
  }

  /** The node a local `#/…` pointer names. */
  #resolve(ref: string): any {
    return ref
      .slice(2)
      .split("/")
      .reduce((n: any, k) => n[k.replace(/~1/g, "/").replace(/~0/g, "~")], this.document);
  }

  /** The node itself, or what its `$ref` (chain) points to. */
  #resolveNode(node: any): any {
    return node?.$ref ? this.#resolveNode(this.#resolve(node.$ref)) : node;
  }

  /** A property (or, for "*" and indexes, the items) of a schema, looking into allOf members. */
  #child(node: any, segment: string): any {
    if (segment === "*" || /^\d+$/.test(segment)) {
      if (node.items) return this.#resolveNode(node.items);
    } else if (node.properties?.[segment]) {
      return this.#resolveNode(node.properties[segment]);
    }
    for (const member of node.allOf ?? []) {
      const found = this.#child(this.#resolveNode(member), segment);
      if (found) return found;
    }
    return undefined;
  }

  #deref(schema: any): any {
    return schema?.$ref ? { $ref: `spec${schema.$ref}` } : schema;
  }
}

function toViolation(e: ErrorObject): SpecViolation {
  const [, part, ...rest] = e.instancePath.split("/");
  return {
    in: (part as SpecViolation["in"]) ?? "body",
    pointer: rest.length ? `/${rest.join("/")}` : "",
    keyword: e.keyword,
    params: e.params as Record<string, unknown>,
  };
}
