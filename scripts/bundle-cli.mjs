#!/usr/bin/env node
/**
 * Bundles wren's own code for the published `wren` command into dist/bundle/ (`npm run build` runs
 * it after tsc). Node reads, resolves and links every ES module separately, and `wren -p` loaded
 * about 180 of wren's own files before its first request; as a few chunks it starts sooner.
 *
 * - Dependencies stay external packages (native ones such as node-llama-cpp must; the rest keep
 *   their own files and versions), so only wren's code is bundled.
 * - Code splitting keeps the CLI's lazy imports lazy: each command's code is a chunk loaded when
 *   that command runs.
 * - dist/bundle/ sits two levels below the package root, like dist/bin/ and dist/cli/, so code that
 *   finds package.json (`../../package.json` from its own file) finds it from a chunk too.
 * - A module that starts a worker on its own file (`new Worker(import.meta.url)`) works bundled too:
 *   the worker loads the chunk that holds the module, and the module's top-level code (the worker's
 *   side) runs there. Such a module is an entry point of its own, so its chunk holds only it and
 *   what it imports: otherwise it shares the server's chunk, and each worker loads the whole server
 *   (hono, pino, node-llama-cpp's JS: about 3x the load time and 40 MB more).
 *
 * dist/bin/cli.js (tsc's output, unbundled) stays a working entry: the tests run it.
 */
import { build } from "esbuild";
import { rmSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const outdir = path.join(root, "dist", "bundle");

rmSync(outdir, { recursive: true, force: true });
await build({
  absWorkingDir: root,
  entryPoints: { cli: "src/bin/cli.ts", "body-worker": "src/server/body-worker.ts" },
  outdir,
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  target: "node20",
  packages: "external",
  sourcemap: "linked",
  logLevel: "warning",
});
