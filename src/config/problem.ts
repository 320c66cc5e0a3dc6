import { WrenError } from "../shared/errors.js";

/** Where a problem's value was written: each needs its own advice. */
export type ProblemSource = "file" | "env" | "flag";

/** One thing wrong with the configuration, attributed to where it came from. */
export interface ConfigProblem {
  /** The file (home shown as `~`), environment variable or flag the value came from. */
  origin: string;
  /** What `origin` is; default `file` (a config file, or config passed in by code). */
  source?: ProblemSource;
  /** Dotted key path, when the problem is about a key. */
  key?: string;
  /** What was wrong and the fix, as sentences. */
  message: string;
  /**
   * What is to be fixed, for the closing line: the key itself (unknown, misplaced, missing, or not
   * allowed there), or its value (wrong type, out of range). Default for a problem with a key: `key`.
   */
  about?: "key" | "value";
}

export function formatProblem(problem: ConfigProblem): string {
  // A flag is named as typed; its config key would only send the reader looking for a file.
  return problem.key === undefined || problem.source === "flag"
    ? `${problem.origin}: ${problem.message}`
    : `${problem.origin}: ${problem.key}: ${problem.message}`;
}

function listed(names: readonly string[]): string {
  return names.length <= 1 ? names.join("") : `${names.slice(0, -1).join(", ")} and ${names.at(-1) ?? ""}`;
}

/**
 * "keys", "values" or both, as the problems are; a missing file or a TOML syntax error names no key,
 * and "fix the keys" would send the reader looking for one, so any such problem makes it "problems".
 */
function whatToFix(files: readonly ConfigProblem[]): string {
  if (files.some((p) => p.key === undefined)) return "problems";
  const keys = files.some((p) => (p.about ?? "key") === "key");
  const values = files.some((p) => p.about === "value");
  return keys && values ? "keys and values" : values ? "values" : "keys";
}

/** The next step for each kind of source among `problems`, file advice only for files. */
function hintFor(problems: readonly ConfigProblem[]): string {
  const of = (source: ProblemSource) => problems.filter((p) => (p.source ?? "file") === source);
  const names = (list: readonly ConfigProblem[]) => [...new Set(list.map((p) => p.origin))];
  const steps: string[] = [];
  const files = of("file");
  if (files.length > 0) {
    steps.push(`Fix the ${whatToFix(files)} above; \`wren config validate FILE\` checks one file and \`wren config path\` shows which files are read.`);
  }
  const variables = names(of("env"));
  if (variables.length > 0) {
    steps.push(`Fix ${listed(variables)}, or unset ${variables.length === 1 ? "it" : "them"} to use the config files or the default.`);
  }
  const flags = names(of("flag"));
  if (flags.length > 0) steps.push(`Run the command again with ${flags.length === 1 ? "a valid value" : "valid values"} for ${listed(flags)}.`);
  return steps.join(" ");
}

/** One WrenError("config_invalid") listing every problem, one per line. */
export function configError(problems: readonly ConfigProblem[]): WrenError {
  const lines = problems.map((p) => `  ${formatProblem(p)}`);
  const count = problems.length === 1 ? "1 problem" : `${problems.length} problems`;
  return new WrenError("config_invalid", `Invalid configuration (${count}):\n${lines.join("\n")}\n`, {
    hint: hintFor(problems),
    details: { problems },
  });
}
