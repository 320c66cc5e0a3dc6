import { constants } from "node:os";

/** The signals that cancel a run: Ctrl+C, a polite kill (`kill`, systemd, CI timeouts), a closed terminal. */
const CANCEL_SIGNALS = ["SIGINT", "SIGTERM", "SIGHUP"] as const;

/** What cancelled a run: one of those signals, or `SIGPIPE` for output whose reader went away. */
export type CancelSignal = (typeof CANCEL_SIGNALS)[number] | "SIGPIPE";

/** The shell's status for a process ended by `signal`: 128 plus its number (130, 143, 129, 141). */
export const signalExitCode = (signal: CancelSignal): number => 128 + constants.signals[signal];

/** Signals caught while a command runs; dispose to hand them back to Node's defaults. */
export interface CancelSignals extends Disposable {
  /** The first signal that arrived, if any. */
  readonly received: CancelSignal | undefined;
}

/**
 * Turns SIGINT, SIGTERM and SIGHUP into `controller.abort()`, so each takes the same clean path as
 * Ctrl+C: the model's request and the tools are cancelled, the session records its end, and the
 * command exits with 128 + the signal's number. A second signal exits at once with its own status.
 * Each arrival is handled here once: `wren serve`'s allocator restart, the only other relay of these
 * signals, runs `serve` alone and never this.
 *
 * `outputs` (stdout, stderr) whose reader goes away (`wren -p … | head`) cancel the run the same
 * way, as SIGPIPE would end a program in C, instead of an unhandled EPIPE crashing it mid-tool;
 * such a stream stays quiet after disposal too, as its last write's error may come later.
 */
export function cancelOnSignals(controller: AbortController, outputs: readonly NodeJS.WritableStream[] = []): CancelSignals {
  let received: CancelSignal | undefined;
  const listeners = CANCEL_SIGNALS.map((signal) => {
    const listener = (): void => {
      if (received !== undefined) process.exit(signalExitCode(signal));
      received = signal;
      controller.abort();
    };
    process.on(signal, listener);
    return [signal, listener] as const;
  });
  for (const output of outputs) {
    output.on("error", (error: NodeJS.ErrnoException) => {
      if (error.code !== "EPIPE") throw error;
      received ??= "SIGPIPE";
      controller.abort();
    });
  }
  return {
    get received() {
      return received;
    },
    [Symbol.dispose]() {
      for (const [signal, listener] of listeners) process.off(signal, listener);
    },
  };
}
