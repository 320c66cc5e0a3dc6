/** The part of a `ws` WebSocket the outbox writes to: its callback says when a message left for the connection. */
export interface CallbackSocket {
  send(data: string, callback: (error?: Error) => void): void;
}

/**
 * Counts the bytes of a socket's messages handed to `ws` and not yet written to its connection, so
 * a generation can wait for a client that does not read instead of queueing its answer in memory.
 */
export class Outbox {
  #unsent = 0;
  #waiting: (() => void) | undefined;

  /** `maxUnsent`: past this many bytes the outbox is {@link full}; it drains at half of it. */
  constructor(private readonly maxUnsent: number) {}

  send(socket: CallbackSocket, text: string): void {
    const bytes = Buffer.byteLength(text);
    this.#unsent += bytes;
    // Called once the bytes are written, or with an error once the socket closed: either way they are no longer held.
    socket.send(text, () => {
      this.#unsent -= bytes;
      if (this.#waiting && this.#unsent <= this.maxUnsent / 2) {
        const wake = this.#waiting;
        this.#waiting = undefined;
        wake();
      }
    });
  }

  get full(): boolean {
    return this.#unsent > this.maxUnsent;
  }

  /** Resolves once the unsent bytes are down to half the bound, or at once when `signal` aborts. */
  drained(signal: AbortSignal): Promise<void> {
    if (!this.full || signal.aborted) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const done = (): void => {
        signal.removeEventListener("abort", done);
        this.#waiting = undefined;
        resolve();
      };
      this.#waiting = done;
      signal.addEventListener("abort", done, { once: true });
    });
  }
}
