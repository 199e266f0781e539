import { describe, expect, it } from "vitest";
import { queueEtaSeconds } from "../src/queue-estimate.ts";

describe("queueEtaSeconds", () => {
  it("counts the jobs ahead and the job itself at the mean time, rounded up to whole seconds", () => {
    expect(queueEtaSeconds(0, 1500)).toBe(2);
    expect(queueEtaSeconds(3, 2000)).toBe(8);
    expect(queueEtaSeconds(2, 1001)).toBe(4);
  });

  it("has no estimate before any removal of the tier finished", () => {
    expect(queueEtaSeconds(5, null)).toBeNull();
  });
});
