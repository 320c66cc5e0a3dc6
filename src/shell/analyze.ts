import os from "node:os";
import path from "node:path";
import type { Parser } from "web-tree-sitter";
import { loadBashParser, parseBash } from "./bash-parser.js";
import { cmdLineAsPowerShell, type CmdPlace } from "./cmd-line.js";
import { evaluateScript } from "./evaluate.js";
import type { ContainerPlace, HomeFromVars } from "./evaluate-context.js";
import { parseFish } from "./fish-parser.js";
import type { Script } from "./ir.js";
import { parsePowerShell, userFolders } from "./powershell-parser.js";
import { riskRank, worstRisk, type Analysis, type AnalyzeOptions, type Finding, type Risk, type ShellKind } from "./types.js";

/** Analyses command lines. Create one with {@link createShellAnalyzer} and reuse it: parsing is then synchronous. */
export interface ShellAnalyzer extends Disposable {
  analyze(command: string, options?: AnalyzeOptions): Analysis;
  /** Frees the parser's WebAssembly memory; the analyzer cannot be used afterwards. */
  dispose(): void;
}

/** Loads the bash grammar once and returns an analyzer that reuses it for every command. */
export async function createShellAnalyzer(): Promise<ShellAnalyzer> {
  const parser = await loadBashParser();
  let disposed = false;
  const dispose = (): void => {
    if (disposed) return;
    disposed = true;
    parser.delete();
  };
  return {
    analyze: (command, options) => {
      if (disposed) throw new Error("This shell analyzer was disposed.");
      return analyzeWith(parser, command, options);
    },
    dispose,
    [Symbol.dispose]: dispose,
  };
}

let shared: Promise<ShellAnalyzer> | undefined;

/** One-shot analysis with a lazily created, process-wide analyzer. */
export async function analyze(command: string, options?: AnalyzeOptions): Promise<Analysis> {
  shared ??= createShellAnalyzer();
  return (await shared).analyze(command, options);
}

function analyzeWith(parser: Parser, command: string, options: AnalyzeOptions = {}): Analysis {
  const shell = options.shell ?? "bash";
  const cwd = resolveDir(options.cwd ?? process.cwd());
  const home = resolveDir(options.home ?? os.homedir());
  const env = { cwd, home, userFolders: userFolders(command, home) };
  const parse = (text: string, kind: ShellKind, homeFromVars?: HomeFromVars, container?: ContainerPlace, cwdChanged?: boolean): Script => {
    // A container's HOME is set when it starts (`/root`, `-e HOME=…`): `~` is read from it as `$HOME` is.
    // Where HOME is unset there (`env -i`), `~` is the user database's home. `$PWD` and `~+` are its working directory, or only known at run time.
    const placed = container === undefined ? env : { ...env, home: container.home, homeFromVars: true, homeAssigned: container.homeUnset !== true, cwd: container.cwd ?? "/", ...(container.cwd === undefined ? { cwdUnknown: true } : {}) };
    // Text run after a `cd` on the line (`cd / && bash -c 'rm -rf $PWD'`): its `$PWD` is the directory the evaluator follows.
    const where = cwdChanged ? { ...placed, cwdChanged } : placed;
    // fish reads `~` from HOME: a child's that the line gave a known value (`HOME=/ fish -c 'rm -rf ~'`);
    // it sets one it lacks to the user database's home (`env -i fish` in a container: root's).
    if (kind === "fish") return parseFish(text, { ...where, homeAssigned: homeFromVars === "tilde" });
    if (kind === "powershell") return parsePowerShell(text, where);
    // A child shell's HOME that the line set (`HOME=/ sh -c 'rm -rf ~'`) is its `~` as well as its `$HOME`.
    return parseBash(parser, text, { ...where, shell: kind, ...(homeFromVars ? { homeFromVars: true } : {}), ...(homeFromVars === "tilde" ? { homeAssigned: true } : {}) });
  };
  try {
    const script = parse(command, shell);
    const findings = evaluateScript(script, shell, { cwd, home }, parse);
    return summarize([...findings, ...readAsCmdLine(command, shell, script, findings, (text) => evaluateScript(parse(text, "powershell"), "powershell", { cwd, home }, parse, true), { cwd, home })]);
  } catch (error) {
    // A bug in the analysis must never make a command look safe.
    const detail = `wren could not analyse this command (${error instanceof Error ? error.message : String(error)})`;
    return { risk: "high", reasons: [{ category: "remote code execution", risk: "high", detail }] };
  }
}

/**
 * A folder given as a drive path (`C:\Users\ada`) or a share (`\\server\share`) is a Windows
 * one on any host: `path.resolve` on Linux would read it as a relative name inside this process's
 * working directory.
 */
function resolveDir(dir: string): string {
  return /^[A-Za-z]:[\\/]|^\\\\/.test(dir) ? path.win32.resolve(dir) : path.resolve(dir);
}

/**
 * A line the shell cannot parse may be a cmd.exe line typed into the wrong shell (`for /r C:\ %f in
 * (*) do del /q %f` in bash): it is rated no lower than cmd.exe's reading of it. Only what that
 * reading finds worse than the shell's own is added, so a harmless cmd.exe line stays as it was.
 */
function readAsCmdLine(command: string, shell: ShellKind, script: Script, findings: Finding[], evaluatePowerShell: (text: string) => Finding[], place: CmdPlace): Finding[] {
  if (!script.units.some((u) => u.kind === "unresolved")) return [];
  const worst = riskRank(worstRisk(findings.map((f) => f.risk)));
  return evaluatePowerShell(cmdLineAsPowerShell(command, place))
    .filter((f) => riskRank(f.risk) > worst)
    .map((f) => ({ ...f, detail: `${f.detail} (read as a cmd.exe line)` }));
}

/** Worst risk first, duplicates removed, and nothing said again at a weaker level about a subject already judged. */
export function summarize(findings: Finding[]): Analysis {
  const seen = new Set<string>();
  const judged = new Map<string, Risk>();
  const reasons = findings
    .filter((f) => f.risk !== "safe")
    .sort((a, b) => riskRank(b.risk) - riskRank(a.risk))
    .filter((f) => {
      const key = `${f.category}\u0000${f.detail}`;
      const worst = f.subject === undefined ? undefined : judged.get(f.subject);
      if (seen.has(key) || (worst !== undefined && riskRank(worst) > riskRank(f.risk))) return false;
      seen.add(key);
      if (f.subject !== undefined && worst === undefined) judged.set(f.subject, f.risk);
      return true;
    })
    .map(({ subject: _subject, ...shown }) => shown);
  return { risk: worstRisk(reasons.map((r) => r.risk)), reasons };
}
