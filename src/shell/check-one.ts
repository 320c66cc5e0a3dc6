import os from "node:os";
import { createShellAnalyzer, type ShellAnalyzer } from "./analyze.js";
import { checkJson, renderAnalysis, useColor } from "./render.js";
import type { ShellKind } from "./types.js";

/** Where the command would run. */
export interface CheckPlace {
  shell: ShellKind;
  cwd: string;
  home: string;
}

/** How `wren cmd --check` prints one verdict. */
export interface VerdictFormat {
  /** One JSON line `{"risk", "reasons"}` instead of the badge and reasons. */
  json: boolean;
  /** Colours the badge (text only). */
  color: boolean;
}

/** One command's verdict as `wren cmd --check` prints it. */
export function verdictText(analyzer: ShellAnalyzer, command: string, place: CheckPlace, format: VerdictFormat): string {
  const analysis = analyzer.analyze(command, place);
  return format.json ? checkJson(analysis) + "\n" : renderAnalysis(command, analysis, format.color);
}

export interface CheckOneOptions {
  command: string;
  shell: ShellKind;
  json: boolean;
  /** Default: the process's working directory. */
  cwd?: string;
  /** Default: the user's home directory. */
  home?: string;
  /** Default: process.stdout. */
  stdout?: NodeJS.WritableStream & { isTTY?: boolean };
}

/**
 * `wren cmd --check COMMAND`: rates one command and prints its verdict. Kept apart from the stdin
 * modes (and their request schema), so the published command can run it from a small bundle of
 * its own (see src/cli/fast-check.ts). Always exits 0: the verdict is the output.
 */
export async function checkOne(options: CheckOneOptions): Promise<number> {
  using analyzer = await createShellAnalyzer();
  const stdout = options.stdout ?? process.stdout;
  const place = { shell: options.shell, cwd: options.cwd ?? process.cwd(), home: options.home ?? os.homedir() };
  stdout.write(verdictText(analyzer, options.command, place, { json: options.json, color: !options.json && useColor(stdout) }));
  return 0;
}
