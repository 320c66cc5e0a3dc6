import { appendFile, copyFile, mkdtemp, open, readdir, rm, stat, truncate, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { getLlama, type Llama, type LlamaContext, type LlamaContextSequence, type LlamaModel, type Token } from "node-llama-cpp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { syntheticModel } from "../../test/helpers/synthetic-models.js";
import { promptCacheFor } from "./engine.js";
import { PromptStateCache } from "./prompt-cache.js";

// Real sequence states of a real (synthetic) model, saved to and restored from real files: what is
// asserted is bytes and token counts, so nothing depends on timing.
describe("the saved prompt states' byte budget", () => {
  let llama: Llama;
  let model: LlamaModel;
  let context: LlamaContext;
  let sequence: LlamaContextSequence;
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), "wren-prompt-cache-"));
    llama = await getLlama({ gpu: false, maxThreads: 1 });
    model = await llama.loadModel({ modelPath: await syntheticModel({ seed: 21 }), gpuLayers: 0 });
    context = await model.createContext({ contextSize: 256, sequences: 1, threads: 1 });
    sequence = context.getSequence();
  });
  afterAll(async () => {
    await context?.dispose();
    await model?.dispose();
    await llama?.dispose();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  /** 48 tokens that share at most a token or two with another letter's. */
  const prompt = (letter: string): Token[] => model.tokenize(`${letter} `.repeat(48)).slice(0, 48);
  /** Makes the sequence hold exactly `tokens`, as a request that evaluated them leaves it. */
  const hold = async (tokens: Token[]): Promise<void> => {
    await sequence.clearHistory();
    await sequence.evaluateWithoutGeneratingNewTokens(tokens);
  };
  /** Bytes the cache's state files take on disk, counted from the files themselves. */
  const diskBytes = async (cache: string): Promise<number> => {
    const names = (await readdir(cache, { recursive: true })).filter((f) => f.endsWith(".state"));
    const sizes = await Promise.all(names.map(async (f) => (await stat(path.join(cache, f))).size));
    return sizes.reduce((sum, size) => sum + size, 0);
  };
  const files = async (cache: string): Promise<number> => (await readdir(cache, { recursive: true })).filter((f) => f.endsWith(".state")).length;

  it("never holds more bytes than its budget, and evicts the least recently used state first", async () => {
    // One state's size, measured: the budget below holds two of them and not three.
    const probe = new PromptStateCache({ dir: path.join(dir, "probe"), maxBytes: 1024 ** 3, maxEntries: 64 });
    await hold(prompt("a"));
    await probe.save(sequence);
    const one = probe.stats().bytes;
    expect(one).toBeGreaterThan(48 * 2 * 64); // at least the K and V of 48 tokens (64 wide, one layer at 1 byte)
    await probe.dispose();

    const cacheDir = path.join(dir, "budget");
    const cache = new PromptStateCache({ dir: cacheDir, maxBytes: Math.floor(one * 2.5), maxEntries: 64 });
    const [a, b, c, d] = ["a", "b", "c", "d"].map(prompt) as [Token[], Token[], Token[], Token[]];
    for (const tokens of [a, b]) {
      await hold(tokens);
      await cache.save(sequence);
      expect(cache.stats().bytes).toBeLessThanOrEqual(Math.floor(one * 2.5));
    }
    expect(cache.stats()).toEqual({ entries: 2, bytes: 2 * one });
    // `a` is used again (restored), so `b` is now the least recently used.
    const saved = cache.best(a);
    expect(saved?.length).toBe(48);
    await hold(c);
    expect(await cache.restore(saved!.entry, sequence)).toBe(true);
    expect(sequence.contextTokens).toEqual(a);
    for (const tokens of [c, d]) {
      await hold(tokens);
      await cache.save(sequence);
      expect(cache.stats().bytes).toBeLessThanOrEqual(Math.floor(one * 2.5));
      expect(cache.stats().entries).toBe(2);
      expect(await files(cacheDir)).toBe(2);
      expect(await diskBytes(cacheDir)).toBe(cache.stats().bytes);
    }
    // c pushed out b (least recently used); d pushed out a (restored before c was saved).
    const whole = (tokens: Token[]): boolean => cache.best(tokens)?.length === 48;
    expect([a, b, c, d].map(whole)).toEqual([false, false, true, true]);
    await cache.dispose();
    expect(await readdir(cacheDir)).toEqual([]);
  });

  it("leaves the sequence empty and usable when a saved state cannot be loaded, and drops that state", async () => {
    const cacheDir = path.join(dir, "damaged");
    const cache = new PromptStateCache({ dir: cacheDir, maxBytes: 1024 ** 3, maxEntries: 64 });
    const [f, g] = ["f", "g"].map(prompt) as [Token[], Token[]];
    await hold(f);
    await cache.save(sequence);
    const [name] = (await readdir(cacheDir, { recursive: true })).filter((n) => n.endsWith(".state"));
    const file = path.join(cacheDir, name ?? "");
    // Damaged past its header (which restore compares), at the same size: llama.cpp refuses it.
    const handle = await open(file, "r+");
    await handle.write(Buffer.alloc((await stat(file)).size - (12 + 4 * f.length), 7), 0, undefined, 12 + 4 * f.length);
    await handle.close();
    await hold(g);
    const saved = cache.best(f);
    await expect(cache.restore(saved!.entry, sequence)).rejects.toThrow();
    expect(sequence.contextTokens).toEqual([]);
    expect(cache.stats().entries).toBe(0);
    // llama.cpp's KV cache for the sequence agrees that it is empty: evaluating from position 0 works
    // (with `g` still in it, this batch would be refused and every later one with it).
    await sequence.evaluateWithoutGeneratingNewTokens(f);
    expect(sequence.contextTokens).toEqual(f);
    await cache.dispose();
  });

  it("never hands llama.cpp a state file that is no longer the one saved: cut short, grown or replaced", async () => {
    const cacheDir = path.join(dir, "changed");
    const cache = new PromptStateCache({ dir: cacheDir, maxBytes: 1024 ** 3, maxEntries: 64 });
    const [k, l, m] = ["k", "l", "m"].map(prompt) as [Token[], Token[], Token[]];
    const stateOf = async (tokens: Token[]): Promise<string> => {
      const before = new Set(await readdir(cacheDir, { recursive: true }).catch(() => [] as string[]));
      await hold(tokens);
      await cache.save(sequence);
      const name = (await readdir(cacheDir, { recursive: true })).find((n) => n.endsWith(".state") && !before.has(n));
      return path.join(cacheDir, name ?? "");
    };
    const other = await stateOf(m);
    const changes: Array<[string, (file: string) => Promise<void>]> = [
      // Cut past its header: llama.cpp's load aborted the process (GGML_ASSERT(nread <= state_size)).
      ["cut in half", async (file) => truncate(file, Math.floor((await stat(file)).size / 2))],
      ["cut by one byte", async (file) => truncate(file, (await stat(file)).size - 1)],
      ["grown", async (file) => appendFile(file, Buffer.alloc(64))],
      // A valid state of other tokens, of the same size: loaded, it would be read as `k`'s.
      ["replaced", async (file) => copyFile(other, file)],
    ];
    for (const [what, change] of changes) {
      await change(await stateOf(k));
      await hold(l);
      const saved = cache.best(k);
      expect(saved?.length, what).toBe(48);
      expect(await cache.restore(saved!.entry, sequence), what).toBe(false);
      // Untouched, and the state is gone.
      expect(sequence.contextTokens, what).toEqual(l);
      expect(cache.best(k)?.length ?? 0, what).toBeLessThan(48);
      await sequence.evaluateWithoutGeneratingNewTokens(k);
    }
    await cache.dispose();
  });

  it("never evicts a state pinned for a restore, nor counts it, and evicts it once unpinned and least recently used", async () => {
    const cacheDir = path.join(dir, "pinned");
    const cache = new PromptStateCache({ dir: cacheDir, maxBytes: 1024 ** 3, maxEntries: 1 });
    const [h, i, j] = ["h", "i", "j"].map(prompt) as [Token[], Token[], Token[]];
    await hold(h);
    await cache.save(sequence);
    const unpin = cache.pin(cache.best(h)!.entry);
    await hold(i);
    await cache.save(sequence);
    // Over its count while `h` is pinned: `h` can still be restored, and `i` (what the sequence held
    // before the restore) is kept too.
    expect(cache.stats().entries).toBe(2);
    expect(cache.best(h)?.length).toBe(48);
    expect(cache.best(i)?.length).toBe(48);
    unpin();
    await hold(j);
    await cache.save(sequence);
    expect(cache.stats().entries).toBe(1);
    expect(cache.best(j)?.length).toBe(48);
    expect(cache.best(h)?.length ?? 0).toBeLessThan(48);
    await cache.dispose();
  });

  it("leaves no file behind when a save fails part way (a full disk): the budget counts every byte on disk", async () => {
    const cacheDir = path.join(dir, "failed");
    const cache = new PromptStateCache({ dir: cacheDir, maxBytes: 1024 ** 3, maxEntries: 64 });
    // A sequence whose save writes part of its file and fails, as llama.cpp's does on a full disk.
    const failing = {
      contextTokens: prompt("n"),
      eraseContextTokenRanges: async () => undefined,
      saveStateToFile: async (file: string) => {
        await writeFile(file, Buffer.alloc(4096, 1));
        throw new Error("Failed to save state to file");
      },
    } as unknown as LlamaContextSequence;
    await expect(cache.save(failing)).rejects.toThrow();
    expect(cache.stats()).toEqual({ entries: 0, bytes: 0 });
    expect(await diskBytes(cacheDir)).toBe(0);
    await cache.dispose();
  });

  it("keeps no state larger than its whole budget", async () => {
    const cache = new PromptStateCache({ dir: path.join(dir, "tiny"), maxBytes: 1024, maxEntries: 64 });
    await hold(prompt("e"));
    await cache.save(sequence);
    expect(cache.stats()).toEqual({ entries: 0, bytes: 0 });
    await cache.dispose();
  });

  it("by default keeps 64 states in at most 1 GiB, and never more than a quarter of the memory free when the model loads", () => {
    const roomy = promptCacheFor({}, 64 * 1024 ** 3).promptCache;
    expect(roomy).toMatchObject({ maxEntries: 64, maxBytes: 1024 ** 3 });
    expect(promptCacheFor({}, 2 * 1024 ** 3).promptCache.maxBytes).toBe(512 * 1024 ** 2);
    expect(promptCacheFor({ maxBytes: 8 * 1024 ** 3 }, 8 * 1024 ** 3).promptCache.maxBytes).toBe(2 * 1024 ** 3);
    expect(promptCacheFor({ maxBytes: 0, maxEntries: 0 }).promptCache).toMatchObject({ maxBytes: 0, maxEntries: 0 });
  });
});
