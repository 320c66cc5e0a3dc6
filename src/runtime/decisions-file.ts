import { closeSync, existsSync, fstatSync, mkdirSync, openSync, renameSync, statSync, writeSync } from "node:fs";
import path from "node:path";
import type { Decision, DecisionLog } from "../router/decisions.js";

/** The decisions file's size past which it is moved to `<file>.1`: `wren router log` reads both. */
const DEFAULT_MAX_BYTES = 4 * 1024 * 1024;

/**
 * Appends every decision of a {@link DecisionLog} to a JSON-lines file (created with its folder),
 * for `wren router log` and `wren router stats` in other processes. Past `maxBytes` the file is
 * moved to `<file>.1` (replacing the previous one), so the log never grows without bound.
 *
 * Routing pays for none of it: the decisions of one turn of the event loop are written together,
 * after the turn, to a descriptor kept open (opening, appending and closing the file per decision
 * cost about 20 µs of every routed request). Lines still waiting are written when the writer is
 * closed, and when the process exits.
 */
export class DecisionsFile {
  readonly #file: string;
  readonly #maxBytes: number;
  #fd: number | undefined;
  #size = 0;
  #pending: string[] = [];
  #scheduled: NodeJS.Immediate | undefined;
  #closed = false;
  readonly #unsubscribe: () => void;
  readonly #onExit = (): void => this.flush();

  /** When the file at the path was last checked to be the one the descriptor holds (see {@link #open}). */
  #checkedAt = 0;
  readonly #recheckMs: number;

  /**
   * `recheckMs`: how often, at most, the writer checks that the file at the path is still the one
   * it holds (another process may have moved it). Default 1000.
   */
  constructor(log: DecisionLog, file: string, maxBytes = DEFAULT_MAX_BYTES, recheckMs = 1000) {
    this.#file = file;
    this.#maxBytes = maxBytes;
    this.#recheckMs = recheckMs;
    mkdirSync(path.dirname(file), { recursive: true });
    this.#unsubscribe = log.subscribe((decision) => this.#add(decision));
    process.once("exit", this.#onExit);
  }

  #add(decision: Decision): void {
    if (this.#closed) return;
    this.#pending.push(`${JSON.stringify(decision)}\n`);
    this.#scheduled ??= setImmediate(() => this.flush());
  }

  /** Writes the lines waiting now (synchronously); the writer stays open. */
  flush(): void {
    if (this.#scheduled) clearImmediate(this.#scheduled);
    this.#scheduled = undefined;
    if (this.#pending.length === 0) return;
    const text = this.#pending.join("");
    this.#pending = [];
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
