import SwaggerParser from "@apidevtools/swagger-parser";
import { TRPC_PATH } from "@bgr/domain";
import { describe, expect, it } from "vitest";
import { buildServer } from "../src/app.ts";
import type { ServerDeps } from "../src/deps.ts";
import { OPENAPI_DOCUMENT } from "../src/openapi.ts";
import { documentKeyOf } from "../src/openapi/document.ts";

/**
 * Dependencies that answer every property with themselves: buildServer only registers routes here,
 * and no handler runs, so nothing is ever asked of them. Being truthy, they also switch on the
 * routes that exist only in some deployments (the development sign-in).
 */
function registrationOnlyDeps(): ServerDeps {
  const anything: object = new Proxy(function () {}, { get: () => anything, apply: () => anything });
  return anything as ServerDeps;
}

/** Every method + path the server registers, as the document names them. */
async function registeredRoutes(): Promise<string[]> {
  const routes: string[] = [];
  const app = await buildServer(registrationOnlyDeps(), {
    onRoute: (route) => {
      for (const method of [route.method].flat()) routes.push(`${method.toLowerCase()} ${route.url}`);
    },
  });
  await app.close();
  return routes
    .filter((route) => !route.startsWith("head ")) // Fastify's automatic HEAD twin of each GET
    .filter((route) => !route.split(" ")[1]!.startsWith(TRPC_PATH)) // tRPC describes itself (AppRouter)
    .filter((route) => !["get /", "get /*"].includes(route)) // the web app's files
    .map((route) => {
      const [method, url] = route.split(" ");
      return `${method} ${documentKeyOf(url!)}`;
    });
}

describe("OpenAPI document", () => {
  it("is a valid OpenAPI 3.1 document", async () => {
    await expect(SwaggerParser.validate(structuredClone(OPENAPI_DOCUMENT) as never)).resolves.toBeTruthy();
  });

  it("describes every REST route the server registers, and no route it does not", async () => {
    const registered = await registeredRoutes();
    const documented = Object.entries(OPENAPI_DOCUMENT.paths as Record<string, Record<string, unknown>>).flatMap(([path, item]) =>
      Object.keys(item)
        .filter((key) => ["get", "post", "put", "delete", "patch"].includes(key))
        .map((method) => `${method} ${path}`),
    );
    expect(registered).toContain("post /batch");
    expect(registered).toContain("get /files/{key}");
    expect(registered).toContain("post /v1.0/removebg");
    expect(registered).toContain("get /health");
    expect(new Set(documented)).toEqual(new Set(registered));
  });

  it("takes request bodies and query parameters from the routes' zod contracts", () => {
    const paths = OPENAPI_DOCUMENT.paths as Record<string, any>;
    const grant = paths["/admin/users/{id}/credits"].post;
    expect(grant.requestBody.content["application/json"].schema).toMatchObject({
      type: "object",
      required: ["amount", "reason"],
      properties: { amount: { type: "integer" }, reason: { type: "string", minLength: 1, maxLength: 500 } },
    });
    expect(grant.parameters).toEqual([{ name: "id", in: "path", required: true, schema: { type: "string" } }]);
    const jobsQuery = paths["/jobs"].get.parameters.map((parameter: { name: string }) => parameter.name);
    expect(jobsQuery).toEqual(["page", "pageSize", "status", "tier"]);
  });
});
