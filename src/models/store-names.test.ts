import { createReadStream } from "node:fs";
import { copyFile, mkdir, mkdtemp, rm, stat } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { syntheticModel } from "../../test/helpers/synthetic-models.js";
import { WrenError } from "../shared/errors.js";
import { putEntry } from "./manifest.js";
import { resolveModelRef } from "./resolve.js";
import { nameStored } from "./store.js";

/** A model pulled by URL answers to its file's stem, not only to the whole URL. */
describe("names of a model pulled by URL", () => {
  let server: Server;
  let modelsDir: string;
  let url: string;
  beforeAll(async () => {
    const file = await syntheticModel({ seed: 11 });
    const size = (await stat(file)).size;
    // A plain file server, as any web host serving a GGUF would be.
    server = createServer((req, res) => {
      if (req.url !== "/files/Tiny-Story-Q8_0.gguf") return void res.writeHead(404).end();
      res.writeHead(200, { "content-length": String(size), "content-type": "application/octet-stream" });
      if (req.method === "HEAD") return void res.end();
      createReadStream(file).pipe(res);
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    url = `http://127.0.0.1:${(server.address() as { port: number }).port}/files/Tiny-Story-Q8_0.gguf`;
    modelsDir = await mkdtemp(path.join(os.tmpdir(), "wren-store-names-"));
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await rm(modelsDir, { recursive: true, force: true });
  });

  it("is found by its stem, in any case, once pulled; a stem that is not there is still not found", async () => {
    const pulled = await resolveModelRef(url, { modelsDir, env: {}, offline: false });
    for (const name of ["Tiny-Story-Q8_0", "tiny-story-q8_0"]) {
      const byStem = await resolveModelRef(name, { modelsDir, env: {}, offline: true, home: modelsDir });
      expect(byStem).toMatchObject({ path: pulled.path, source: "store" });
    }
    const missing = await resolveModelRef("tiny-story", { modelsDir, env: {}, offline: true, home: modelsDir }).catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(WrenError);
    expect((missing as WrenError).code).toBe("model_not_found");
  });
});

describe("a name given at pull time", () => {
  let modelsDir: string;
  beforeAll(async () => {
    modelsDir = await mkdtemp(path.join(os.tmpdir(), "wren-store-named-"));
  });
  afterAll(async () => {
    await rm(modelsDir, { recursive: true, force: true });
  });

  it("names the stored model; a name that reads as a path, or one already given, is refused", async () => {
    const file = await syntheticModel({ seed: 12 });
    const entry = { ref: "https://example.test/m.gguf", file: "url/example.test/m.gguf", parts: [], size: 1, sha256: null, partSha256: [], revision: null, source: "url" as const, url: "https://example.test/m.gguf", added: "2026-01-01T00:00:00.000Z", lastUsed: null };
    const other = { ...entry, ref: "https://example.test/n.gguf", file: "url/example.test/n.gguf", url: "https://example.test/n.gguf" };
    await mkdir(path.join(modelsDir, "url", "example.test"), { recursive: true });
    await copyFile(file, path.join(modelsDir, entry.file));
    await copyFile(file, path.join(modelsDir, other.file));
    await putEntry(modelsDir, entry);
    await putEntry(modelsDir, other);
    await nameStored(modelsDir, entry, "Tiny-Chat");
    const found = await resolveModelRef("tiny-chat", { modelsDir, env: {}, offline: true, home: modelsDir });
    expect(found.path).toBe(path.join(modelsDir, entry.file));
    await expect(nameStored(modelsDir, other, "tiny-chat")).rejects.toMatchObject({ code: "bad_request", message: expect.stringContaining("already given to https://example.test/m.gguf") });
    await expect(nameStored(modelsDir, other, "./x.gguf")).rejects.toMatchObject({ code: "bad_request", message: expect.stringContaining("file path") });
  });
});
