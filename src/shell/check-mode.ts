import os from "node:os";
import { createInterface } from "node:readline";
import { createShellAnalyzer } from "./analyze.js";
import { checkJson, renderAnalysis, useColor } from "./render.js";
import type { ShellKind } from "./types.js";

export interface CheckModeOptions {
  /** The command to check, or `-` to read one command per line from `stdin`. */
  command: string;
  shell: ShellKind;
  json: boolean;
  cwd?: string;
  home?: string;
  stdin?: NodeJS.ReadableStream;
  stdout?: NodeJS.WritableStream & { isTTY?: boolean };
}

/**
 * `wren cmd --check`: rates commands without running anything. With `-`, every input line gets
 * exactly one output line (JSON) or block (text), in order. Always exits 0: the verdict is the output.
 */
export async function runCheckMode(options: CheckModeOptions): Promise<number> {
  using analyzer = await createShellAnalyzer();
  const stdout = options.stdout ?? process.stdout;
  const color = !options.json && useColor(stdout);
  const where = { shell: options.shell, cwd: options.cwd ?? process.cwd(), home: options.home ?? os.homedir() };
  const one = (command: string): string => {
    const analysis = analyzer.analyze(command, where);
    return options.json ? checkJson(analysis) + "\n" : renderAnalysis(command, analysis, color);
  };
  if (options.command !== "-") {
    stdout.write(one(options.command));
    return 0;
  }
  // One answer per line as soon as the line arrives, so a program can use wren as a co-process.
  const lines = createInterface({ input: options.stdin ?? process.stdin, crlfDelay: Infinity });
  for await (const line of lines) stdout.write(one(line));
  return 0;
}
