/**
 * `@bgr/server/testing` (a devDependency only): the in-process test server and request helpers, for
 * the web app's end-to-end tests, which drive a real server from a browser.
 */
export { DEV_DATA, imageForm, startTestServer, type TestServer } from "./harness.ts";
export { composeForm, decodeRgba, withOwnAlpha } from "./pixels.ts";
