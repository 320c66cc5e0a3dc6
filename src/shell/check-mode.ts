import os from "node:os";
import { createInterface } from "node:readline";
import { WrenError } from "../shared/errors.js";
import { createShellAnalyzer } from "./analyze.js";
import type { CheckRequest } from "./check-request.js";
import { checkOne, verdictText } from "./check-one.js";
import { checkObject, useColor } from "./render.js";
import type { Analysis, ShellKind } from "./types.js";

export interface CheckModeOptions {
  /** The command to check, or `-` to read one command per line from `stdin`. */
  command: string;
  shell: ShellKind;
  json: boolean;
  /**
   * With `-`: every stdin line is a JSON object `{"command", "shell"?, "cwd"?, "id"?}` and every
   * answer a JSON line (with the request's `id`); a bad line is answered with `{"error": …}` and the
   * stream goes on; blank lines are ignored. Default: false (plain command lines).
   */
  jsonl?: boolean;
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
  if (options.jsonl && options.command !== "-") {
    throw new WrenError("bad_request", "--jsonl reads requests from stdin, so it needs --check -.", { hint: "Run: wren cmd --check - --jsonl" });
  }
  if (options.command !== "-") return checkOne(options);
  using analyzer = await createShellAnalyzer();
  const stdout = options.stdout ?? process.stdout;
  const format = { json: options.json, color: !options.json && useColor(stdout) };
  const where = { shell: options.shell, cwd: options.cwd ?? process.cwd(), home: options.home ?? os.homedir() };
  const one = (command: string): string => verdictText(analyzer, command, where, format);
  // The analyzer (and its grammar) is made once; each line then costs only its own analysis.
  // Only --jsonl reads requests through a schema: zod is not loaded for plain checks (start-up).
  const parse = options.jsonl ? (await import("./check-request.js")).parseCheckRequest : undefined;
  const answer = parse ? (line: string): string => jsonLine(line, parse, (command, shell, cwd) => analyzer.analyze(command, { ...where, shell: shell ?? where.shell, cwd: cwd ?? where.cwd })) : one;
  // One answer per line as soon as the line arrives, so a program can use wren as a co-process.
  const lines = createInterface({ input: options.stdin ?? process.stdin, crlfDelay: Infinity });
  for await (const line of lines) stdout.write(answer(line));
  return 0;
}

type Analyze = (command: string, shell: ShellKind | undefined, cwd: string | undefined) => Analysis;

/** One request line's answer. Blank lines (keep-alives) get none. */
function jsonLine(line: string, parseCheckRequest: (line: string) => CheckRequest, analyze: Analyze): string {
  if (line.trim() === "") return "";
  try {
    const request = parseCheckRequest(line);
    const verdict = checkObject(analyze(request.command, request.shell, request.cwd));
    return JSON.stringify(request.id === undefined ? verdict : { id: request.id, ...verdict }) + "\n";
  } catch (error) {
    if (!(error instanceof WrenError)) throw error;
    return JSON.stringify({ error: { code: error.code, message: error.message, hint: error.hint } }) + "\n";
  }
}
