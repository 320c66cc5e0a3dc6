// Node's own compile cache (Node 22.1 and later), kept in wren's cache folder. The launcher turns it
// on before anything is compiled, so it cannot import wren's ES modules (src/shared/paths.ts): on
// Node 20 a CommonJS file cannot require one. The folder is resolved here as paths.ts resolves
// `cacheDir` (test/e2e/compile-cache.test.ts holds the two side by side).
/* eslint-disable @typescript-eslint/no-require-imports -- CommonJS on purpose: the launcher requires it */
import nodeModule = require("node:module");
import os = require("node:os");
import path = require("node:path");
/* eslint-enable @typescript-eslint/no-require-imports */

/** Where V8's code cache goes: `code-cache/` in wren's cache folder, where Node 20's code cache of `wren cmd --check` goes too (src/cli/fast-check.ts). */
function compileCacheDir(env: NodeJS.ProcessEnv = process.env, home: string = os.homedir(), platform: NodeJS.Platform = process.platform): string {
  const wrenHome = env["WREN_HOME"];
  let cacheDir: string;
  if (wrenHome) cacheDir = path.join(path.resolve(wrenHome), "cache");
  else if (platform === "win32") cacheDir = path.join(env["LOCALAPPDATA"] ?? path.join(home, "AppData", "Local"), "wren");
  else cacheDir = path.join(env["XDG_CACHE_HOME"] || path.join(home, ".cache"), "wren");
  return path.join(cacheDir, "code-cache");
}

/**
 * Turns on Node's compile cache in {@link compileCacheDir}: later starts skip compiling wren and its
 * dependencies. Without a folder Node would write to the OS temp folder. A no-op on Node 20, which
 * has no such API (wren keeps a code cache of its own there for `wren cmd --check`); Node's own
 * switches win: NODE_DISABLE_COMPILE_CACHE=1 turns it off, NODE_COMPILE_CACHE picks another folder.
 */
function enableCompileCache(): void {
  const enable = (nodeModule as { enableCompileCache?: (directory?: string) => unknown }).enableCompileCache;
  enable?.(compileCacheDir());
}

export = { compileCacheDir, enableCompileCache };
