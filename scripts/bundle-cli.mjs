#!/usr/bin/env node
/**
 * Bundles wren's own code for the published `wren` command into dist/bundle/ (`npm run build` runs
 * it after tsc). Node reads, resolves and links every ES module separately, and `wren -p` loaded
 * about 180 of wren's own files before its first request; as a few chunks it starts sooner.
 *
 * - The pure-JS dependencies that `wren -p` loads before its first request (zod, commander,
 *   smol-toml, picomatch, undici and eventsource-parser for the OpenAI-compatible providers'
 *   requests, and the openai SDK where code still imports it: hundreds of files Node would read
 *   and link one by one) are
 *   bundled, split into chunks like wren's own code; so is ink with the packages it imports (the
 *   terminal UI's first frame waited on about 500 modules, 415 of them es-toolkit's, which ink
 *   imports whole for its throttle: bundled, the UI starts with about 0.5 s less CPU). Their
 *   licences go to dist/bundle/THIRD-PARTY-LICENSES.txt. Every other dependency stays an external
 *   package: native ones (node-llama-cpp), ones that find files next to their own modules
 *   (web-tree-sitter, tree-sitter-bash, pino and its transports), ones that must be the one copy in
 *   the process (react, shared with ink), yoga-layout (ink's layout engine, a dependency of wren's
 *   for this: its package ships no licence file to bundle with it) and ones `-p` does not load first.
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
 * dist/bin/cli.js (tsc's output, unbundled) stays a working entry, the same program: the tests run
 * the published command (test/helpers/cli.ts), and tsc's entry where a test traces which modules a
 * command loads by name.
 */
import { build } from "esbuild";
import { readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const outdir = path.join(root, "dist", "bundle");

/** Bundled into the chunks: pure JS, no files of their own to find, on `wren -p`'s path. */
const BUNDLED = ["zod", "openai", "commander", "smol-toml", "picomatch", "undici", "eventsource-parser", "ink"];
const pkg = JSON.parse(readFileSync(path.join(root, "package.json"), "utf8"));
const external = Object.keys(pkg.dependencies).filter((name) => !BUNDLED.includes(name));
// A package's subpaths too (`@modelcontextprotocol/sdk/client/index.js`); and React's devtools,
// ink's optional peer, which it imports only in its development mode (see inkWithoutDevMode).
external.push(...external.map((name) => `${name}/*`), "react-devtools-core");

// The config schema's structure, converted from zod once here instead of at every start (see
// src/config/config-shape.ts); tsc's output, built just before, provides the conversion.
const { configJsonSchema, DOCS_CONTEXT } = await import(new URL("../dist/config/index.js", import.meta.url).href);
const configShape = JSON.stringify(configJsonSchema(DOCS_CONTEXT));
// Likewise the built-in tools' input schemas, sent with every request (see src/tools/tool-definition.ts).
const { BUILTIN_TOOLS } = await import(new URL("../dist/tools/builtin-tools.js", import.meta.url).href);
const { convertInputSchema } = await import(new URL("../dist/tools/tool-definition.js", import.meta.url).href);
const toolSchemas = JSON.stringify(Object.fromEntries(BUILTIN_TOOLS.map((tool) => [tool.name, convertInputSchema(tool)])));

rmSync(outdir, { recursive: true, force: true });
/**
 * zod re-exports its error messages in every language (`z.locales`, about 50 modules); wren sets
 * no locale, so zod's default English is all that runs. The table is a third of zod's chunk, and
 * every command that validates anything parsed it at start-up: only English is bundled.
 */
const englishOnlyZodLocales = {
  name: "zod-english-only",
  setup(b) {
    b.onResolve({ filter: /^\.\.\/locales\/index\.js$/ }, (args) =>
      /[\\/]node_modules[\\/]zod[\\/]/.test(args.importer) ? { path: path.join(path.dirname(args.importer), "..", "locales", "en.js"), namespace: "zod-locales" } : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: "zod-locales" }, (args) => ({
      contents: `export { default as en } from ${JSON.stringify(args.path)};`,
      resolveDir: path.dirname(args.path),
      loader: "js",
    }));
  },
};

