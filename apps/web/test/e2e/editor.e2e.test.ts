import { readFile } from "node:fs/promises";
import path from "node:path";
import { PLAIN_COMPOSITION, type ComposeRequest } from "@bgr/domain/editor";
import type { Browser, Download, Locator, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { composeForm, decodeRgba, DEV_DATA, imageForm, startTestServer, type TestServer, withOwnAlpha } from "@bgr/server/testing";
import { DESKTOP, launchBrowser, openPage, PHONE, screenshot, seriousViolations } from "./browser.ts";

// The result editor (#17): what the page downloads is what the API composes for the same options,
// pixel for pixel; brush edits become matte version 2 and the download follows them.
const PHOTO = path.join(DEV_DATA, "gc-teddy.jpg");

let server: TestServer;
let browser: Browser;
/** A 3x2 PNG, yellow on top and teal below: a background image whose fit shows. */
const BACKGROUND = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAAAMAAAACCAIAAAASFvFNAAAACXBIWXMAAAPoAAAD6AG1e1JrAAAAE0lEQVR4nGP4f4cBghgYpvVAEABl6gj4xpgc/AAAAABJRU5ErkJggg==",
  "base64",
);

beforeAll(async () => {
  server = await startTestServer();
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

/** A finished basic removal of the teddy (or of another image), made through the API as the web app makes it. */
async function removal(userId: string, image?: { bytes: Buffer; name: string }): Promise<{ token: string; jobId: string }> {
  const token = await server.userWithCredits(userId, 20);
  const { bytes, name } = image ?? { bytes: await readFile(PHOTO), name: "gc-teddy.jpg" };
  const response = await fetch(`${server.api}/remove`, {
    method: "POST",
    headers: { authorization: `Bearer ${token}` },
    body: imageForm(bytes, { tier: "basic", format: "png" }, name),
  });
  expect(response.status).toBe(200);
  return { token, jobId: ((await response.json()) as { data: { jobId: string } }).data.jobId };
}

async function apiCompose(token: string, jobId: string, options: ComposeRequest, background?: Buffer): Promise<Buffer> {
  const response = await fetch(`${server.api}/jobs/${jobId}/compose`, {
    method: "POST",
    headers: { authorization: `Bearer ${token}` },
    body: composeForm(options, background),
  });
  expect(response.status).toBe(200);
  return Buffer.from(await response.arrayBuffer());
}

async function openResult(page: Page, jobId: string) {
  await page.goto(`${server.url}/results/${jobId}`);
  await page.getByRole("heading", { name: "Background removed" }).waitFor();
  await settled(page);
}

/** The preview has caught up with the options. */
async function settled(page: Page) {
  await page.locator(".result-stage[aria-busy=false]").waitFor();
}

/** Picks a segmented option: its radio is hidden, so the label around it is what a person taps. */
function choose(scope: Page | Locator, option: string) {
  return scope.getByRole("radio", { name: option, exact: true }).locator("xpath=..").click();
}

/** Moves a range input as a drag would: React hears the input event of the native value setter. */
async function slide(scope: Page | Locator, name: string, value: number) {
  await scope.getByRole("slider", { name, exact: true }).evaluate((input: HTMLInputElement, to: number) => {
    Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, "value")!.set!.call(input, String(to));
    input.dispatchEvent(new Event("input", { bubbles: true }));
  }, value);
}

async function download(page: Page, format: "PNG" | "WebP" | "JPG"): Promise<{ file: Download; bytes: Buffer }> {
  const [file] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name: `Download ${format}` }).click()]);
  return { file, bytes: await readFile((await file.path())!) };
}

/** A drag along `points`: a finger on the phone (real touch events), the mouse on the desktop. */
async function stroke(page: Page, points: { x: number; y: number }[], touch: boolean) {
  if (touch) {
    const cdp = await page.context().newCDPSession(page);
    const [first, ...rest] = points;
    await cdp.send("Input.dispatchTouchEvent", { type: "touchStart", touchPoints: [first!] });
    for (const point of rest) await cdp.send("Input.dispatchTouchEvent", { type: "touchMove", touchPoints: [point] });
    await cdp.send("Input.dispatchTouchEvent", { type: "touchEnd", touchPoints: [] });
    return;
  }
  await page.mouse.move(points[0]!.x, points[0]!.y);
  await page.mouse.down();
  for (const point of points.slice(1)) await page.mouse.move(point.x, point.y, { steps: 4 });
  await page.mouse.up();
}

async function samePixels(a: Buffer, b: Buffer) {
  const [x, y] = await Promise.all([decodeRgba(a), decodeRgba(b)]);
  expect([x.width, x.height]).toEqual([y.width, y.height]);
  expect(Buffer.compare(x.data, y.data)).toBe(0);
}

