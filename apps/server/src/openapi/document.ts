/**
 * Builds the OpenAPI 3.1 document from the operation table: request bodies and query parameters are
 * generated from the zod contracts the routes parse (so the document cannot drift from what is
 * accepted), path parameters from the Fastify path, and the shared error answers are added per group.
 */
import { API_PREFIX } from "@bgr/domain";
import type { AnyZodObject, ZodTypeAny } from "zod";
import { zodToJsonSchema } from "zod-to-json-schema";

export type JsonSchema = Record<string, unknown>;
export type HttpMethod = "get" | "post" | "put" | "delete";

export interface ResponseDoc {
  description: string;
  /** JSON body (already wrapped, e.g. with `ok`), or another media type's content. */
  schema?: JsonSchema;
  content?: Record<string, { schema: JsonSchema }>;
  headers?: Record<string, unknown>;
}

export interface OperationDoc {
  method: HttpMethod;
  /** The path as Fastify registers it (`/jobs/:id`, `/files/*`), under API_PREFIX unless `atRoot`. */
  path: string;
  summary: string;
  description?: string;
  /** A JSON body parsed with this contract. */
  body?: ZodTypeAny;
  /** Whether the JSON body may be left out. */
  bodyOptional?: boolean;
  /** A multipart (or other non-JSON) body, described by hand: uploads are streamed, not parsed by zod. */
  content?: Record<string, { schema: JsonSchema }>;
  /** Query parameters parsed with this contract. */
  query?: AnyZodObject;
  /** Query parameters read without a contract. */
  parameters?: JsonSchema[];
  responses: Record<string, ResponseDoc>;
  /** Authenticated by something other than the caller's token (a signature), or open to anyone. */
  security?: JsonSchema[];
  /** Served at the server's root, not under API_PREFIX (health, metrics). */
  atRoot?: boolean;
}

/** A contract as JSON Schema, inlined (no $refs) and without the $schema marker OpenAPI does not want. */
export function jsonSchemaOf(contract: ZodTypeAny): JsonSchema {
  const { $schema: _marker, ...schema } = zodToJsonSchema(contract, {
    $refStrategy: "none",
    removeAdditionalStrategy: "strict",
  }) as JsonSchema;
  return schema;
}

/** The OpenAPI path of a Fastify path: `:id` → `{id}`, a trailing `*` → `{key}`. */
export function openApiPath(fastifyPath: string): string {
  return fastifyPath.replace(/:([A-Za-z0-9_]+)/g, "{$1}").replace(/\*$/, "{key}");
}

/** The document's key of a route as Fastify registered it (its full URL). */
export function documentKeyOf(registeredUrl: string): string {
  const relative = registeredUrl.startsWith(`${API_PREFIX}/`) ? registeredUrl.slice(API_PREFIX.length) : registeredUrl;
  return openApiPath(relative);
}

export function buildDocument(base: JsonSchema, operations: readonly OperationDoc[], extraPaths: Record<string, JsonSchema>): JsonSchema {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const operation of operations) {
    const key = openApiPath(operation.path);
    const item = (paths[key] ??= operation.atRoot ? { servers: [{ url: "/" }] } : {});
    if (item[operation.method]) throw new Error(`OpenAPI: ${operation.method.toUpperCase()} ${key} is described twice.`);
    item[operation.method] = toOperationObject(operation, key);
  }
  for (const [key, item] of Object.entries(extraPaths)) {
    if (paths[key]) throw new Error(`OpenAPI: ${key} is described twice.`);
    paths[key] = item;
  }
  return { ...base, paths };
}

function toOperationObject(operation: OperationDoc, key: string): JsonSchema {
  const pathParameters = [...key.matchAll(/\{([^}]+)\}/g)].map(([, name]) => ({
    name,
    in: "path",
    required: true,
    schema: { type: "string" },
  }));
  const parameters = [...pathParameters, ...queryParameters(operation.query), ...(operation.parameters ?? [])];
  const content = operation.body ? { "application/json": { schema: jsonSchemaOf(operation.body) } } : operation.content;
  const responses = Object.fromEntries(
    Object.entries(operation.responses).map(([status, response]) => [
      status,
      {
        description: response.description,
        ...(response.headers ? { headers: response.headers } : {}),
        ...(response.schema
          ? { content: { "application/json": { schema: response.schema } } }
          : response.content
            ? { content: response.content }
            : {}),
      },
    ]),
  );
  return {
    summary: operation.summary,
    ...(operation.description ? { description: operation.description } : {}),
    ...(parameters.length > 0 ? { parameters } : {}),
    ...(content ? { requestBody: { required: !operation.bodyOptional, content } } : {}),
    responses,
    ...(operation.security ? { security: operation.security } : {}),
  };
}

function queryParameters(query: AnyZodObject | undefined): JsonSchema[] {
  if (!query) return [];
  const schema = jsonSchemaOf(query) as { properties?: Record<string, JsonSchema>; required?: string[] };
  return Object.entries(schema.properties ?? {}).map(([name, property]) => ({
    name,
    in: "query",
    ...(schema.required?.includes(name) ? { required: true } : {}),
    schema: property,
  }));
}
