import { createHash, randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { WrenError } from "../shared/errors.js";
import { startFakeHub, type FakeHub } from "../../test/helpers/fake-hub.js";
import { pullModel } from "./pull.js";

/**
 * A file that changed on the Hub between an interrupted pull and the next one: the next pull must
 * not glue the old version's first half to the new version's second half.
 */
describe("a file that changed on the Hub between a pause and the resume", () => {
  const SIZE = 300_000;
  const HALF = 150_000;
  const v1 = randomBytes(SIZE);
  const v2 = randomBytes(SIZE);
  let modelsDir: string;
  const hubs: FakeHub[] = [];

  beforeEach(() => {
    modelsDir = mkdtempSync(path.join(os.tmpdir(), "wren-pull-changed-"));
  });
  afterEach(async () => {
    for (const hub of hubs.splice(0)) await hub.close();
  });

  async function hubWith(content: Buffer, lfs: boolean): Promise<FakeHub> {
    const hub = await startFakeHub({ repos: { "wren-test/changing-GGUF": { files: [{ path: "changing-Q8_0.gguf", content, lfs }] } } });
    hubs.push(hub);
    return hub;
  }

  const partialPath = (): string => path.join(modelsDir, "hf/wren-test/changing-GGUF/changing-Q8_0.gguf.partial");
  /** The GETs of the file's bytes: on the CDN for an LFS file, at its resolve URL for a plain one. */
  const downloads = (hub: FakeHub): (string | undefined)[] =>
    hub.requests.filter((r) => r.method === "GET" && (r.path.startsWith("/cdn-lfs/") || r.path.endsWith("/changing-Q8_0.gguf"))).map((r) => r.range);
  const sha = (bytes: Buffer): string => createHash("sha256").update(bytes).digest("hex");
  /** A file's git blob id: the ETag the Hub gives a file not in LFS. */
  const gitOid = (bytes: Buffer): string => createHash("sha1").update(bytes).digest("hex");
  const sizeOnDisk = (file: string): number => (existsSync(file) ? statSync(file).size : 0);

  /** Pulls from a hub serving the old version, cut once half of it is on disk. */
  async function interruptedPull(lfs: boolean, etagForm?: (etag: string) => string): Promise<void> {
    const old = await hubWith(v1, lfs);
    old.faults.etagForm = etagForm;
    old.faults.cutAtBytes = HALF;
    old.faults.beforeCut = () => vi.waitFor(() => expect(sizeOnDisk(partialPath())).toBe(HALF), { timeout: 30_000, interval: 20 });
    const first = await pullModel("hf:wren-test/changing-GGUF:Q8_0", { modelsDir, env: { HF_ENDPOINT: old.url }, retries: 0 }).catch((e: unknown) => e);
    expect(first).toBeInstanceOf(WrenError);
    expect((first as WrenError).code).toBe("download_failed");
    expect(sizeOnDisk(partialPath())).toBe(HALF);
  }

  for (const lfs of [false, true]) {
    it(`starts over from the new version, not resumes the old one (${lfs ? "an LFS file, with a published SHA-256" : "a plain file, with no SHA-256"})`, async () => {
      await interruptedPull(lfs);
      const changed = await hubWith(v2, lfs);
      const status: string[] = [];
      const result = await pullModel("hf:wren-test/changing-GGUF:Q8_0", { modelsDir, env: { HF_ENDPOINT: changed.url }, onStatus: (m) => status.push(m) });
      expect(readFileSync(result.path).equals(v2)).toBe(true);
      expect(downloads(changed)).toEqual([undefined]);
      expect(status.join("\n")).toMatch(/changed .*since .*starting over/i);
      // Why: what the source said of the file then, and what it says now.
      const [was, now] = lfs ? [sha(v1), sha(v2)] : [gitOid(v1), gitOid(v2)];
      expect(status.join("\n")).toContain(`(${lfs ? "SHA-256" : "ETag"} ${was.slice(0, 12)}… then, ${now.slice(0, 12)}… now)`);
      // Nothing of the interrupted download is left beside the model.
      expect(readdirSync(path.dirname(result.path))).toEqual(["changing-Q8_0.gguf"]);
    });
  }

  const weak = (etag: string): string => `W/${etag}`;
  const bare = (etag: string): string => etag.replace(/"/g, "");
  for (const lfs of [false, true]) {
    for (const [name, before, after] of [
      ["strong then weak", undefined, weak],
      ["weak then strong", weak, undefined],
      ["quoted then bare", undefined, bare],
    ] as const) {
      it(`resumes the same version whose ETag differs only in form, ${name} (${lfs ? "an LFS file" : "a plain file"})`, async () => {
        await interruptedPull(lfs, before);
        const same = await hubWith(v1, lfs);
        same.faults.etagForm = after;
        const status: string[] = [];
        const result = await pullModel("hf:wren-test/changing-GGUF:Q8_0", { modelsDir, env: { HF_ENDPOINT: same.url }, onStatus: (m) => status.push(m) });
        expect(readFileSync(result.path).equals(v1)).toBe(true);
        expect(downloads(same)).toEqual([`bytes=${HALF}-`]);
        expect(status.join("\n")).not.toMatch(/starting over/);
      });
    }
  }

  it("still resumes the same version (the partial file's version is recorded beside it)", async () => {
    await interruptedPull(false);
    const same = await hubWith(v1, false);
    const result = await pullModel("hf:wren-test/changing-GGUF:Q8_0", { modelsDir, env: { HF_ENDPOINT: same.url } });
    expect(readFileSync(result.path).equals(v1)).toBe(true);
    expect(downloads(same)).toEqual([`bytes=${HALF}-`]);
  });
});
