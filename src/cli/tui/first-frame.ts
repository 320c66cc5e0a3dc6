/**
 * The terminal UI's first frame, drawn with plain ANSI writes before Ink and React are loaded
 * (their import alone takes most of a second on a busy machine): the prompt box and the status
 * line, as the Ink view draws them for a session that is still opening (components/prompt-input.ts,
 * components/status-line.ts; test/e2e/tui-first-frame.test.ts holds the two side by side). Ink
 * then draws over it in the same place.
 *
 * Keys typed meanwhile are kept: the terminal is in raw mode (no echo over the frame, no line
 * buffering), what arrives is held and handed back to the input stream when Ink takes over, so
 * Ink's input reads it first, in the order it was typed. Ctrl+C (a key in raw mode, not a signal)
 * still interrupts at once, as it did before the frame: the terminal is given back and the process
 * gets its SIGINT. A Ctrl+C inside a bracketed paste is pasted text, not the key: the input is read
 * through the same splitter as Ink's (input/key-splitter.ts), so a paste holds across reads here too.
 *
 * Kept free of other imports on purpose: it runs before anything else of the terminal UI is loaded
 * (the key splitter imports nothing).
 */
import { createKeySplitter } from "./input/key-splitter.js";

/** What the first frame shows. */
export interface FirstFrameOptions {
  /** What the session asks for (`--model`, default `auto`), as the status line names it. */
  model: string;
  /** The terminal's width in columns. Ink draws 80 when the terminal does not say. */
  columns: number;
  /** False draws no colours (NO_COLOR, or a terminal without them). */
  color: boolean;
}

// The default (dark) theme's roles the first frame uses, as SGR codes: accent is cyan, dim is gray
// (components/theme.ts). The first frame comes before the config, so a configured theme shows once
// Ink draws.
const ACCENT = ["\x1b[36m", "\x1b[39m"] as const;
const DIM = ["\x1b[90m", "\x1b[39m"] as const;
const INVERSE = ["\x1b[7m", "\x1b[27m"] as const;

const HIDE_CURSOR = "\x1b[?25l";
const CTRL_C = "\x03";
const SHOW_CURSOR = "\x1b[?25h";
// Bracketed paste mode (input/key-splitter.ts): on from the first frame, so text pasted before Ink
// is mounted is marked as a paste too; the keys typed meanwhile are split as Ink's input splits them.
const PASTE_ON = "\x1b[?2004h";
const PASTE_OFF = "\x1b[?2004l";

/** Ink's `wrap: "truncate-end"`: the line cut to the width, its last column an ellipsis. */
function truncateEnd(text: string, columns: number): string {
  const chars = [...text];
  return chars.length <= columns ? text : `${chars.slice(0, Math.max(0, columns - 1)).join("")}…`;
}

/** The frame's lines: the prompt box's three rows and the status line, `columns` wide. */
export function firstFrameLines(options: FirstFrameOptions): string[] {
  const paint = (text: string, [on, off]: readonly [string, string]): string => (options.color && text ? `${on}${text}${off}` : text);
  const width = Math.max(options.columns, 6);
  const inner = width - 2;
  // Inside the border: one column of padding each side, then `> `, the cursor cell and blanks.
  const row = ` ${paint("> ", DIM)}${paint(" ", INVERSE)}${" ".repeat(Math.max(0, inner - 5))} `;
  const status = `${options.model} · last: starting… · 0 in / 0 out · $0.0000 · mode: default`;
  return [
    paint(`╭${"─".repeat(inner)}╮`, ACCENT),
    `${paint("│", ACCENT)}${row}${paint("│", ACCENT)}`,
    paint(`╰${"─".repeat(inner)}╯`, ACCENT),
    paint(truncateEnd(status, width), DIM),
  ];
}

/** A drawn first frame, until Ink takes over the screen. */
export interface FirstFrame {
  /** Erases the frame just before Ink draws its own in its place; the terminal stays in raw mode for Ink's input. */
  handOver(): void;
  /** Erases the frame and gives the terminal back as it was, for an error message instead of the session. */
  abandon(): void;
}

