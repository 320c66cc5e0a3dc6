import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import nodeModule from "node:module";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, expect, it } from "vitest";
import { requireWithCodeCache } from "./code-cache.js";

// Node 22.1 and later keep their own compile cache and never write this one (test/e2e/code-cache.test.ts covers both).
const writesCache = !("enableCompileCache" in nodeModule);

let dir: string;
let file: string;
let cacheFile: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), "wren-code-cache-"));
  file = path.join(dir, "module.cjs");
  cacheFile = path.join(dir, "cache", "module.bin");
  writeFileSync(file, "exports.answer = () => 42;\n");
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

it.runIf(writesCache)("saves the cache whole beside nothing else", () => {
  const loaded = requireWithCodeCache(file, cacheFile);
  expect((loaded.exports as { answer: () => number }).answer()).toBe(42);
  loaded.save();
  expect(readFileSync(cacheFile).subarray(0, 18).toString("latin1")).toBe("wren-code-cache 1 ");
  expect(readdirSync(path.dirname(cacheFile))).toEqual(["module.bin"]);
});

it.runIf(writesCache && process.platform !== "win32")("never writes into a file already at a temporary name another process could hold", () => {
  // Another wren with the same pid (in another container sharing the cache folder) or a leftover
  // link: the old fixed name `<cache>.<pid>.tmp` was written into, and through.
  mkdirSync(path.dirname(cacheFile));
  const elsewhere = path.join(dir, "elsewhere.txt");
  writeFileSync(elsewhere, "not the cache\n");
  symlinkSync(elsewhere, `${cacheFile}.${process.pid}.tmp`);
  const loaded = requireWithCodeCache(file, cacheFile);
  loaded.save();
  expect(readFileSync(elsewhere, "utf8")).toBe("not the cache\n");
  expect(readFileSync(cacheFile).subarray(0, 18).toString("latin1")).toBe("wren-code-cache 1 ");
});

it.runIf(writesCache)("runs without a cache, and without throwing, where none can be written", () => {
  writeFileSync(path.join(dir, "cache"), "a file where the folder goes\n");
  const loaded = requireWithCodeCache(file, cacheFile);
  expect(() => loaded.save()).not.toThrow();
  expect(existsSync(cacheFile)).toBe(false);
  expect(readdirSync(dir).sort()).toEqual(["cache", "module.cjs"]);
});
