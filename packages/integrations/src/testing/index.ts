export { FakeLumikuApps, startFakeLumikuApps } from "./fake-lumiku-apps.ts";
export type { FakeImage, FakeLumikuAppsOptions, FakeRequest, RegisteredImage } from "./fake-lumiku-apps.ts";
export type { FakeFailure } from "./fake-failures.ts";
export { fakeBearerToken, makePng, oversizedPng, ownerFromBearerJwt } from "./test-images.ts";
