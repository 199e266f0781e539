import { readFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEV_DATA, imageForm, startTestServer, type TestServer } from "./harness.ts";

const METRICS_TOKEN = "scraper-token-of-this-deployment";
let server: TestServer;

beforeAll(async () => {
  server = await startTestServer({ METRICS_TOKEN });
});
afterAll(async () => {
  await server?.close();
});

async function scrape(authorization?: string) {
  const response = await fetch(`${server.url}/metrics`, { headers: authorization ? { authorization } : {} });
  return { status: response.status, type: response.headers.get("content-type"), text: await response.text() };
}

/** The value of one sample line, e.g. `bgr_credits_charged_total 1`. */
function sample(text: string, series: string): number | undefined {
  const line = text.split("\n").find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe("GET /metrics", () => {
  it("needs the bearer token", async () => {
    expect((await scrape()).status).toBe(401);
    const wrong = await scrape("Bearer not-the-token-at-all");
    expect(wrong.status).toBe(401);
    expect(JSON.parse(wrong.text).error.message).toContain("METRICS_TOKEN");
  });

  it("counts a removal, its credits, its request and the queues after it", async () => {
    const before = (await scrape(`Bearer ${METRICS_TOKEN}`)).text;
    const token = await server.userWithCredits("measured", 10);
    const photo = await readFile(path.join(DEV_DATA, "gc-teddy.jpg"));
    const removed = await fetch(`${server.api}/remove`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}` },
      body: imageForm(photo, { tier: "basic" }),
    });
    expect(removed.status).toBe(200);
    const charged = ((await removed.json()) as any).data.creditsUsed as number;
    expect(charged).toBeGreaterThan(0);

    const after = await scrape(`Bearer ${METRICS_TOKEN}`);
    expect(after.status).toBe(200);
    expect(after.type).toContain("text/plain");
    expect(sample(before, 'bgr_removals_total{tier="basic",status="completed"}') ?? 0).toBe(0);
    expect(sample(after.text, 'bgr_removals_total{tier="basic",status="completed"}')).toBe(1);
    expect(sample(after.text, "bgr_credits_charged_total")).toBe((sample(before, "bgr_credits_charged_total") ?? 0) + charged);
    expect(sample(after.text, "bgr_credits_refunded_total")).toBe(0);
    expect(
      sample(after.text, 'bgr_http_request_duration_seconds_count{method="POST",route="/api/apps/background-remover/remove",status="200"}'),
    ).toBe(1);
    expect(sample(after.text, 'bgr_http_request_duration_seconds_count{method="GET",route="/metrics",status="401"}')).toBe(2);
    for (const queue of ["batch-item", "batch-finalize", "retention-sweep"])
      expect(sample(after.text, `bgr_queue_depth{queue="${queue}"}`)).toBeGreaterThanOrEqual(0);
  });
});

describe("the Grafana dashboard (docs/grafana-dashboard.json)", () => {
  it("reads only series this exporter declares", async () => {
    const dashboard = JSON.parse(await readFile(path.resolve(import.meta.dirname, "../../../docs/grafana-dashboard.json"), "utf8")) as {
      panels: { title: string; targets: { expr: string }[] }[];
    };
    // `# TYPE bgr_queue_depth gauge`: a histogram is read through its _bucket, _sum and _count series.
    const declared = new Set<string>();
    for (const [, name, type] of (await scrape(`Bearer ${METRICS_TOKEN}`)).text.matchAll(/^# TYPE (\S+) (\S+)$/gm)) {
      declared.add(name!);
      if (type === "histogram") for (const suffix of ["_bucket", "_sum", "_count"]) declared.add(name! + suffix);
    }
    const read = dashboard.panels.flatMap((panel) => panel.targets.flatMap((target) => target.expr.match(/\bbgr_[a-z0-9_]+/g) ?? []));
    expect(read.length).toBeGreaterThanOrEqual(dashboard.panels.length);
    expect(read.filter((name) => !declared.has(name))).toEqual([]);
  });
});

describe("GET /metrics without METRICS_TOKEN", () => {
  it("does not exist", async () => {
    const plain = await startTestServer();
    try {
      expect((await fetch(`${plain.url}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } })).status).toBe(404);
    } finally {
      await plain.close();
    }
  });
});
