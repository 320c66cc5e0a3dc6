import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import nodeModule from "node:module";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { projectRoot } from "../helpers/shared-models.js";

// V8 keeps compiled scripts in memory for the rest of a process, so whether a cache file is used
// only shows in a fresh process: each load runs in one, with tsc's build of the loader.
const loader = path.join(projectRoot, "dist", "cli", "code-cache.js");

let dir: string;
let file: string;
let cacheFile: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), "wren-code-cache-"));
  file = path.join(dir, "module.cjs");
  cacheFile = path.join(dir, "cache", "module.bin");
  writeFileSync(file, "const path = require('node:path');\nexports.answer = () => path.basename(__filename) + ' ' + 42;\n");
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** Loads `file` in a new process, runs it, saves the cache; returns the cache's state and the module's answer. */
function load(target = cacheFile): { state: string; answer: string } {
  const script = `import(${JSON.stringify(new URL(`file://${loader}`).href)}).then(({ requireWithCodeCache }) => {
    const m = requireWithCodeCache(${JSON.stringify(file)}, ${JSON.stringify(target)});
    const answer = m.exports.answer();
    m.save();
    console.log(JSON.stringify({ state: m.state, answer }));
  })`;
  const r = spawnSync(process.execPath, ["-e", script], { encoding: "utf8" });
  expect(r.stderr).toBe("");
  return JSON.parse(r.stdout) as { state: string; answer: string };
}

const nodeHasCache = "enableCompileCache" in nodeModule;

describe("requireWithCodeCache", { timeout: 60_000 }, () => {
  it("compiles from source once, then from the cache it saved", () => {
    if (nodeHasCache) {
      // Node 22.1 and later keep their own compile cache (the launcher turns it on): the file is required.
      expect(load()).toEqual({ state: "node", answer: "module.cjs 42" });
      expect(existsSync(cacheFile)).toBe(false);
      return;
    }
    expect(load()).toEqual({ state: "missing", answer: "module.cjs 42" });
    expect(readFileSync(cacheFile).subarray(0, 18).toString()).toBe("wren-code-cache 1 ");
    expect(load()).toEqual({ state: "used", answer: "module.cjs 42" });
  });

  it.skipIf(nodeHasCache)("ignores a corrupt or cut-off cache and writes it anew", () => {
    load();
    const good = readFileSync(cacheFile);
    const header = good.subarray(0, good.indexOf(0x0a) + 1);
    writeFileSync(cacheFile, Buffer.concat([header, Buffer.alloc(good.length - header.length, 7)]));
    expect(load()).toEqual({ state: "rejected", answer: "module.cjs 42" });
    expect(load().state).toBe("used");
    writeFileSync(cacheFile, header.subarray(0, 10));
    expect(load().state).toBe("stale");
    expect(load().state).toBe("used");
  });

  it.skipIf(nodeHasCache)("ignores a cache written for another build of the file and runs the new one", () => {
    load();
    // The same length, so V8's own check (which compares lengths, not contents) would accept it.
    writeFileSync(file, "const path = require('node:path');\nexports.answer = () => path.basename(__filename) + ' ' + 43;\n");
    expect(load()).toEqual({ state: "stale", answer: "module.cjs 43" });
    expect(load()).toEqual({ state: "used", answer: "module.cjs 43" });
  });

  it.skipIf(nodeHasCache)("runs without a cache where none can be written", () => {
    mkdirSync(path.join(dir, "blocked"));
    writeFileSync(path.join(dir, "blocked", "file"), "");
    const target = path.join(dir, "blocked", "file", "module.bin");
    expect(load(target)).toEqual({ state: "missing", answer: "module.cjs 42" });
    expect(load(target)).toEqual({ state: "missing", answer: "module.cjs 42" });
  });
});