describe("web app: the result editor", () => {
  for (const [name, device] of [
    ["desktop", DESKTOP],
    ["phone", PHONE],
  ] as const) {
    it(`downloads an image background with a shadow and a crop, and a blur at 1:1, exactly as the API composes them (${name})`, async () => {
      const { token, jobId } = await removal(`editor-${name}`);
      const { context, page, errors } = await openPage(browser, device, token);
      await openResult(page, jobId);
      await screenshot(page, `30-editor-plain-${name}`);

      // An uploaded image behind the subject, whole (contain), a soft drop shadow moved down, cropped at 15 %, 4:5.
      await choose(page, "Image");
      await page.getByTestId("background-file").setInputFiles({ name: "stripes.png", mimeType: "image/png", buffer: BACKGROUND });
      await page.getByRole("combobox", { name: "Fit" }).selectOption("contain");
      await choose(page, "Soft drop");
      await slide(page, "Opacity", 70);
      await page.getByRole("checkbox", { name: "Move the shadow" }).check();
      await slide(page, "Vertical offset", 8);
      await page.getByRole("checkbox", { name: "Crop to the subject" }).check();
      await slide(page, "Margin around the subject", 15);
      await choose(page, "4:5");
      await settled(page);
      await page.getByRole("img", { name: "Preview of the edited result" }).waitFor();
      await screenshot(page, `31-editor-image-shadow-crop-${name}`);
      const imageOptions: ComposeRequest = {
        background: { kind: "image", fit: "contain" },
        shadow: { type: "drop", opacity: 0.7, offset: { x: 0.03, y: 0.08 } },
        crop: { marginPercent: 15 },
        aspect: "4:5",
        format: "png",
        size: "original",
      };
      const png = await download(page, "PNG");
      expect(png.file.suggestedFilename()).toBe("gc-teddy-no-bg.png");
      await samePixels(png.bytes, await apiCompose(token, jobId, imageOptions, BACKGROUND));
      const framed = await decodeRgba(png.bytes);
      expect(framed.width / framed.height).toBeCloseTo(4 / 5, 2);
      // The control: without the shadow the API makes another image.
      const unshadowed = await decodeRgba(await apiCompose(token, jobId, { ...imageOptions, shadow: null }, BACKGROUND));
      expect(Buffer.compare(unshadowed.data, framed.data)).not.toBe(0);

      // The photo blurred behind it at 1:1, downloaded as JPG at the preview size.
      await choose(page, "Blur");
      await slide(page, "Blur strength", 60);
      await choose(page, "1:1");
      await settled(page);
      await screenshot(page, `32-editor-blur-square-${name}`);
      await choose(page, "JPG");
      await choose(page, "Preview (up to 0.25 MP)");
      const jpg = await download(page, "JPG");
      expect(jpg.file.suggestedFilename()).toBe("gc-teddy-no-bg.jpg");
      await samePixels(
        jpg.bytes,
        await apiCompose(token, jobId, {
          ...imageOptions,
          background: { kind: "blur", strength: 60 },
          aspect: "1:1",
          format: "jpg",
          size: "preview",
        }),
      );
      const square = await decodeRgba(jpg.bytes);
      expect(square.width).toBe(square.height);

      expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);
      expect(await seriousViolations(page)).toEqual([]);
      expect(errors).toEqual([]);
      await context.close();
    });
  }

  it("downloads a transparent original with its own alpha applied once, as the API composes it and as it was removed", async () => {
    const teddy = await withOwnAlpha(await readFile(PHOTO));
    const { token, jobId } = await removal("editor-transparent", { bytes: teddy.png, name: "teddy-cutout.png" });
    const { context, page, errors } = await openPage(browser, DESKTOP, token);
    await openResult(page, jobId);
    await choose(page, "Colour");
    await settled(page);
    await screenshot(page, "39-editor-transparent-original-desktop");
    await choose(page, "Transparent");
    await settled(page);
    const png = await download(page, "PNG");
    await samePixels(png.bytes, await apiCompose(token, jobId, PLAIN_COMPOSITION));
    const { processedUrl } = (
      (await (await fetch(`${server.api}/jobs/${jobId}/links`, { headers: { authorization: `Bearer ${token}` } })).json()) as any
    ).data;
    await samePixels(png.bytes, Buffer.from(await (await fetch(new URL(processedUrl, server.url))).arrayBuffer()));
    const downloaded = await decodeRgba(png.bytes);
    // In the half-transparent third the subject keeps the original's 128, not its square (64); nothing is above the original's own.
    let halfSubject = 0;
    for (let y = 0; y < teddy.height; y++) {
      for (let x = 0; x < teddy.width; x++) {
        expect(downloaded.alphaAt(x, y)).toBeLessThanOrEqual(teddy.sourceAlpha(x, y));
        if (teddy.sourceAlpha(x, y) === 128 && downloaded.alphaAt(x, y) >= 120) halfSubject++;
      }
    }
    expect(halfSubject).toBeGreaterThan(1000);
    expect(errors).toEqual([]);
    await context.close();
  });

  it("speaks Indonesian where the browser asks for it (phone)", async () => {
    const { token, jobId } = await removal("editor-id");
    const { context, page, errors } = await openPage(browser, { ...PHONE, locale: "id-ID" }, token);
    await page.goto(`${server.url}/results/${jobId}`);
    await page.getByRole("group", { name: "Latar belakang", exact: true }).waitFor();
    await choose(page, "Buram");
    await page.getByRole("slider", { name: "Kekuatan buram", exact: true }).waitFor();
    await choose(page, "Jatuh lembut");
    await page.getByRole("checkbox", { name: "Potong ke subjek" }).check();
    await page.getByRole("button", { name: "Unduh PNG" }).waitFor();
    await settled(page);
    await screenshot(page, "38-editor-indonesian-phone");
    await page.getByRole("button", { name: "Rapikan tepi" }).click();
    await page.getByRole("region", { name: "Rapikan tepi" }).getByRole("button", { name: "Simpan tepi" }).waitFor();
    expect(errors).toEqual([]);
    await context.close();
  });

  it("refuses a background file that is not an image at once, saying why", async () => {
    const { token, jobId } = await removal("editor-bad-background");
    const { context, page } = await openPage(browser, DESKTOP, token);
    await openResult(page, jobId);
    await choose(page, "Image");
    await page
      .getByTestId("background-file")
      .setInputFiles({ name: "notes.png", mimeType: "image/png", buffer: Buffer.from("not really a picture") });
    await page
      .getByRole("alert")
      .getByText("This file could not be read as an image: it may be damaged or not really an image. Choose another file.")
      .waitFor();
    await page.getByText("Choose a background image to see it behind the subject.").waitFor();
    await context.close();
  });

  for (const [name, device] of [
    ["desktop", DESKTOP],
    ["phone", PHONE],
  ] as const) {
    it(`erases with the brush, undoes and redoes, zooms, saves version 2, and the download follows it (${name})`, async () => {
      const { token, jobId } = await removal(`brush-${name}`);
      const { context, page, errors } = await openPage(browser, device, token);
      await openResult(page, jobId);
      const before = await decodeRgba(await apiCompose(token, jobId, PLAIN_COMPOSITION));
      const middle = { x: Math.round(before.width / 2), y: Math.round(before.height / 2) };
      expect(before.alphaAt(middle.x, middle.y)).toBe(255);

      await page.getByRole("button", { name: "Touch up edges" }).click();
      const brush = page.getByRole("region", { name: "Touch up the edges" });
      const canvas = brush.getByRole("img", { name: /Photo with the current edges/ });
      await canvas.waitFor();
      const save = brush.getByRole("button", { name: "Save edges" });
      expect(await save.isDisabled()).toBe(true);

      // One stroke across the middle with a wide brush.
      await slide(brush, "Brush size", 40);
      await canvas.scrollIntoViewIfNeeded();
      const box = (await canvas.boundingBox())!;
      const across = [0.2, 0.35, 0.5, 0.65, 0.8].map((f) => ({ x: box.x + box.width * f, y: box.y + box.height * 0.5 }));
      await stroke(page, across, device === PHONE);
      await save.and(page.locator(":enabled")).waitFor();
      await screenshot(page, `33-brush-erased-${name}`);

      await brush.getByRole("button", { name: "Undo" }).click();
      expect(await save.isDisabled()).toBe(true);
      await brush.getByText("Paint with Erase or Restore, then save.").waitFor();
      await brush.getByRole("button", { name: "Redo" }).click();
      expect(await save.isDisabled()).toBe(false);

      await brush.getByRole("button", { name: "Zoom in" }).click();
      await brush.getByText("Zoom 150 %").waitFor();
      await screenshot(page, `34-brush-zoomed-${name}`);
      await brush.getByRole("button", { name: "Fit" }).click();

      await save.click();
      await brush.getByText("Saved as version 2. The preview and downloads use it now.").waitFor();
      await page.getByTestId("matte-version").getByText("Edge version 2").waitFor();
      await settled(page);
      await screenshot(page, `35-brush-saved-${name}`);

      const versions = (
        (await (await fetch(`${server.api}/jobs/${jobId}/versions`, { headers: { authorization: `Bearer ${token}` } })).json()) as any
      ).data;
      expect(versions.map((v: { version: number }) => v.version)).toEqual([1, 2]);
      const png = await download(page, "PNG");
      await samePixels(png.bytes, await apiCompose(token, jobId, PLAIN_COMPOSITION));
      const after = await decodeRgba(png.bytes);
      expect(after.alphaAt(middle.x, middle.y)).toBe(0);
      // Away from the stroke the subject is as it was.
      expect(after.alphaAt(middle.x, Math.round(before.height * 0.85))).toBe(before.alphaAt(middle.x, Math.round(before.height * 0.85)));

      if (name === "desktop") expect(await seriousViolations(page)).toEqual([]);
      expect(errors).toEqual([]);
      await context.close();
    });
  }
});
