import { readFileSync, statSync } from "node:fs";
import nodeModule from "node:module";
import path from "node:path";
import vm from "node:vm";
import { writeFileAtomicSync } from "../shared/atomic-write.js";

/** What became of the cache file: used, absent, written for another build of the file, or refused by V8 (corrupt, another V8). */
export type CodeCacheState = "used" | "missing" | "stale" | "rejected" | "node";

/** A CommonJS module loaded by {@link requireWithCodeCache}. */
export interface CachedModule {
  exports: unknown;
  state: CodeCacheState;
  /**
   * Writes the cache when it was not used, atomically (a whole file or none), and never throws:
   * the cache only saves time. Call it once the module has done its work, so the cache also holds
   * the functions V8 compiled while it ran.
   */
  save(): void;
}

const MAGIC = "wren-code-cache 1";

/**
 * Loads the CommonJS file `file` with V8's code cache kept in `cacheFile`, so a later start skips
 * compiling it. Node 22.1 and later have a compile cache of their own (`module.enableCompileCache()`,
 * which the launcher turns on): there the file is simply required. Node 20 has none, but compiles a
 * `vm.Script` from cached data. The cache file starts with a line naming the file's size and
 * modification time: a cache written for another build of the file is stale and ignored, and one V8
 * refuses (corrupt, another V8 or other flags) is ignored; both are written anew by `save()`.
 */
export function requireWithCodeCache(file: string, cacheFile: string): CachedModule {
  const require = nodeModule.createRequire(file);
  if ("enableCompileCache" in nodeModule) return { exports: require(file), state: "node", save: () => {} };
  const stat = statSync(file);
  const header = `${MAGIC} ${stat.size} ${stat.mtimeMs}\n`;
  let cachedData: Buffer | undefined;
  let state: CodeCacheState = "missing";
  try {
    const cache = readFileSync(cacheFile);
    if (cache.subarray(0, header.length).toString("latin1") === header) cachedData = cache.subarray(header.length);
    else state = "stale";
  } catch {
    // No cache yet (or unreadable): compiled from source.
  }
  const script = new vm.Script(nodeModule.wrap(readFileSync(file, "utf8")), { filename: file, ...(cachedData ? { cachedData } : {}) });
  if (cachedData) state = script.cachedDataRejected === true ? "rejected" : "used";
  const module = { exports: {} as unknown };
  (script.runInThisContext() as (...args: unknown[]) => void).call(module.exports, module.exports, require, module, file, path.dirname(file));
  const save = (): void => {
    if (state === "used") return;
    try {
      writeFileAtomicSync(cacheFile, Buffer.concat([Buffer.from(header, "latin1"), script.createCachedData()]));
    } catch {
      // No cache this time: the next start compiles from source again.
    }
  };
  return { exports: module.exports, state, save };
}
