import path from "node:path";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEV_DATA, startTestServer, type TestServer } from "@bgr/server/testing";
import { DESKTOP, launchBrowser, openPage, PHONE, seriousViolations } from "./browser.ts";

const PHOTO = path.join(DEV_DATA, "gc-teddy.jpg");

let server: TestServer;
let browser: Browser;

beforeAll(async () => {
  server = await startTestServer();
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe("web app: accessibility (axe-core)", () => {
  for (const [name, device] of [
    ["desktop", DESKTOP],
    ["phone", PHONE],
  ] as const) {
    it(`finds no serious violations on the main screens (${name})`, async () => {
      const signedOut = await openPage(browser, device);
      await signedOut.page.goto(server.url);
      await signedOut.page.getByRole("heading", { name: "Sign in" }).waitFor();
      expect(await seriousViolations(signedOut.page), "sign-in").toEqual([]);
      await signedOut.context.close();

      const { context, page } = await openPage(browser, device, await server.userWithCredits(`a11y-${name}`, 50));
      const screens: [string, () => Promise<void>][] = [
        [
          "single",
          async () => {
            await page.goto(server.url);
            await page.locator('input[type="file"]').first().setInputFiles(PHOTO);
            await page.getByRole("button", { name: /^Remove background/ }).waitFor();
          },
        ],
        [
          "batch",
          async () => {
            await page.goto(`${server.url}/batch`);
            await page.getByRole("heading", { name: "Batch removal" }).waitFor();
          },
        ],
        [
          "history",
          async () => {
            await page.goto(`${server.url}/history`);
            await page.getByRole("heading", { name: "History" }).waitFor();
          },
        ],
        [
          "keys",
          async () => {
            await page.goto(`${server.url}/keys`);
            await page.getByRole("heading", { name: "API keys", level: 1 }).waitFor();
          },
        ],
        [
          "settings",
          async () => {
            await page.goto(`${server.url}/settings`);
            await page.getByRole("heading", { name: "Settings" }).waitFor();
            await page.getByRole("checkbox").first().waitFor();
          },
        ],
      ];
      for (const [screen, open] of screens) {
        await open();
        expect(await seriousViolations(page), screen).toEqual([]);
      }
      await context.close();
    });
  }
});
