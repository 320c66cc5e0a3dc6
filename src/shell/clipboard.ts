import { spawnSync } from "node:child_process";

/** Clipboard programs to try, in order, per platform. */
const PROGRAMS: Record<string, Array<[string, string[]]>> = {
  darwin: [["pbcopy", []]],
  win32: [["clip", []]],
  default: [
    ["wl-copy", []],
    ["xclip", ["-selection", "clipboard"]],
    ["xsel", ["--clipboard", "--input"]],
  ],
};

/**
 * Copies text with the platform's clipboard program; on a terminal without one (e.g. over SSH)
 * it falls back to the OSC 52 escape, which most terminals turn into a clipboard write.
 * Returns how it was copied.
 */
export function copyToClipboard(
  text: string,
  terminal: NodeJS.WritableStream & { isTTY?: boolean },
  env: NodeJS.ProcessEnv = process.env,
): "program" | "terminal" | "none" {
  for (const [program, args] of PROGRAMS[process.platform] ?? PROGRAMS["default"] ?? []) {
    const r = spawnSync(program, args, { input: text, timeout: 2000, stdio: ["pipe", "ignore", "ignore"], env });
    if (r.status === 0) return "program";
  }
  if (terminal.isTTY) {
    terminal.write(`\x1b]52;c;${Buffer.from(text).toString("base64")}\x07`);
    return "terminal";
  }
  return "none";
}