/**
 * wren calls undici through its Agent alone (src/providers/openai-compatible/client.ts), and its
 * ProxyAgent where the environment names a proxy (src/providers/silence-agent.ts), but
 * undici's entry also loads fetch, WebSocket, EventSource, the cache API and the mocks: about 40%
 * of its code, which Node parsed and ran before `wren -p`'s first request. Bundled, `undici` is a
 * small ES module with the Agent and the request API on it, as the entry sets them up
 * (`Object.assign(Dispatcher.prototype, api)`). It exports `Agent` and `ProxyAgent` only: a static
 * import of any other name fails this build. Unbundled (tsc's output) it is the whole package, the same Agent.
 */
const undiciAgentOnly = {
  name: "undici-agent-only",
  setup(b) {
    const requireHere = createRequire(import.meta.url);
    b.onResolve({ filter: /^undici$/ }, (args) => ({ path: args.path, namespace: "undici-agent-only" }));
    // undici's HTTP/2 client reads node:http2's constants when it loads and calls its connect() only
    // when a client enables HTTP/2, which wren never does; node:http2 costs milliseconds to load.
    // Here it is an object with the constants (Node's own, read at build time) whose every other
    // member is the real module's, loaded on first use: HTTP/2 still works, and costs nothing unused.
    b.onResolve({ filter: /^node:http2$/ }, (args) => (/[\\/]node_modules[\\/]undici[\\/]/.test(args.importer) ? { path: "node:http2", namespace: "undici-http2" } : undefined));
    b.onLoad({ filter: /.*/, namespace: "undici-http2" }, async () => {
      const { constants } = await import("node:http2");
      return {
        contents: [
          `const constants = ${JSON.stringify(constants)};`,
          'module.exports = new Proxy({}, { get: (_, key) => (key === "constants" ? constants : require("node:http2")[key]) });',
        ].join("\n"),
        loader: "js",
      };
    });
    b.onLoad({ filter: /.*/, namespace: "undici-agent-only" }, () => {
      const lib = (file) => JSON.stringify(requireHere.resolve(`undici/lib/${file}`));
      return {
        contents: [
          `import Agent from ${lib("dispatcher/agent.js")};`,
          `import ProxyAgent from ${lib("dispatcher/proxy-agent.js")};`,
          `import Dispatcher from ${lib("dispatcher/dispatcher.js")};`,
          `import api from ${lib("api/index.js")};`,
          "Object.assign(Dispatcher.prototype, api);",
          "export { Agent, ProxyAgent };",
        ].join("\n"),
        resolveDir: root,
        loader: "js",
      };
    });
  },
};

/**
 * ink has a development mode for React's devtools, on when the environment says DEV=true: it then
 * imports react-devtools-core (not installed: a warning drawn over the UI) and reads its own
 * package.json next to its module, which a chunk does not have. DEV=true is a common setting in
 * the projects wren is started in, and says nothing to wren: bundled, ink's mode is always off.
 */
const inkWithoutDevMode = {
  name: "ink-without-dev-mode",
  setup(b) {
    b.onLoad({ filter: /[\\/]node_modules[\\/]ink[\\/]build[\\/]utils\.js$/ }, () => ({ contents: "export const isDev = () => false;", loader: "js" }));
  },
};

const result = await build({
  absWorkingDir: root,
  entryPoints: { cli: "src/bin/cli.ts", "body-worker": "src/server/body-worker.ts" },
  outdir,
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  target: "node20",
  external,
  define: { WREN_CONFIG_SHAPE: configShape, WREN_TOOL_SCHEMAS: toolSchemas },
  // Licence comments are kept in a file of their own; each bundled package's licence file is added below.
  legalComments: "linked",
  // CommonJS packages among them (commander, picomatch) require Node's modules; ES modules have no
  // `require` of their own, so every chunk gets one.
  banner: { js: 'import { createRequire as __wrenCreateRequire } from "node:module"; const require = __wrenCreateRequire(import.meta.url);' },
  plugins: [englishOnlyZodLocales, undiciAgentOnly, inkWithoutDevMode],
  // Node parses every byte of a module before running it: whitespace and syntax minified make the
  // chunks about half the size (names stay, so stack traces still read; the source map has the rest).
  minifyWhitespace: true,
  minifySyntax: true,
  metafile: true,
  sourcemap: "linked",
  logLevel: "warning",
});

