import { WrenError } from "../shared/errors.js";

/** One thing wrong with the configuration, attributed to where it came from. */
export interface ConfigProblem {
  /** The file (home shown as `~`), environment variable or flag the value came from. */
  origin: string;
  /** Dotted key path, when the problem is about a key. */
  key?: string;
  /** What was wrong and the fix, as sentences. */
  message: string;
}

export function formatProblem(problem: ConfigProblem): string {
  return problem.key === undefined
    ? `${problem.origin}: ${problem.message}`
    : `${problem.origin}: ${problem.key}: ${problem.message}`;
}

/** One WrenError("config_invalid") listing every problem, one per line. */
export function configError(problems: readonly ConfigProblem[]): WrenError {
  const lines = problems.map((p) => `  ${formatProblem(p)}`);
  const count = problems.length === 1 ? "1 problem" : `${problems.length} problems`;
  return new WrenError("config_invalid", `Invalid configuration (${count}):\n${lines.join("\n")}\n`, {
    // A missing file or a TOML syntax error names no key: "fix the keys" would send the reader looking for one.
    hint: `Fix the ${problems.every((p) => p.key !== undefined) ? "keys" : "problems"} above; \`wren config validate FILE\` checks one file and \`wren config path\` shows which files are read.`,
    details: { problems },
  });
}
