import { readFile } from "node:fs/promises";
import { parse, TomlError } from "smol-toml";
import type { ConfigProblem } from "./problem.js";

export type TomlReadResult =
  | { ok: true; exists: true; values: Record<string, unknown> }
  | { ok: true; exists: false }
  | { ok: false; problem: ConfigProblem };

/**
 * Reads and parses a TOML config file. A missing file is not a problem (the caller decides);
 * a syntax error names the file, line and column.
 */
export async function readTomlFile(file: string, label: string): Promise<TomlReadResult> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT") return { ok: true, exists: false };
    if (code === "EISDIR") {
      return { ok: false, problem: { origin: label, message: "is a directory, not a TOML file. Point wren at a file." } };
    }
    const reason = error instanceof Error ? error.message : String(error);
    return { ok: false, problem: { origin: label, message: `cannot be read (${reason}). Check its permissions.` } };
  }
  try {
    return { ok: true, exists: true, values: parse(text) };
  } catch (error) {
    if (!(error instanceof TomlError)) throw error;
    const firstLine = error.message.split("\n")[0] ?? error.message;
    const reason = firstLine.replace(/^Invalid TOML document:\s*/, "");
    return {
      ok: false,
      problem: {
        origin: `${label}:${error.line}:${error.column}`,
        message: `TOML syntax error at line ${error.line}, column ${error.column}: ${reason}. Fix the TOML there (strings need quotes, e.g. gpu = "cpu"; see https://toml.io).`,
      },
    };
  }
}
