import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makePng } from "@bgr/testing";
import { ImageUrlError, PublicImageFetcher } from "../src/index.ts";

/** A real HTTP server on 127.0.0.1 playing an image host: /photo.png, /big.png (declares 20 MB), /text, /moved, /loop. */
let server: http.Server;
let port: number;
let png: Buffer;

beforeAll(async () => {
  png = await makePng(16, 16, "#336699");
  server = http.createServer((req, res) => {
    if (req.url === "/photo.png") return res.writeHead(200, { "content-type": "image/png" }).end(png);
    if (req.url === "/big.png")
      return res.writeHead(200, { "content-type": "image/png", "content-length": String(20 * 1024 * 1024) }).end();
    if (req.url === "/text") return res.writeHead(200, { "content-type": "image/png" }).end("not an image at all");
    if (req.url === "/moved") return res.writeHead(302, { location: "/photo.png" }).end();
    if (req.url === "/to-literal") return res.writeHead(302, { location: `http://127.0.0.1:${port}/photo.png` }).end();
    if (req.url === "/loop") return res.writeHead(302, { location: "/loop" }).end();
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

async function failure(fetcher: PublicImageFetcher, url: string): Promise<ImageUrlError> {
  const error = await fetcher.fetch(url).then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ImageUrlError);
  return error as ImageUrlError;
}

describe("PublicImageFetcher", () => {
  it("refuses private addresses: literals, names resolving to them, and redirects onto them", async () => {
    const strict = new PublicImageFetcher({}, async () => [{ address: "127.0.0.1", family: 4 }]);
    try {
      expect((await failure(strict, `http://127.0.0.1:${port}/photo.png`)).kind).toBe("refused");
      expect((await failure(strict, `http://[::1]:${port}/photo.png`)).kind).toBe("refused");
      expect((await failure(strict, `http://images.example:${port}/photo.png`)).kind).toBe("refused");
      expect((await failure(strict, `http://169.254.169.254/latest/meta-data`)).message).toMatch(/private or reserved/);
    } finally {
      await strict.close();
    }
  });

  it("fetches from a host the operator trusts, following redirects, and checks size, type and redirect count", async () => {
    const trusted = new PublicImageFetcher({ privateHosts: ["localhost"], maxBytes: 1024 * 1024 });
    try {
      const got = await trusted.fetch(`http://localhost:${port}/photo.png`);
      expect([got.contentType, got.bytes.equals(png)]).toEqual(["image/png", true]);
      expect((await trusted.fetch(`http://localhost:${port}/moved`)).bytes.equals(png)).toBe(true);
      // Trust is by name: a redirect from the trusted name onto a private literal is still refused.
      expect((await failure(trusted, `http://localhost:${port}/to-literal`)).kind).toBe("refused");
      expect((await failure(trusted, `http://localhost:${port}/big.png`)).kind).toBe("too-large");
      expect((await failure(trusted, `http://localhost:${port}/text`)).kind).toBe("not-an-image");
      expect((await failure(trusted, `http://localhost:${port}/loop`)).kind).toBe("refused");
      expect((await failure(trusted, `http://localhost:${port}/missing`)).message).toMatch(/HTTP 404/);
      expect((await failure(trusted, "file:///etc/passwd")).kind).toBe("invalid-url");
      expect((await failure(trusted, "not a url")).kind).toBe("invalid-url");
    } finally {
      await trusted.close();
    }
  });
});
