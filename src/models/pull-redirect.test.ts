import { randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pullModel } from "./pull.js";

async function listen(server: http.Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/**
 * A download URL that redirects to a CDN on another host, as release pages and file hosts do: the
 * redirect itself is an empty answer (`content-length: 0`), which says nothing of the file's size.
 */
describe("pulling a URL that redirects to another host", () => {
  const content = randomBytes(120_000);
  let cdn: http.Server;
  let origin: http.Server;
  let url: string;

  beforeAll(async () => {
    cdn = http.createServer((req, res) => {
      res.writeHead(200, { "content-length": String(content.length), etag: '"v1"', "accept-ranges": "bytes" });
      res.end(req.method === "HEAD" ? undefined : content);
    });
    const cdnUrl = await listen(cdn);
    origin = http.createServer((_req, res) => {
      res.writeHead(302, { location: `${cdnUrl}/objects/abc123?sig=1`, "content-length": "0" }).end();
    });
    url = `${await listen(origin)}/releases/download/v1/tiny-Q8_0.gguf`;
  });
  afterAll(async () => {
    await new Promise((resolve) => origin.close(resolve));
    await new Promise((resolve) => cdn.close(resolve));
  });

  it("downloads the whole file, not the redirect's empty body", async () => {
    const modelsDir = mkdtempSync(path.join(os.tmpdir(), "wren-pull-redirect-"));
    const result = await pullModel(url, { modelsDir, env: {} });
    expect(result.entry.size).toBe(content.length);
    expect(readFileSync(result.path).equals(content)).toBe(true);
  });
});
