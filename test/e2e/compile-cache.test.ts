import { spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import nodeModule, { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { resolvePaths } from "../../src/shared/paths.js";
import { unbundledCliPath } from "../helpers/cli.js";
import { projectRoot } from "../helpers/shared-models.js";

/** The published `wren` command's first file (`npm test` builds the bundle first). */
const launcher = path.join(projectRoot, "dist", "bundle", "launcher.cjs");
const pkg = JSON.parse(readFileSync(path.join(projectRoot, "package.json"), "utf8")) as { version: string };

/** The launcher's folder, as built (tsc's CommonJS output: Vitest does not transform `.cts`). */
const { compileCacheDir } = createRequire(import.meta.url)(path.join(projectRoot, "dist", "bin", "compile-cache.cjs")) as {
  compileCacheDir: (env: NodeJS.ProcessEnv, home: string, platform: NodeJS.Platform) => string;
};

/** Node 22.1 and later keep a compile cache of their own; Node 20 has none, and wren keeps `wren cmd --check`'s. */
const nodeHasCache = "enableCompileCache" in nodeModule;

let tmp: string;
beforeAll(() => {
  tmp = mkdtempSync(path.join(os.tmpdir(), "wren-compile-cache-"));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** Runs `entry ARGS` with its own home, cache and OS temp folders; resolves with its exit code. */
function run(entry: string, args: readonly string[], env: Record<string, string>, osTemp: string): Promise<number | null> {
  const childEnv: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: "1", TMPDIR: osTemp, TEMP: osTemp, TMP: osTemp, ...env };
  for (const name of ["WREN_HOME", "XDG_CACHE_HOME", "NODE_COMPILE_CACHE", "NODE_DISABLE_COMPILE_CACHE"]) if (!(name in env)) delete childEnv[name];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [entry, ...args], { env: childEnv, stdio: "ignore" });
    child.on("error", reject);
    child.on("close", resolve);
  });
}

/** Every file under `dir`, as paths relative to it. */
function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(dir, path.join(entry.parentPath, entry.name)));
}

/** What the cache folder must hold after `wren cmd --check` and `wren --help`, on the running Node. */
function expectCacheIn(codeCache: string, { checked }: { checked: boolean }): void {
  const files = filesUnder(codeCache);
  if (nodeHasCache) {
    // Node's own compile cache: a folder per Node version (`v22.….-x64-…`), holding the compiled modules.
    expect(files.length).toBeGreaterThan(0);
    expect(files.every((f) => f.startsWith(`v${process.versions.node}-`))).toBe(true);
  } else {
    // Node 20: only wren's own code cache of `wren cmd --check`'s analysis.
    expect(files).toEqual(checked ? [`check-core-${pkg.version}-node${process.versions.node}-${process.arch}.bin`] : []);
  }
}

describe("V8's code cache lands in wren's cache folder, never in the OS temp folder", { timeout: 120_000 }, () => {
  it("the launcher resolves wren's cache folder as paths.ts does", () => {
    const home = path.join(tmp, "resolve-home");
    for (const env of [{}, { XDG_CACHE_HOME: path.join(tmp, "xdg") }, { XDG_CACHE_HOME: "" }, { WREN_HOME: path.join(tmp, "wren-home") }, { WREN_HOME: "relative-home" }]) {
      expect(compileCacheDir(env, home, process.platform), JSON.stringify(env)).toBe(path.join(resolvePaths(env, home).cacheDir, "code-cache"));
    }
    // Windows' conventions, whichever platform runs the test (paths.ts reads the running one's).
    expect(compileCacheDir({ LOCALAPPDATA: path.join(tmp, "local") }, home, "win32")).toBe(path.join(tmp, "local", "wren", "code-cache"));
    expect(compileCacheDir({}, home, "win32")).toBe(path.join(home, "AppData", "Local", "wren", "code-cache"));
    expect(compileCacheDir({ WREN_HOME: path.join(tmp, "w"), LOCALAPPDATA: path.join(tmp, "local") }, home, "win32")).toBe(path.join(tmp, "w", "cache", "code-cache"));
  });

  it(`the published command (${nodeHasCache ? "Node's compile cache" : "Node 20: wren's code cache of cmd --check"}) under XDG_CACHE_HOME`, async () => {
    const home = path.join(tmp, "home");
    const cache = path.join(tmp, "xdg-cache");
    const osTemp = path.join(tmp, "os-temp");
    mkdirSync(osTemp, { recursive: true });
    const env = { HOME: home, USERPROFILE: home, XDG_CACHE_HOME: cache, LOCALAPPDATA: cache };
    expect(await run(launcher, ["cmd", "--check", "ls", "--shell", "bash"], env, osTemp)).toBe(0);
    expect(await run(launcher, ["--help"], env, osTemp)).toBe(0);
    expectCacheIn(path.join(resolvePaths(env, home).cacheDir, "code-cache"), { checked: true });
    expect(readdirSync(osTemp)).toEqual([]);
  });

  it(`tsc's unbundled entry (${nodeHasCache ? "Node's compile cache" : "Node 20: none"}), under WREN_HOME`, async () => {
    const wrenHome = path.join(tmp, "wren-home");
    const osTemp = path.join(tmp, "os-temp-unbundled");
    mkdirSync(osTemp, { recursive: true });
    expect(await run(unbundledCliPath, ["--help"], { WREN_HOME: wrenHome }, osTemp)).toBe(0);
    expectCacheIn(path.join(wrenHome, "cache", "code-cache"), { checked: false });
    expect(readdirSync(osTemp)).toEqual([]);
  });
});