/** The streams the frame is drawn on: the process's own by default. */
export interface FirstFrameTerminal {
  stdout: Pick<NodeJS.WriteStream, "write" | "columns">;
  stdin: {
    setRawMode(mode: boolean): unknown;
    on(event: "readable", listener: () => void): unknown;
    off(event: "readable", listener: () => void): unknown;
    read(): Buffer | string | null;
    unshift(chunk: Buffer): void;
    unref(): unknown;
  };
  env: NodeJS.ProcessEnv;
}

/**
 * Ctrl+C as the terminal would have sent it: SIGINT to this process, whose listeners (or its default,
 * ending the process) take it from there. Windows has no signals: `process.kill` of its own pid ends
 * the process at once there, exit handlers unrun, so its listeners are called, or it exits as SIGINT's
 * default would (130).
 */
export function interrupt(platform: NodeJS.Platform = process.platform, proc: Pick<NodeJS.Process, "kill" | "emit" | "exit" | "listenerCount" | "pid"> = process): void {
  if (platform !== "win32") proc.kill(proc.pid, "SIGINT");
  else if (proc.listenerCount("SIGINT") > 0) proc.emit("SIGINT", "SIGINT");
  else proc.exit(130);
}

/**
 * Draws the first frame on a terminal and puts it in raw mode, so keys typed before Ink is mounted
 * neither echo over the frame nor are lost.
 */
export function drawFirstFrame(model: string, terminal: FirstFrameTerminal = { stdout: process.stdout, stdin: process.stdin, env: process.env }): FirstFrame {
  const { stdout, stdin, env } = terminal;
  const color = (env["NO_COLOR"] ?? "") === "" && env["TERM"] !== "dumb";
  const lines = firstFrameLines({ model, columns: stdout.columns || 80, color });
  stdin.setRawMode(true);
  stdout.write(`${HIDE_CURSOR}${PASTE_ON}${lines.join("\n")}\n`);
  // Ink shows the cursor again when it exits (and run-tui.ts ends bracketed paste); until it is
  // mounted, a failed start must do both.
  const showCursor = (): void => void stdout.write(`${SHOW_CURSOR}${PASTE_OFF}`);
  process.once("exit", showCursor);
  const typed: Buffer[] = [];
  // Only to tell the Ctrl+C key from a pasted one: what is handed over is the bytes as they came.
  // A paste's end marker, or a character, may be cut between reads: the splitter and the decoder
  // keep what waits.
  const splitter = createKeySplitter();
  const decoder = new TextDecoder();
  // Read in paused mode ('readable', as Ink's input does), so handing over never pauses the
  // stream: Node stops a paused stdin's reading a tick later, which would strand Ink's listener.
  const onKeys = (): void => {
    let chunk: Buffer | string | null;
    while ((chunk = stdin.read()) !== null) {
      const keys = typeof chunk === "string" ? Buffer.from(chunk) : chunk;
      const pieces = splitter.push(decoder.decode(keys, { stream: true }));
      if (pieces.some((piece) => piece.kind === "key" && piece.sequence === CTRL_C)) {
        frame.abandon();
        interrupt();
        return;
      }
      typed.push(keys);
    }
  };
  stdin.on("readable", onKeys);
  let drawn = true;
  const erase = (): void => {
    if (!drawn) return;
    drawn = false;
    process.off("exit", showCursor);
    stdin.off("readable", onKeys);
    // As Ink's own eraseLines: from the line under the frame up to its first line, each cleared.
    stdout.write(`\x1b[2K${"\x1b[1A\x1b[2K".repeat(lines.length)}\x1b[G`);
  };
  const frame: FirstFrame = {
    handOver() {
      if (!drawn) return;
      erase();
      // Back at the front of the input: Ink's first read gets the keys typed so far.
      if (typed.length > 0) stdin.unshift(Buffer.concat(typed));
    },
    abandon() {
      if (!drawn) return;
      erase();
      stdout.write(`${SHOW_CURSOR}${PASTE_OFF}`);
      stdin.setRawMode(false);
      // The terminal's input, still open, must not keep the process from ending.
      stdin.unref();
    },
  };
  return frame;
}
