import { Ajv2020 } from "ajv/dist/2020.js";
import type { GeneratedValidator, OperationTable } from "../src/index.js";

const ajv = new Ajv2020({ allErrors: true, messages: false, strict: false, unicode: false, logger: false });
export const compile = (schema: object) => ajv.compile(schema) as unknown as GeneratedValidator;

/** A small hand-written operation table, shaped like the generator's. */
export const operations = {
  sendNotice: {
    id: "sendNotice",
    method: "POST",
    path: "/notices",
    idempotent: false,
    validateRequest: compile({
      type: "object",
      properties: {
        body: {
          type: "object",
          additionalProperties: false,
          required: ["title", "kind"],
          properties: {
            title: { type: "string", minLength: 1, maxLength: 10 },
            kind: { enum: ["TEXT", "MARKDOWN"] },
            users: { type: "array", maxItems: 2, items: { type: "string" } },
            password: { type: "string", pattern: "^[0-9a-f]{8}$" },
          },
        },
      },
    }),
    validateResponse: { "200": compile({ type: "object", required: ["id"], properties: { id: { type: "string" } } }) },
  },
  getNotice: { id: "getNotice", method: "GET", path: "/notices/{id}", idempotent: true },
  getToken: { id: "getToken", method: "POST", path: "/token", idempotent: true },
} satisfies OperationTable;

export interface TestPaths {
  "/notices": {
    post: {
      requestBody: { content: { "application/json": Record<string, unknown> } };
      responses: { 200: { content: { "application/json": { id: string } } } };
    };
  };
  "/notices/{id}": {
    get: { parameters: { path: { id: string } }; responses: { 200: { content: { "application/json": { status: string } } } } };
  };
  "/token": { post: { responses: { 200: { content: { "application/json": { token: string } } } } } };
}

export const silent = { debug() {}, info() {}, warn() {}, error() {} };
