import { execFile } from "node:child_process";

/** Asks an interpreter whether it can import these modules; never imports them (that takes seconds). */
function canImport(python: string, modules: readonly string[]): Promise<boolean> {
  const code = `import importlib.util,sys; sys.exit(0 if all(importlib.util.find_spec(m) for m in ${JSON.stringify(modules)}) else 3)`;
  return new Promise((resolve) => {
    execFile(python, ["-c", code], { timeout: 60_000, windowsHide: true }, (error) => resolve(!error));
  });
}

/**
 * The interpreters worth trying, most specific first. The system's /usr/bin/python3 comes before
 * `python3` on PATH because Debian's python3-torch installs there while a pyenv or venv shim may
 * shadow it.
 */
export function pythonCandidates(configured: string | undefined): string[] {
  const list = [configured];
  if (process.platform === "win32") list.push("py", "python", "python3");
  else list.push("/usr/bin/python3", "/usr/local/bin/python3", "python3", "python");
  return [...new Set(list.filter((p): p is string => Boolean(p)))];
}

/** The first interpreter that can import all `modules`, or undefined. */
export async function findPython(candidates: readonly string[], modules: readonly string[]): Promise<string | undefined> {
  for (const python of candidates) if (await canImport(python, modules)) return python;
  return undefined;
}

/** The first interpreter at all (for `wren train setup`), or undefined. */
export async function findAnyPython(candidates: readonly string[]): Promise<string | undefined> {
  return findPython(candidates, ["venv"]);
}
