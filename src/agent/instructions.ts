import { existsSync, readFileSync, statSync } from "node:fs";
import path from "node:path";

/** The files whose text becomes part of the system prompt, in this order within each folder. */
export const INSTRUCTION_FILES = ["AGENTS.md", "WREN.md", "CLAUDE.md"] as const;

/** A file's size cap: instructions are meant to be short, and the system prompt is sent every turn. */
const MAX_BYTES = 64 * 1024;

export interface InstructionFile {
  path: string;
  text: string;
}

/** The repository root above `cwd` (the nearest folder holding `.git`), or `cwd` when there is none. */
export function findProjectRoot(cwd: string): string {
  let dir = path.resolve(cwd);
  for (;;) {
    if (existsSync(path.join(dir, ".git"))) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) return path.resolve(cwd);
    dir = parent;
  }
}

function readInstruction(file: string): InstructionFile | undefined {
  try {
    if (!statSync(file).isFile()) return undefined;
    const text = readFileSync(file, "utf8").slice(0, MAX_BYTES).trim();
    return text ? { path: file, text } : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The user's instructions (from the user config folder), then the project's from its root down to
 * `cwd`: the most specific come last, so they win where they disagree.
 */
export function findInstructions(cwd: string, projectRoot: string, userConfigDir: string): InstructionFile[] {
  const dirs: string[] = [];
  let dir = path.resolve(cwd);
  const root = path.resolve(projectRoot);
  for (;;) {
    dirs.unshift(dir);
    if (dir === root) break;
    const parent = path.dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  const out: InstructionFile[] = [];
  for (const d of [path.resolve(userConfigDir), ...dirs]) {
    for (const name of INSTRUCTION_FILES) {
      const found = readInstruction(path.join(d, name));
      if (found && !out.some((f) => f.path === found.path)) out.push(found);
    }
  }
  return out;
}