// The command's first file: a CommonJS launcher that answers --version before Node sets up its ES
// module loader, and otherwise imports cli.js. Bundled with its one module of its own (which sizes
// libuv's thread pool); cli.js stays the file beside it.
await build({
  absWorkingDir: root,
  entryPoints: ["src/bin/launcher.cts"],
  outfile: path.join(outdir, "launcher.cjs"),
  bundle: true,
  external: ["./cli.js"],
  format: "cjs",
  platform: "node",
  target: "node20",
  logLevel: "warning",
});

// `wren cmd --check COMMAND`, which the launcher runs without the command tree (src/cli/fast-check.ts):
// CommonJS, because Node 20 loads CommonJS with synchronous reads, where each ES module is read through
// libuv's thread pool and linked on its own. fast-check.cjs reads the arguments and loads
// check-core.cjs, the shell analysis alone (no zod: the stdin modes with their request schema go
// through the command tree), with V8's code cache. web-tree-sitter's own CommonJS build is bundled
// into it, so the cache holds its code too: it finds nothing next to itself there, as the grammar
// loader hands it both WASM files (tree-sitter-bash's stays in its package).
const webTreeSitterCjs = {
  name: "web-tree-sitter-cjs",
  setup(b) {
    const file = createRequire(import.meta.url).resolve("web-tree-sitter");
    b.onResolve({ filter: /^web-tree-sitter$/ }, () => ({ path: file }));
  },
};
const fastCheck = {
  absWorkingDir: root,
  bundle: true,
  format: "cjs",
  platform: "node",
  target: "node20",
  external,
  // import.meta.url in CommonJS: the file's own URL, as in the ES module chunks.
  define: { "import.meta.url": "__wrenImportMetaUrl" },
  banner: { js: 'const __wrenImportMetaUrl = require("node:url").pathToFileURL(__filename).href;' },
  minifyWhitespace: true,
  minifySyntax: true,
  sourcemap: "linked",
  logLevel: "warning",
};
await build({ ...fastCheck, entryPoints: ["src/cli/fast-check.ts"], outfile: path.join(outdir, "fast-check.cjs") });
const checkCore = await build({
  ...fastCheck,
  entryPoints: ["src/shell/check-one.ts"],
  outfile: path.join(outdir, "check-core.cjs"),
  external: external.filter((name) => name !== "web-tree-sitter"),
  plugins: [webTreeSitterCjs],
  metafile: true,
});

/** The licence text of every package bundled into the chunks and check-core.cjs, as their licences require. */
const bundled = new Set();
for (const input of [...Object.keys(result.metafile.inputs), ...Object.keys(checkCore.metafile.inputs)]) {
  const m = /(?:^|\/)node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(input);
  if (m) bundled.add(m[1]);
}
const notices = [...bundled].sort().map((name) => {
  const dir = path.join(root, "node_modules", name);
  const file = readdirSync(dir).find((f) => /^(licen[cs]e|copying)/i.test(f));
  if (!file) throw new Error(`${name} is bundled into wren's command but has no licence file to ship with it.`);
  const { version, license } = JSON.parse(readFileSync(path.join(dir, "package.json"), "utf8"));
  return `${name}@${version} (${license})\n\n${readFileSync(path.join(dir, file), "utf8").trim()}\n`;
});
const legal = path.join(outdir, "THIRD-PARTY-LICENSES.txt");
writeFileSync(legal, `Packages bundled into wren's command, with their licences.\n\n${notices.join("\n---\n\n")}`);
