import { createHash, timingSafeEqual } from "node:crypto";
import type { OperationalCounts } from "@bgr/core";
import { Counter, Gauge, Histogram, Registry } from "prom-client";

export interface MetricsSources {
  counts: OperationalCounts;
  /** Waiting jobs per queue name. */
  queueDepths: () => Promise<Record<string, number>>;
}

/**
 * The Prometheus registry of one server process. Request durations are this process's own; removals,
 * credits and queue depths are read from the database at scrape time, so they cover every process.
 */
export class ServerMetrics {
  readonly contentType: string;
  private readonly registry = new Registry();
  private readonly httpDuration: Histogram<"method" | "route" | "status">;

  constructor(sources: MetricsSources) {
    this.contentType = this.registry.contentType;
    this.httpDuration = new Histogram({
      name: "bgr_http_request_duration_seconds",
      help: "HTTP request duration by route pattern and status.",
      labelNames: ["method", "route", "status"],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
      registers: [this.registry],
    });
    new Counter({
      name: "bgr_removals_total",
      help: "Removals that ended, by tier and final status (all processes).",
      labelNames: ["tier", "status"],
      registers: [this.registry],
      async collect() {
        const rows = await sources.counts.removals();
        this.reset();
        for (const row of rows) this.inc({ tier: row.tier, status: row.status }, row.count);
      },
    });
    for (const [kind, help] of [
      ["charged", "Credits charged for removals and batches (all processes)."],
      ["refunded", "Credits refunded for failed or cancelled work (all processes)."],
    ] as const) {
      new Counter({
        name: `bgr_credits_${kind}_total`,
        help,
        registers: [this.registry],
        async collect() {
          const credits = await sources.counts.credits();
          this.reset();
          this.inc(credits[kind]);
        },
      });
    }
    new Gauge({
      name: "bgr_queue_depth",
      help: "Jobs waiting per queue (created or retrying, not yet running).",
      labelNames: ["queue"],
      registers: [this.registry],
      async collect() {
        this.reset();
        for (const [queue, depth] of Object.entries(await sources.queueDepths())) this.set({ queue }, depth);
      },
    });
  }

  /** `route` is the matched pattern (never the raw URL, which would make one series per id). */
  observeRequest(method: string, route: string | undefined, status: number, seconds: number): void {
    this.httpDuration.observe({ method, route: route ?? "unmatched", status: String(status) }, seconds);
  }

  render(): Promise<string> {
    return this.registry.metrics();
  }
}

/** Constant-time bearer check: hashing first makes the lengths equal. */
export function bearerMatches(header: string | undefined, token: string): boolean {
  const given = header?.startsWith("Bearer ") ? header.slice(7) : "";
  const digest = (value: string) => createHash("sha256").update(value).digest();
  return given.length > 0 && timingSafeEqual(digest(given), digest(token));
}
