export interface BreakerPolicy {
  /** Consecutive failed calls that open the circuit. */
  failureThreshold: number;
  /** How long an open circuit refuses calls before one trial call may test the service again. */
  cooldownMs: number;
}

export const DEFAULT_BREAKER_POLICY: BreakerPolicy = { failureThreshold: 5, cooldownMs: 30_000 };

export type BreakerState = "closed" | "open" | "half-open";

/**
 * Stops calling a service that keeps failing: `failureThreshold` consecutive failures open it for
 * `cooldownMs`; then a single trial call is let through (half-open): success closes it, failure opens
 * it for another cooldown. Pure bookkeeping, with the clock injected.
 *
 * Protocol: every `tryAcquire()` that answers true is followed by exactly one of `succeeded()`,
 * `failed()` or `abandoned()` (the call ended for a reason that says nothing about the service).
 */
export class CircuitBreaker {
  private consecutiveFailures = 0;
  private openedAt: number | null = null;
  private trialInFlight = false;

  constructor(
    readonly policy: BreakerPolicy,
    private readonly now: () => number = Date.now,
  ) {}

  get state(): BreakerState {
    if (this.openedAt === null) return "closed";
    return this.now() - this.openedAt >= this.policy.cooldownMs ? "half-open" : "open";
  }

  /** Whether a call may go out now; in half-open, only one at a time. */
  tryAcquire(): boolean {
    switch (this.state) {
      case "closed":
        return true;
      case "open":
        return false;
      case "half-open":
        if (this.trialInFlight) return false;
        this.trialInFlight = true;
        return true;
    }
  }

  succeeded(): void {
    this.consecutiveFailures = 0;
    this.openedAt = null;
    this.trialInFlight = false;
  }

  failed(): void {
    this.consecutiveFailures++;
    // A failed trial reopens at once; a closed circuit opens at the threshold.
    if (this.openedAt !== null || this.consecutiveFailures >= this.policy.failureThreshold) this.openedAt = this.now();
    this.trialInFlight = false;
  }

  abandoned(): void {
    this.trialInFlight = false;
  }
}
