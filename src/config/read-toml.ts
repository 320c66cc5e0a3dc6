import { readFile, readlink } from "node:fs/promises";
import { parse, TomlError } from "smol-toml";
import type { ConfigProblem } from "./problem.js";

export type TomlReadResult =
  | { ok: true; exists: true; values: Record<string, unknown> }
  | { ok: true; exists: false }
  | { ok: false; problem: ConfigProblem };

/**
 * Why a config file that is there cannot be read, as sentences saying what to do; undefined when
 * nothing is there at all. A directory, a link loop or a dangling link is an error, never skipped.
 */
async function unreadable(file: string, error: unknown): Promise<string | undefined> {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === "ENOENT") {
    const target = await readlink(file).catch(() => undefined);
    if (target === undefined) return undefined;
    return `is a symbolic link to ${target}, which does not exist. Fix or remove the link.`;
  }
  if (code === "EISDIR") return "is a directory, not a TOML file. Remove or rename it, or point wren at a file.";
  if (code === "ELOOP") return "is a symbolic link that loops back on itself. Fix or remove the link.";
  if (code === "EACCES" || code === "EPERM") return "cannot be read: permission denied. Let your user read it (chmod u+r) or remove it.";
  const reason = error instanceof Error ? error.message : String(error);
  return `cannot be read (${reason}). Fix the file or remove it.`;
}

/**
 * Reads and parses a TOML config file. A missing file is not a problem (the caller decides); one
 * that is there but cannot be read is, and a syntax error names the file, line and column.
 */
export async function readTomlFile(file: string, label: string): Promise<TomlReadResult> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    const message = await unreadable(file, error);
    return message === undefined ? { ok: true, exists: false } : { ok: false, problem: { origin: label, message } };
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
