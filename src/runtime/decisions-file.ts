import { closeSync, existsSync, fstatSync, mkdirSync, openSync, renameSync, statSync, writeSync } from "node:fs";
import path from "node:path";
import type { Decision, DecisionLog } from "../router/decisions.js";

/** The decisions file's size past which it is moved to `<file>.1`: `wren router log` reads both. */
const DEFAULT_MAX_BYTES = 4 * 1024 * 1024;

/** Lines waiting past this many characters are written at once, whatever the time. */
const MAX_PENDING_BYTES = 64 * 1024;

/**
 * Appends every decision of a {@link DecisionLog} to a JSON-lines file (created with its folder),
 * for `wren router log` and `wren router stats` in other processes. Past `maxBytes` the file is
 * moved to `<file>.1` (replacing the previous one), so the log never grows without bound.
 *
 * Routing pays for none of it: the decisions of up to `flushMs` (default 100 ms) are written
 * together, to a descriptor kept open (opening, appending and closing the file per decision cost
 * about 20 µs of every routed request; a write per request, a few more at one client). Lines still
 * waiting are written when the writer is closed, when the process exits, and at once past
 * {@link MAX_PENDING_BYTES}.
 */
export class DecisionsFile {
  readonly #file: string;
  readonly #maxBytes: number;
  #fd: number | undefined;
  #size = 0;
  #pending: string[] = [];
  #pendingBytes = 0;
  #scheduled: NodeJS.Timeout | NodeJS.Immediate | undefined;
  #closed = false;
  readonly #unsubscribe: () => void;
  readonly #onExit = (): void => this.flush();

  /** When the file at the path was last checked to be the one the descriptor holds (see {@link #open}). */
  #checkedAt = 0;
  readonly #recheckMs: number;
  readonly #flushMs: number;

  /**
   * `recheckMs`: how often, at most, the writer checks that the file at the path is still the one
   * it holds (another process may have moved it). Default 1000. `flushMs`: how long a decision may
   * wait to be written with the ones after it; 0 writes each turn's decisions after that turn.
   */
  constructor(log: DecisionLog, file: string, maxBytes = DEFAULT_MAX_BYTES, recheckMs = 1000, flushMs = 100) {
    this.#file = file;
    this.#maxBytes = maxBytes;
    this.#recheckMs = recheckMs;
    this.#flushMs = flushMs;
    mkdirSync(path.dirname(file), { recursive: true });
    this.#unsubscribe = log.subscribe((decision) => this.#add(decision));
    process.once("exit", this.#onExit);
  }

  #add(decision: Decision): void {
    if (this.#closed) return;
    const line = `${JSON.stringify(decision)}\n`;
    this.#pending.push(line);
    this.#pendingBytes += line.length;
    if (this.#pendingBytes >= MAX_PENDING_BYTES) this.flush();
    else if (this.#scheduled === undefined) {
      // Unreferenced: a pending write never keeps the process alive (the exit handler writes it).
      this.#scheduled = this.#flushMs > 0 ? setTimeout(() => this.flush(), this.#flushMs).unref() : setImmediate(() => this.flush());
    }
  }

  /** Writes the lines waiting now (synchronously); the writer stays open. */
  flush(): void {
    const scheduled = this.#scheduled;
    if (scheduled !== undefined) {
      if (this.#flushMs > 0) clearTimeout(scheduled as NodeJS.Timeout);
      else clearImmediate(scheduled as NodeJS.Immediate);
    }
    this.#scheduled = undefined;
    if (this.#pending.length === 0) return;
    const text = this.#pending.join("");
    this.#pending = [];
    this.#pendingBytes = 0;
    try {
      const bytes = Buffer.byteLength(text);
      if (this.#size + bytes > this.#maxBytes && this.#size > 0) this.#roll();
      const fd = this.#open();
      writeSync(fd, text);
      this.#size += bytes;
    } catch {
      // The file is a convenience for other processes; routing never fails because of it. The
      // descriptor is opened again for the next lines (the folder may have been removed and made again).
      this.#closeFd();
    }
  }

  /** Writes what is waiting and lets go of the file and the log. */
  close(): void {
    if (this.#closed) return;
    this.flush();
    this.#closed = true;
    this.#unsubscribe();
    process.off("exit", this.#onExit);
    this.#closeFd();
  }

  /**
   * The descriptor, opened again when the file it holds is no longer the one at the path: another
   * wren process moved it to `<file>.1`, or the folder was removed. Checked at most every
   * `recheckMs`: lines written meanwhile go to the file moved, which `wren router log` reads too.
   */
  #open(): number {
    if (this.#fd !== undefined) {
      const now = performance.now();
      if (now - this.#checkedAt < this.#recheckMs) return this.#fd;
      this.#checkedAt = now;
      const current = statSync(this.#file, { throwIfNoEntry: false });
      if (current !== undefined && current.ino === fstatSync(this.#fd).ino) return this.#fd;
      this.#closeFd();
    }
    mkdirSync(path.dirname(this.#file), { recursive: true });
    const fd = openSync(this.#file, "a");
    this.#fd = fd;
    this.#checkedAt = performance.now();
    this.#size = fstatSync(fd).size;
    return fd;
  }

  /**
   * Moves the file to `<file>.1`. Another wren process may have done so already (each appends to
   * the same file): then the file there now is that process's new one, and it is what moves.
   */
  #roll(): void {
    this.#closeFd();
    if (existsSync(this.#file) && statSync(this.#file).size > 0) renameSync(this.#file, `${this.#file}.1`);
    this.#size = 0;
  }

  #closeFd(): void {
    if (this.#fd === undefined) return;
    try {
      closeSync(this.#fd);
    } catch {
      // Already gone; nothing to release.
    }
    this.#fd = undefined;
  }
}
