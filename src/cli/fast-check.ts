import { checkOne } from "../shell/check-one.js";
import { detectShell, parseShellKind } from "../shell/detect.js";
import type { ShellKind } from "../shell/types.js";
import { fastCheckArgs } from "./fast-check-args.js";

/**
 * `wren cmd --check COMMAND` without the command tree: the published launcher runs this file's
 * bundle (dist/bundle/fast-check.cjs, CommonJS, which Node 20 loads without its ES module loader)
 * when the arguments have one of the shapes {@link fastCheckArgs} reads. Resolves to the exit code,
 * or to undefined, having printed nothing, when the arguments are for the command tree to handle
 * (including an unknown shell, so its usage error reads the same).
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
  return checkOne({ command: check.command, shell, json: check.json });
}
