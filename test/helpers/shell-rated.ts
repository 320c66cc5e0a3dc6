import { afterAll, beforeAll } from "vitest";
import { createShellAnalyzer, type ShellAnalyzer } from "../../src/shell/analyze.js";
import type { Analysis, Risk, ShellKind } from "../../src/shell/types.js";

/**
 * The whole analysis of a command, for a file of case tables: one analyzer for the whole file,
 * made before its first test and freed after its last, with `cwd` and `home` as {@link shellRater}'s.
 */
export function shellAnalysis(cwd = "/home/ada/code/app", home = "/home/ada"): (command: string, shell?: ShellKind) => Analysis {
  let analyzer: ShellAnalyzer | undefined;
  beforeAll(async () => {
    analyzer = await createShellAnalyzer();
  });
  afterAll(() => analyzer?.dispose());
  return (command, shell = "bash") => {
    if (!analyzer) throw new Error("The shell analyzer is made in beforeAll: analyze commands inside tests.");
    return analyzer.analyze(command, { shell, cwd, home });
  };
}

/** How a case table sees one analysis: the risk, a line that shows the whole result when an expectation fails, and each reason's detail. */
export interface Rated {
  risk: Risk;
  shown: string;
  details: string[];
}

/**
 * A rater for a file of case tables: one analyzer for the whole file, with `cwd` a project inside
 * `home` (`/home/ada/code/app` in `/home/ada`), so the tables can name those paths in what they expect.
 * Call it at the top of the file; the analyzer is made before the first test and freed after the last.
 */
export function shellRater(cwd = "/home/ada/code/app", home = "/home/ada"): (command: string, shell?: ShellKind) => Rated {
  const analysis = shellAnalysis(cwd, home);
  return (command, shell = "bash") => {
    const result = analysis(command, shell);
    return { risk: result.risk, shown: `${shell}: ${JSON.stringify(command)} → ${result.risk} ${JSON.stringify(result.reasons)}`, details: result.reasons.map((r) => r.detail) };
  };
}
