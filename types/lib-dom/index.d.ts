/* eslint-disable no-var, @typescript-eslint/no-empty-object-type -- global declarations in the form of TypeScript's own lib files: empty interfaces that other declarations may extend, and classes declared as an interface with a var of its constructor. */
/**
 * wren's stand-in for TypeScript's DOM library. TypeScript loads `@typescript/lib-dom`, when it is
 * installed, wherever a program asks for the `dom` library (tsconfig `libReplacement`). wren runs
 * on Node, so its program has no browser globals: code that reached for `document` or `window`
 * would type-check and then fail at run time. Something still asks for `dom`, though:
 * highlight.js's declarations (under lowlight, the terminal UI's highlighter) hold
 * `/// <reference lib="dom" />`, which no tsconfig `lib` setting can refuse. So this package
 * declares only what those declarations name, as empty shapes, and the parts of the DOM library
 * that are Node globals too and that wren uses.
 */

/** Named by highlight.js's declarations (its browser-only `highlightElement`), never used by wren. */
interface Element {}
interface HTMLElement extends Element {}

/** Node's WebAssembly global (TypeScript declares it in the DOM library only): what wren's shell parser uses. */
declare namespace WebAssembly {
  type ImportValue = unknown;
  type ModuleImports = Record<string, ImportValue>;
  type Imports = Record<string, ModuleImports>;
  interface Module {}
  var Module: {
    prototype: Module;
    new (bytes: ArrayBufferView | ArrayBuffer): Module;
  };
  interface Instance {
    readonly exports: Record<string, unknown>;
  }
  var Instance: {
    prototype: Instance;
    new (module: Module, importObject?: Imports): Instance;
  };
}
