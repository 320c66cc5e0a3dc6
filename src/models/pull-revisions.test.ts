import { createHash, randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readManifest } from "./manifest.js";
import { pullModel } from "./pull.js";
import { resolveModelRef } from "./resolve.js";

/**
 * A repository whose file differs between two revisions, served at `resolve/<revision>/<file>` as
 * the Hub serves a file outside LFS: X-Repo-Commit, an ETag, the bytes.
 */
async function startRevisionedHub(byRevision: Record<string, Buffer>): Promise<{ url: string; close(): Promise<void> }> {
  const server = http.createServer((req, res) => {
    const match = /^\/wren-test\/rev-GGUF\/resolve\/([^/]+)\/m\.gguf$/.exec(req.url ?? "");
    const bytes = match ? byRevision[match[1] ?? ""] : undefined;
    if (!bytes) {
      res.writeHead(404, { "x-error-code": "EntryNotFound" }).end("Entry not found");
      return;
    }
    const commit = createHash("sha1").update(bytes).digest("hex");
    res.writeHead(200, { "x-repo-commit": commit, etag: `"${commit}"`, "content-length": String(bytes.length), "accept-ranges": "bytes" });
    res.end(req.method === "HEAD" ? undefined : bytes);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe("pulling a pinned revision of a model already present at main", () => {
  const newest = randomBytes(40_000);
  const older = randomBytes(30_000);
  let hub: Awaited<ReturnType<typeof startRevisionedHub>>;

  beforeAll(async () => {
    hub = await startRevisionedHub({ main: newest, v1: older });
  });
  afterAll(async () => hub.close());

  it("keeps both revisions: the pinned one neither replaces main's file nor answers for main", async () => {
    const modelsDir = mkdtempSync(path.join(os.tmpdir(), "wren-pull-rev-"));
    const env = { HF_ENDPOINT: hub.url };
    const atMain = await pullModel("hf:wren-test/rev-GGUF/m.gguf", { modelsDir, env });
    const atV1 = await pullModel("hf:wren-test/rev-GGUF@v1/m.gguf", { modelsDir, env });
    expect(atV1.downloaded).toBe(true);
    expect(atV1.path).not.toBe(atMain.path);
    expect(readFileSync(atMain.path).equals(newest)).toBe(true);
    expect(readFileSync(atV1.path).equals(older)).toBe(true);
    expect((await readManifest(modelsDir)).models.map((m) => m.ref).sort()).toEqual(["hf:wren-test/rev-GGUF/m.gguf", "hf:wren-test/rev-GGUF@v1/m.gguf"]);
    const main = await resolveModelRef("hf:wren-test/rev-GGUF/m.gguf", { modelsDir, env, offline: true });
    expect(readFileSync(main.path).equals(newest)).toBe(true);
    const v1 = await resolveModelRef("hf:wren-test/rev-GGUF@v1/m.gguf", { modelsDir, env, offline: true });
    expect(readFileSync(v1.path).equals(older)).toBe(true);
  });
});
