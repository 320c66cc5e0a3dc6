import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import xterm from "@xterm/headless";
import { cliPath } from "./cli.js";

/**
 * A real pseudo-terminal (python3's pty module) bridged to this process: what the program writes
 * goes through a headless xterm.js, so tests read the screen as a person would see it, and keys
 * are typed as a terminal sends them.
 */
const BRIDGE = String.raw`
import fcntl, json, os, pty, select, signal, struct, sys, termios
argv, cols, rows = json.loads(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
pid, fd = pty.fork()
if pid == 0:
    fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
    os.execvp(argv[0], argv)
def stop(signum, frame):
    # Asked to stop: the program is killed and waited for before the bridge exits, so nothing it
    # does on its way out (Node writing its compile cache into the test's home) outlives the bridge.
    try:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
    except (ProcessLookupError, ChildProcessError):
        pass
    os._exit(137)
signal.signal(signal.SIGTERM, stop)
inputs = [fd, 0]
while True:
    r, _, _ = select.select(inputs, [], [])
    if fd in r:
        try:
            data = os.read(fd, 65536)
        except OSError:
            data = b""
        if not data:
            break
        os.write(1, data)
    if 0 in r:
        data = os.read(0, 65536)
        if data:
            os.write(fd, data)
        else:
            inputs = [fd]
_, status = os.waitpid(pid, 0)
sys.exit(os.waitstatus_to_exitcode(status) & 255)
`;

/** Keys as a terminal sends them. */
export const KEYS = {
  enter: "\r",
  escape: "\x1b",
  up: "\x1b[A",
  down: "\x1b[B",
  tab: "\t",
  shiftTab: "\x1b[Z",
  ctrlC: "\x03",
  ctrlG: "\x07",
  ctrlB: "\x02",
  backspace: "\x7f",
} as const;

export interface PtyOptions {
  cwd: string;
  /** On top of this process's environment (and NO_COLOR, CI=0, one engine thread). */
  env: Record<string, string | undefined>;
  /** The terminal's size. Default 100 columns × 40 rows. */
  cols?: number;
  rows?: number;
}

export interface PtySession extends AsyncDisposable {
  /** Every line written so far, scrollback included, trailing blanks trimmed. */
  text(): string;
  /** The visible screen, as a person sees it now. */
  screen(): string;
  /** Everything the program wrote to the terminal so far, escape sequences included (for benchmarks). */
  output(): string;
  /** How many bytes the program has written to the terminal so far. */
  bytes(): number;
  /** The pid of the bridge process; the program runs as its child. */
  readonly pid: number | undefined;
  /**
   * Resolves with the text once `expected` shows up (scrollback included) in a whole frame, never in
   * one half drawn; rejects with the screen on timeout.
   */
  waitFor(expected: string | RegExp, options?: { timeoutMs?: number; visible?: boolean }): Promise<string>;
  /** Resolves once `expected` is no longer on the visible screen of a whole frame (not just erased for a redraw). */
  waitForGone(expected: string | RegExp, options?: { timeoutMs?: number }): Promise<void>;
  type(keys: string): void;
  /** The program's exit status once it exits. */
  readonly exited: Promise<number | null>;
  /** Kills the program and its bridge; `exited` resolves once both are gone. */
  kill(): void;
}

const matches = (text: string, expected: string | RegExp): boolean => (typeof expected === "string" ? text.includes(expected) : expected.test(text));

/** Starts `wren ARGS` in a pseudo-terminal of `cols` × `rows` (default 100 × 40). */
export function startWrenPty(args: readonly string[], options: PtyOptions): PtySession {
  return startPty([process.execPath, cliPath, ...args], options);
}

