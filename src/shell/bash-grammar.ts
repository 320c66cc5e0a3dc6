import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { Language, Parser } from "web-tree-sitter";
import { withoutTierUp } from "./wasm-tiering.js";

let languagePromise: Promise<Language> | undefined;

/** The bash grammar, loaded once per process (it is immutable), with tree-sitter's runtime. */
export function loadBashLanguage(): Promise<Language> {
  languagePromise ??= load();
  return languagePromise;
}

async function load(): Promise<Language> {
  const require = createRequire(import.meta.url);
  // Both files are read here rather than found by web-tree-sitter next to its own module, so the
  // parser works from a bundle too; read at once, they cost no trip through libuv's thread pool.
  const runtime = readFileSync(require.resolve("web-tree-sitter/web-tree-sitter.wasm"));
  const grammar = readFileSync(require.resolve("tree-sitter-bash/tree-sitter-bash.wasm"));
  return withoutTierUp(async () => {
    await Parser.init({
      // Compiled on this thread: with V8's lazy compilation that is validation only (a few ms), where
      // an asynchronous compile waits for a background thread, which a busy machine is slow to give.
      instantiateWasm(imports: WebAssembly.Imports, receive: (instance: WebAssembly.Instance, module: WebAssembly.Module) => void) {
        const module = new WebAssembly.Module(runtime);
        receive(new WebAssembly.Instance(module, imports), module);
        return {};
      },
    });
    return Language.load(grammar);
  });
}
