// Loaded with `node --import`: records every CommonJS `require` request of the process into the
// file named by WREN_TRACE_REQUIRES (as trace-imports.mjs does for ES modules), so a test can prove
// which files a command runs from.
import { appendFileSync } from "node:fs";
import Module from "node:module";

const file = process.env.WREN_TRACE_REQUIRES;
const original = Module.prototype.require;
Module.prototype.require = function traced(request, ...rest) {
  if (file) appendFileSync(file, `${request}\n`);
  return original.call(this, request, ...rest);
};
