import path from "node:path";
import { fileURLToPath } from "node:url";
import type { checkOne } from "../shell/check-one.js";
import { detectShell, parseShellKind } from "../shell/detect.js";
import type { ShellKind } from "../shell/types.js";
import { resolvePaths } from "../shared/paths.js";
import { requireWithCodeCache } from "./code-cache.js";
import { fastCheckArgs } from "./fast-check-args.js";
import { wrenVersion } from "../shared/version.js";

/**
 * `wren cmd --check COMMAND` without the command tree: the published launcher runs this file's
 * bundle (dist/bundle/fast-check.cjs, CommonJS, which Node 20 loads without its ES module loader)
 * when the arguments have one of the shapes {@link fastCheckArgs} reads. Resolves to the exit code,
 * or to undefined, having printed nothing, when the arguments are for the command tree to handle
 * (including an unknown shell, so its usage error reads the same).
 *
 * The analysis itself is a second bundle next to this one (check-core.cjs), loaded with V8's code
 * cache kept in wren's cache folder, keyed by wren's version, Node's version and the architecture.
 */
export async function runFastCheck(args: readonly string[]): Promise<number | undefined> {
  const check = fastCheckArgs(args);
  if (!check) return undefined;
  let shell: ShellKind;
  try {
    shell = check.shell === undefined ? detectShell() : parseShellKind(check.shell);
  } catch {
    return undefined;
  }
  const here = path.dirname(fileURLToPath(import.meta.url));
  const cacheFile = path.join(resolvePaths().cacheDir, "code-cache", `check-core-${wrenVersion()}-node${process.versions.node}-${process.arch}.bin`);
  const core = requireWithCodeCache(path.join(here, "check-core.cjs"), cacheFile);
  const code = await (core.exports as { checkOne: typeof checkOne }).checkOne({ command: check.command, shell, json: check.json });
  core.save();
  return code;
}
