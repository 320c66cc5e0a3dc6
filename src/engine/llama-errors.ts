/** Error lines kept: a failed load logs a handful. */
const KEPT = 32;

/**
 * The error lines llama.cpp logged lately, so a failed load can say why: node-llama-cpp's own
 * error says only "Failed to load model", and llama.cpp's reason ("error loading model
 * hyperparameters: invalid n_rot: 16, expected 32") goes to its log, which wren drops unless
 * WREN_DEBUG is set. The log is the backend's, not one load's: two loads failing at once may each
 * find the other's line, which still names a real reason. It reaches only the first backend a
 * process makes: node-llama-cpp 3.21's addon drops its logger when another is made (wren's commands
 * and the daemon make one; a test file that asserts a reason runs in a process of its own).
 */
export class LlamaErrorLines {
  readonly #lines: string[] = [];
  #count = 0;

  record(message: string): void {
    this.#lines.push(message.trim());
    this.#count += 1;
    if (this.#lines.length > KEPT) this.#lines.shift();
  }

  /** A position to read from: the lines logged after it are the ones {@link loadFailure} reads. */
  get mark(): number {
    return this.#count;
  }

  /** The reason llama.cpp gave for a failed model load since `mark`, if it logged one. */
  loadFailure(mark: number): string | undefined {
    const fresh = this.#lines.slice(Math.max(0, this.#lines.length - (this.#count - mark)));
    for (const line of fresh.reverse()) {
      const reason = /error loading model: (.+)$/.exec(line)?.[1]?.trim();
      if (reason) return reason;
    }
    return undefined;
  }

  /**
   * Why a load that threw (`cause`) failed: llama.cpp's reason logged since `mark` ({@link loadFailure}),
   * else the error's own words. Log lines reach JavaScript through the event loop: a late one gets a turn.
   */
  async reasonSince(mark: number, cause: unknown): Promise<string> {
    if (this.loadFailure(mark) === undefined) await new Promise((resolve) => setImmediate(resolve));
    return this.loadFailure(mark) ?? (cause instanceof Error ? cause.message : String(cause));
  }
}