/** Starts any program (`argv[0]` looked up on PATH) in a pseudo-terminal, with wren's test environment. */
export function startPty(argv: readonly string[], options: PtyOptions): PtySession {
  const cols = options.cols ?? 100;
  const rows = options.rows ?? 40;
  const term = new xterm.Terminal({ cols, rows, scrollback: 10_000, allowProposedApi: true });
  // Ink renders only its last frame when it thinks it runs in CI; a person's terminal is not CI.
  const env = { ...process.env, WREN_ENGINE_THREADS: "1", NO_COLOR: "1", CI: "0", CONTINUOUS_INTEGRATION: "0", TERM: "xterm-256color", ...options.env };
  const child: ChildProcessWithoutNullStreams = spawn("python3", ["-c", BRIDGE, JSON.stringify(argv), String(cols), String(rows)], { cwd: options.cwd, env, stdio: "pipe" });
  const checks = new Set<() => void>();
  let raw = "";
  let bytes = 0;
  child.stdout.on("data", (chunk: Buffer) => {
    raw += chunk.toString("utf8");
    bytes += chunk.length;
    term.write(chunk, () => {
      for (const check of [...checks]) check();
    });
  });
  let stderr = "";
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")));
  let done = false;
  // Settles once the terminal holds all the program wrote: the emulator parses writes later, in
  // batches, so at the bridge's close the last of them may not be on it yet; one empty write's
  // callback runs after them. (Settled at the close itself, a test that read the text right after
  // saw the program's last lines missing, now and then, on a busy machine.)
  const exited = new Promise<number | null>((resolve) =>
    child.on("close", (code) => {
      done = true;
      term.write("", () => {
        for (const check of [...checks]) check();
        resolve(code);
      });
    }),
  );

  const lines = (from: number, to: number): string => {
    const buffer = term.buffer.active;
    const out: string[] = [];
    for (let i = from; i < to; i++) out.push(buffer.getLine(i)?.translateToString(true) ?? "");
    return out.join("\n").replace(/\s+$/, "");
  };
  const text = (): string => lines(0, term.buffer.active.length);
  const screen = (): string => lines(term.buffer.active.viewportY, term.buffer.active.viewportY + rows);

  const waitUntil = (ok: () => boolean, what: string, timeoutMs: number): Promise<void> =>
    new Promise<void>((resolve, reject) => {
      const check = (): void => {
        // Mid-frame, the screen is half drawn: Ink wraps each frame in a synchronized update
        // (DEC mode 2026) and writes it in several pieces (erase the live region, the new scrollback
        // lines, the live region again), which can reach this process in separate chunks. Between
        // them a prompt box can look gone, or a dialog half listed; only a whole frame is judged.
        if (term.modes.synchronizedOutputMode && !done) return;
        if (ok()) {
          cleanup();
          resolve();
        } else if (done) {
          cleanup();
          reject(new Error(`wren exited before ${what}.\n--- screen ---\n${text()}\n--- stderr ---\n${stderr}`));
        }
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`Timed out after ${timeoutMs} ms waiting for ${what}.\n--- screen ---\n${screen()}\n--- raw tail ---\n${JSON.stringify(raw.slice(-2000))}\n--- stderr ---\n${stderr}`));
      }, timeoutMs);
      const cleanup = (): void => {
        clearTimeout(timer);
        checks.delete(check);
      };
      checks.add(check);
      check();
    });

  /** Stops the program: the bridge kills it and waits for it to be gone, then exits (see BRIDGE). */
  const kill = (): void => {
    if (!done) child.kill("SIGTERM");
  };
  return {
    text,
    screen,
    output: () => raw,
    bytes: () => bytes,
    pid: child.pid,
    async waitFor(expected, opts = {}) {
      const read = opts.visible ? screen : text;
      await waitUntil(() => matches(read(), expected), `${String(expected)} on the screen`, opts.timeoutMs ?? 60_000);
      return read();
    },
    waitForGone: (expected, opts = {}) => waitUntil(() => !matches(screen(), expected), `${String(expected)} to leave the screen`, opts.timeoutMs ?? 60_000),
    type: (keys) => void child.stdin.write(keys),
    exited,
    kill,
    async [Symbol.asyncDispose]() {
      kill();
      await exited;
      term.dispose();
    },
  };
}
