import { describe, expect, it } from "vitest";
import { CircuitBreaker } from "../src/index.ts";

function breaker(failureThreshold = 3, cooldownMs = 1_000) {
  const clock = { now: 0 };
  return { clock, breaker: new CircuitBreaker({ failureThreshold, cooldownMs }, () => clock.now) };
}

describe("CircuitBreaker", () => {
  it("stays closed below the threshold, and a success resets the count", () => {
    const { breaker: b } = breaker(3);
    for (let i = 0; i < 2; i++) {
      expect(b.tryAcquire()).toBe(true);
      b.failed();
    }
    expect(b.tryAcquire()).toBe(true);
    b.succeeded();
    for (let i = 0; i < 2; i++) {
      expect(b.tryAcquire()).toBe(true);
      b.failed();
    }
    expect(b.state).toBe("closed");
  });

  it("opens after N consecutive failures and refuses calls for the cooldown", () => {
    const { breaker: b, clock } = breaker(3, 1_000);
    for (let i = 0; i < 3; i++) {
      b.tryAcquire();
      b.failed();
    }
    expect(b.state).toBe("open");
    expect(b.tryAcquire()).toBe(false);
    clock.now = 999;
    expect(b.tryAcquire()).toBe(false);
    clock.now = 1_000;
    expect(b.state).toBe("half-open");
  });

  it("lets exactly one trial through when half-open; its success closes the circuit", () => {
    const { breaker: b, clock } = breaker(1, 1_000);
    b.tryAcquire();
    b.failed();
    clock.now = 1_000;
    expect(b.tryAcquire()).toBe(true);
    expect(b.tryAcquire()).toBe(false);
    b.succeeded();
    expect(b.state).toBe("closed");
    expect([b.tryAcquire(), b.tryAcquire()]).toEqual([true, true]);
  });

  it("reopens for a whole new cooldown when the trial fails", () => {
    const { breaker: b, clock } = breaker(2, 1_000);
    for (let i = 0; i < 2; i++) {
      b.tryAcquire();
      b.failed();
    }
    clock.now = 1_500;
    expect(b.tryAcquire()).toBe(true);
    b.failed();
    expect(b.state).toBe("open");
    clock.now = 2_499;
    expect(b.tryAcquire()).toBe(false);
    clock.now = 2_500;
    expect(b.tryAcquire()).toBe(true);
  });

  it("frees the trial slot when the trial is abandoned, without judging the service", () => {
    const { breaker: b, clock } = breaker(1, 1_000);
    b.tryAcquire();
    b.failed();
    clock.now = 1_000;
    expect(b.tryAcquire()).toBe(true);
    b.abandoned();
    expect(b.state).toBe("half-open");
    expect(b.tryAcquire()).toBe(true);
  });
});
