// The Node.js versions users run beside the one CI runs on: a smoke set of wren's test files
// (providers' fetch, the official SDK clients against wren serve, llama.cpp through the CLI,
// wren -p, the shell grammar, Node's compile cache) under each of Node 22, 24 and 26, the binaries
// from the npm registry (the `node-<platform>-<arch>` packages Node publishes there), kept in
// `~/.cache/wren-test-node` (or WREN_TEST_NODE_DIR). Versions are pinned so a run is reproducible.
// Each version's results go to `<prefix>-<major>.json` in vitest's JSON format, for CI's summary.
// Usage: node test/node-versions/run.mjs [OUTPUT_PREFIX]   (after `npm run build`)
// Where no such package exists for this platform, it says so and runs nothing: skipped, not passed.
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, renameSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

/** The releases checked: the newest of each line when pinned. */
const VERSIONS = ["22.23.5", "24.22.3", "26.12.1"];

const FILES = [
  "src/providers/silence-agent.test.ts",
  "src/router/silent-teacher.test.ts",
  "test/e2e/server-clients.test.ts",
  "test/e2e/run.test.ts",
  "test/e2e/agent-print.test.ts",
  "test/e2e/cmd-check.test.ts",
  "test/e2e/compile-cache.test.ts",
];

/** How long fetching one Node may take, and one version's test files may run (about a minute here). */
const FETCH_LIMIT_MS = 5 * 60_000;
const RUN_LIMIT_MS = 15 * 60_000;

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const cache = process.env["WREN_TEST_NODE_DIR"] || path.join(os.homedir(), ".cache", "wren-test-node");
const prefix = process.argv[2] ?? path.join(os.tmpdir(), "wren-node-versions");
const npm = process.platform === "win32" ? "npm.cmd" : "npm";

/** The folder holding `bin/node` of `version`, fetched from the npm registry when not cached. */
function nodeOf(version) {
  const dir = path.join(cache, version);
  const bin = path.join(dir, process.platform === "win32" ? "node.exe" : path.join("bin", "node"));
  if (existsSync(bin)) return bin;
  const pkg = `node-${process.platform === "win32" ? "win" : process.platform}-${process.arch}@${version}`;
  const work = path.join(cache, `.${version}-${process.pid}`);
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  console.log(`Fetching ${pkg} from the npm registry…`);
  // Bounded, so a registry that stops answering costs this version its run, never CI its time.
  const tgz = execFileSync(npm, ["pack", pkg, "--silent"], { cwd: work, encoding: "utf8", shell: process.platform === "win32", timeout: FETCH_LIMIT_MS }).trim().split("\n").at(-1);
  execFileSync("tar", ["xzf", tgz], { cwd: work, timeout: FETCH_LIMIT_MS });
  rmSync(dir, { recursive: true, force: true });
  renameSync(path.join(work, "package"), dir);
  rmSync(work, { recursive: true, force: true });
  return bin;
}

let failed = false;
for (const version of VERSIONS) {
  const major = version.split(".")[0];
  let node;
  try {
    node = nodeOf(version);
  } catch (error) {
    console.log(`Node ${version}: no binary for ${process.platform}-${process.arch} could be fetched (${error instanceof Error ? error.message.split("\n")[0] : error}); its smoke set is skipped.`);
    continue;
  }
  console.log(`\nNode ${version} (${node}): ${FILES.length} test files`);
  // vitest's workers and the CLI the tests start run on process.execPath: this Node throughout.
  const run = spawnSync(node, [path.join(root, "node_modules", "vitest", "vitest.mjs"), "run", ...FILES, "--reporter=default", "--reporter=json", `--outputFile=${prefix}-${major}.json`], {
    cwd: root,
    stdio: "inherit",
    env: { ...process.env, PATH: `${path.dirname(node)}${path.delimiter}${process.env["PATH"] ?? ""}` },
    timeout: RUN_LIMIT_MS,
    killSignal: "SIGKILL",
  });
  if (run.error) console.log(`Node ${version}: the test run did not finish (${run.error.message}); counted as failed.`);
  if (run.status !== 0) failed = true;
}
process.exit(failed ? 1 : 0);
