import { spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { WrenError } from "../shared/errors.js";
import { withFileLock } from "./file-lock.js";
import { putEntry, readManifest, touchEntry, type ManifestEntry } from "./manifest.js";
import { absoluteEntryPath, findStored, planPrune, removeStored } from "./store.js";
import { parseModelRef } from "./ref.js";

function entry(ref: string, size: number, lastUsed: string | null, added = "2026-01-01T00:00:00.000Z"): ManifestEntry {
  const repo = ref.slice(3).split(":")[0] ?? "";
  return {
    ref,
    file: `hf/${repo}/m.gguf`,
    parts: [],
    size,
    sha256: null,
    partSha256: [],
    revision: "abc",
    source: "hf",
    repo,
    repoFile: "m.gguf",
    quant: "Q4_K_M",
    added,
    lastUsed,
  };
}

describe("the store", () => {
  it("keeps a manifest, finds entries by any matching reference, and removes them", async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "wren-store-"));
    const e = entry("hf:o/a:Q4_K_M", 3, null);
    mkdirSync(path.join(dir, "hf/o/a"), { recursive: true });
    writeFileSync(path.join(dir, e.file), "abc");
    await putEntry(dir, e);
    expect(JSON.parse(readFileSync(path.join(dir, "manifest.json"), "utf8"))).toMatchObject({ version: 1, models: [{ ref: "hf:o/a:Q4_K_M" }] });
    expect(await findStored(dir, parseModelRef("hf:o/a:q4_k_m"))).toMatchObject({ ref: e.ref });
    expect(await findStored(dir, parseModelRef("hf:o/a/m.gguf"))).toMatchObject({ ref: e.ref });
    expect(await findStored(dir, parseModelRef("hf:o/a:Q8_0"))).toBeUndefined();
    await touchEntry(dir, e.file, new Date("2026-05-05T00:00:00Z"));
    expect((await readManifest(dir)).models[0]?.lastUsed).toBe("2026-05-05T00:00:00.000Z");
    await removeStored(dir, e);
    expect(existsSync(path.join(dir, e.file))).toBe(false);
    expect((await readManifest(dir)).models).toEqual([]);
  });

  it("refuses an index entry naming a file outside the models folder: rm deletes nothing there", async () => {
    const root = mkdtempSync(path.join(os.tmpdir(), "wren-store-"));
    const dir = path.join(root, "models");
    mkdirSync(dir);
    const victim = path.join(root, "victim-Q4_K_M.gguf");
    writeFileSync(victim, "keep me");
    for (const file of ["../victim-Q4_K_M.gguf", "hf/o/a/../../../../victim-Q4_K_M.gguf", victim]) {
      const hostile = { ...entry("hf:o/a:Q4_K_M", 7, null), file };
      expect(() => absoluteEntryPath(dir, file)).toThrow(/outside the models folder/);
      const error = await removeStored(dir, hostile).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(WrenError);
      expect((error as WrenError).code).toBe("model_invalid");
      expect(readFileSync(victim, "utf8")).toBe("keep me");
      await putEntry(dir, hostile);
      expect(await findStored(dir, parseModelRef("hf:o/a:Q4_K_M"))).toBeUndefined();
    }
    expect(absoluteEntryPath(dir, "hf/o/a/m.gguf")).toBe(path.join(dir, "hf/o/a/m.gguf"));
  });

  it("a manifest entry whose file is gone does not count as present", async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "wren-store-"));
    await putEntry(dir, entry("hf:o/gone:Q4_K_M", 3, null));
    expect(await findStored(dir, parseModelRef("hf:o/gone:Q4_K_M"))).toBeUndefined();
  });

  it("says how to fix a damaged manifest", async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "wren-store-"));
    writeFileSync(path.join(dir, "manifest.json"), "{not json");
    const error = await readManifest(dir).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WrenError);
    expect((error as WrenError).hint).toContain("delete it");
  });

  it("prunes least recently used first until under the limit", () => {
    const old = entry("hf:o/old:Q4_K_M", 40, "2026-01-02T00:00:00.000Z");
    const never = entry("hf:o/never:Q4_K_M", 30, null, "2026-01-01T00:00:00.000Z");
    const recent = entry("hf:o/recent:Q4_K_M", 50, "2026-03-01T00:00:00.000Z");
    const plan = planPrune([recent, old, never], 60);
    expect(plan.remove.map((e) => e.ref)).toEqual(["hf:o/never:Q4_K_M", "hf:o/old:Q4_K_M"]);
    expect(plan.totalAfter).toBe(50);
    expect(planPrune([recent], 60).remove).toEqual([]);
  });

  it("a lock file admits one process at a time and is taken over from a dead holder", async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "wren-lock-"));
    const lock = path.join(dir, "x.lock");
    const order: string[] = [];
    let waited = false;
    // B asks once A holds the lock; A lets go only once B waits: no timing assumed.
    let aIn!: () => void;
    const aHolds = new Promise<void>((resolve) => (aIn = resolve));
    let bWaits!: () => void;
    const bWaiting = new Promise<void>((resolve) => (bWaits = resolve));
    await Promise.all([
      withFileLock(lock, async () => {
        order.push("a-in");
        aIn();
        await bWaiting;
        order.push("a-out");
      }),
      aHolds.then(() =>
        withFileLock(
          lock,
          async () => {
            order.push("b-in");
          },
          {
            onWait: () => {
              waited = true;
              bWaits();
            },
          },
        ),
      ),
    ]);
    expect(order).toEqual(["a-in", "a-out", "b-in"]);
    expect(waited).toBe(true);
    // A lock left by a process that has exited.
    const child = spawn(process.execPath, ["-e", ""]);
    const pid = child.pid ?? 0;
    await new Promise((r) => child.on("exit", r));
    writeFileSync(lock, JSON.stringify({ pid, host: os.hostname(), since: "x" }));
    expect(await withFileLock(lock, async () => "taken over")).toBe("taken over");
    expect(existsSync(lock)).toBe(false);
  });
});
