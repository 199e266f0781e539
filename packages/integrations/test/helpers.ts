import { expect } from "vitest";
import { LumikuApps, SiblingAppError, type LumikuAppsConfig, type SiblingAppErrorKind } from "../src/index.ts";
import type { FakeLumikuApps } from "@bgr/testing";

/** Small timeouts and delays keep the suite fast; three attempts as in production. */
export function appsFor(fake: FakeLumikuApps, overrides: Partial<LumikuAppsConfig> = {}): LumikuApps {
  return new LumikuApps({
    baseUrls: fake.baseUrls,
    timeouts: { connectMs: 1_000, headersMs: 300, bodyMs: 300 },
    retries: { attempts: 3, baseDelayMs: 5 },
    ...overrides,
  });
}

/** The SiblingAppError `promise` rejects with, checked to be of `kind`. */
export async function failure(promise: Promise<unknown>, kind: SiblingAppErrorKind): Promise<SiblingAppError> {
  const error = await promise.then(
    (value) => {
      throw new Error(`expected a "${kind}" failure, got ${JSON.stringify(value)?.slice(0, 200)}`);
    },
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(SiblingAppError);
  const siblingError = error as SiblingAppError;
  expect({ kind: siblingError.kind, message: siblingError.message }).toMatchObject({ kind });
  return siblingError;
}
