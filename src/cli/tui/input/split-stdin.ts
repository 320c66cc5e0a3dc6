import { EventEmitter } from "node:events";
import { BRACKETED_PASTE_OFF, BRACKETED_PASTE_ON, createKeySplitter } from "./key-splitter.js";

/**
 * Whether `sequence` is the Delete key (`ESC [3~`, with modifiers `ESC [3;5~`, rxvt's `ESC [3$` and
 * `ESC [3^`) rather than Backspace (DEL or Ctrl+H), which Ink reports alike.
 */
export const isForwardDelete = (sequence: string | undefined): boolean => sequence?.startsWith("\x1b[3") === true && /^(;\d+)?[~$^]$/.test(sequence.slice(3));

/** The terminal's answer to Ink's kitty keyboard query: `ESC [ ? flags u`. */
const isKittyReport = (sequence: string): boolean => sequence.startsWith("\x1b[?") && sequence.endsWith("u") && /^\d*$/.test(sequence.slice(3, -1));

/** What the split input reads from: the process's stdin by default. */
export interface SplitSource {
  isTTY?: boolean;
  setRawMode(mode: boolean): unknown;
  on(event: "readable", listener: () => void): unknown;
  off(event: "readable", listener: () => void): unknown;
  read(): Buffer | string | null;
  ref(): unknown;
  unref(): unknown;
}

/**
 * The input stream Ink is given in place of stdin: each `read()` returns one key (key-splitter.ts),
 * so Ink's `useInput` sees keys typed ahead one by one, as if typed separately, in every component
 * (the prompt and the dialogs alike). A paste is not handed to Ink, which would parse it as keys:
 * it is emitted as a `paste` event (the text), in its place among the keys. Keys typed before Ink
 * mounted (first-frame.ts puts them back in stdin) are read through here like any others.
 *
 * The terminal marks pastes (bracketed paste mode) exactly while Ink has it in raw mode: Ink leaves
 * raw mode on every way out it sees, a signal included (it unmounts through signal-exit), so the
 * terminal is never left marking pastes for the shell.
 */
export class SplitStdin extends EventEmitter {
  readonly isTTY: boolean;
  private readonly splitter = createKeySplitter();
  private readonly queue: ({ key: string } | { paste: string })[] = [];
  private attached = false;
  private flushTimer: NodeJS.Immediate | undefined;
  /**
   * The key `read()` returned last, as the terminal sent it: Ink handles each key as it is read, so
   * while a `useInput` handler runs this is its key. Ink calls Backspace (DEL) and Delete (`ESC [3~`)
   * both `delete`; the sequence tells them apart (see {@link isForwardDelete}).
   */
  lastKey: string | undefined;

  /**
   * @param source the terminal's input.
   * @param terminal where bracketed paste mode is turned on and off: the terminal's output.
   */
  constructor(
    private readonly source: SplitSource,
    private readonly terminal: { write(text: string): unknown },
  ) {
    super();
    this.isTTY = source.isTTY === true;
    // Ink's kitty keyboard detection listens before Ink reads keys: the terminal is read for it too.
    this.on("newListener", (event: string) => {
      if (event === "data") this.attach();
    });
  }

  private attach(): void {
    if (this.attached) return;
    this.attached = true;
    this.source.on("readable", this.onSource);
  }

  private readonly onSource = (): void => {
    let chunk: Buffer | string | null;
    while ((chunk = this.source.read()) !== null) this.take(typeof chunk === "string" ? chunk : chunk.toString("utf8"));
  };

  private take(text: string): void {
    // Ink's kitty keyboard detection, while it listens, owns the input: it takes the terminal's
    // answer to its query and puts the rest back (unshift), which is split then.
    if (this.listenerCount("data") > 0) {
      this.emit("data", text);
      return;
    }
    if (this.flushTimer) clearImmediate(this.flushTimer);
    this.flushTimer = undefined;
    this.enqueue(this.splitter.push(text));
    // A lone Esc is the Esc key unless the rest of an escape sequence is already on its way.
    if (this.splitter.waiting) this.flushTimer = setImmediate(() => this.enqueue(this.splitter.flush()));
  }

  private enqueue(pieces: ReturnType<typeof this.splitter.push>): void {
    let added = false;
    for (const piece of pieces) {
      // A kitty keyboard report answering too late for Ink's detection is the terminal's, not a key.
      if (piece.kind === "key" && isKittyReport(piece.sequence)) continue;
      this.queue.push(piece.kind === "key" ? { key: piece.sequence } : { paste: piece.text });
      added = true;
    }
    if (added) this.emit("readable");
  }

  /** The next key, or null when none is waiting; pastes before it are emitted as `paste` events on the way. */
  read(): string | null {
    for (let piece = this.queue.shift(); piece; piece = this.queue.shift()) {
      if ("key" in piece) return (this.lastKey = piece.key);
      this.emit("paste", piece.paste);
    }
    return null;
  }

  /** Input put back (Ink's kitty detection does this with what was not the terminal's answer). */
  unshift(chunk: Buffer | string): void {
    this.enqueue(this.splitter.push(typeof chunk === "string" ? chunk : chunk.toString("utf8")));
  }

  /** Keys come as strings already. */
  setEncoding(): this {
    return this;
  }

  setRawMode(mode: boolean): this {
    this.source.setRawMode(mode);
    this.terminal.write(mode ? BRACKETED_PASTE_ON : BRACKETED_PASTE_OFF);
    return this;
  }

  /** Ink refs the input while it listens for keys: stdin is read only meanwhile. */
  ref(): this {
    this.attach();
    this.source.ref();
    return this;
  }

  unref(): this {
    if (this.attached) {
      this.attached = false;
      this.source.off("readable", this.onSource);
    }
    if (this.flushTimer) clearImmediate(this.flushTimer);
    this.flushTimer = undefined;
    this.source.unref();
    return this;
  }
}
