/**
 * The command lines that runners given them as arguments run: tmux's (`-c`, `new-window`, `send-keys`),
 * hyperfine's, and the options watchexec reads before its command.
 */
import type { Word } from "./ir.js";
import { RUN_TIME, literalWord } from "./ir.js";
import { shortLetters, splitClap, walkOptions } from "./option-walk.js";
import { literalText, skipOptions, type Ctx } from "./evaluate-context.js";
import { runCommand, typedCommand } from "./option-command.js";
import { tmuxKeys } from "./tmux-keys.js";

/** tmux's options before its command that take a value (`-L socket`, `-S path`, `-f file`). */
const TMUX_VALUE_OPTIONS = ["-L", "-S", "-f", "-T"];
/** Options of tmux's commands that start a shell command, which take a value. */
const TMUX_NEW_VALUE_OPTIONS = ["-s", "-n", "-c", "-x", "-y", "-e", "-t", "-F", "-f", "-l"];

/**
 * What tmux runs: `tmux -c 'CMD'` and the shell command of `new-session`, `new-window`,
 * `split-window` and `respawn-pane` (`new`, `neww`, `splitw`, `respawnp`; joined into one command
 * line for a shell, as tmux does), and the keys `send-keys` types into a shell (`tmux-keys.ts`:
 * `send-keys 'rm -rf ~' Enter` runs it). Commands are separated by `;` words.
 */
export function tmuxCommands(args: Word[], ctx: Ctx): void {
  let rest = args;
  for (let i = 0; i < rest.length; i++) {
    const w = rest[i];
    if (!w || w.dynamic || !w.text.startsWith("-") || w.text === "--") {
      rest = rest.slice(w?.text === "--" ? i + 1 : i);
      break;
    }
    if (w.text === "-c") {
      const line = rest[i + 1];
      if (line) runCommand(ctx, line, "tmux -c");
      return;
    }
    if (TMUX_VALUE_OPTIONS.includes(w.text)) i++;
    if (i === rest.length - 1) rest = [];
  }
  const commands: Word[][] = [[]];
  for (const w of rest) {
    if (!w.dynamic && (w.text === ";" || w.text === "\\;")) commands.push([]);
    else commands[commands.length - 1]?.push(w);
  }
  for (const [sub, ...words] of commands) {
    if (!sub || sub.dynamic) continue;
    if (["new-session", "new", "new-window", "neww", "split-window", "splitw", "respawn-pane", "respawnp", "respawn-window", "respawnw"].includes(sub.text)) {
      const line = skipOptions(words, TMUX_NEW_VALUE_OPTIONS);
      if (line.length > 0) runCommand(ctx, line.length === 1 && line[0] ? line[0] : joinedWord(line), `tmux ${sub.text}`);
    } else if (sub.text === "send-keys" || sub.text === "send") {
      // The lines typed and ended run in the pane's shell; what is left waits at its prompt.
      const keys = tmuxKeys(words);
      for (const line of keys.runs) runCommand(ctx, line, "tmux send-keys");
      if (keys.typed) typedCommand(ctx, keys.typed, "tmux send-keys");
    }
  }
}

/** Words joined into one, as a program that joins its arguments with `separator` sees them. */
export function joinedWord(words: Word[], separator = " "): Word {
  const text = literalText(words, separator);
  return text !== undefined ? literalWord(text) : { text: RUN_TIME, dynamic: true, glob: false, subs: words.flatMap((w) => w.subs) };
}

/** How many words hyperfine's options take: one, or more (`-P NAME MIN MAX`, `-L NAME LIST`). */
const HYPERFINE_VALUE_COUNTS = new Map([
  ...["-w", "--warmup", "-m", "--min-runs", "-M", "--max-runs", "-r", "--runs", "-D", "--parameter-step-size", "-S", "--shell", "--style", "--sort", "-u", "--time-unit", "--export-asciidoc", "--export-csv", "--export-json", "--export-markdown", "--export-orgmode", "--output", "--input", "-n", "--command-name"].map((o) => [o, 1] as const),
  ["-P", 3], ["--parameter-scan", 3], ["-L", 2], ["--parameter-list", 2],
]);
const HYPERFINE_COMMAND_OPTIONS = ["-p", "--prepare", "-s", "--setup", "-c", "--cleanup", "-C", "--conclude", "--reference"];
/** The letters of hyperfine's short options that take a value (`-p CMD`, `-pCMD`, `-w3`). */
const HYPERFINE_SHORT_VALUES = shortLetters([...HYPERFINE_VALUE_COUNTS.keys(), ...HYPERFINE_COMMAND_OPTIONS]);

/**
 * The command lines hyperfine runs: its --prepare/--setup/--cleanup/--conclude/--reference values
 * (first, as setup and prepare run before the commands benchmarked), then its operands. Its options
 * are read as clap reads them: a short one's value may be attached (`-p'rm x'`, `-w3`), after flags (`-ip CMD`).
 */
export function hyperfineCommands(args: Word[]): Word[] {
  const lines: Word[] = [];
  const operands = walkOptions(args, (text, next) => {
    const [option, joined] = splitClap(text, HYPERFINE_SHORT_VALUES);
    if (HYPERFINE_COMMAND_OPTIONS.includes(option)) {
      const line = joined !== undefined ? literalWord(joined) : next;
      if (line) lines.push(line);
      return joined === undefined;
    }
    return joined === undefined ? (HYPERFINE_VALUE_COUNTS.get(option) ?? 0) : 0;
  });
  return [...lines, ...operands];
}

/** watchexec's options that take a value (`-e js`, `--watch src`); the command follows them, or `--`. */
export const WATCHEXEC_VALUE_OPTIONS = [
  "-w", "--watch", "-W", "--watch-non-recursive", "-F", "--watch-file", "-o", "--on-busy-update", "-s", "--signal", "--stop-signal",
  "--stop-timeout", "--map-signal", "-d", "--debounce", "--project-origin", "--workdir", "-e", "--exts", "-f", "--filter",
  "--filter-file", "-j", "--filter-prog", "-i", "--ignore", "--ignore-file", "--fs-events", "--delay-run", "--shell",
  "--emit-events-to", "-E", "--env", "--wrap-process", "--color",
];

