import type * as cryptoModule from "node:crypto";
import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { promisify } from "node:util";

export interface AtomicWriteOptions {
  /**
   * The file's permission bits (e.g. `0o600` for a file that may hold API keys). Default: those of
   * the file being replaced, or for a new file the system's default (0o666 less the umask).
   */
  mode?: number;
  /**
   * Runs on the temporary file, fully written, before it replaces the target (a check of what
   * was written); when it throws, the target is left as it was and the temporary file removed.
   */
  beforeRename?: (temporary: string) => void | Promise<void>;
}

/** `AtomicWriteOptions` for `writeFileAtomicSync`, whose check cannot wait. */
export type AtomicWriteSyncOptions = Omit<AtomicWriteOptions, "beforeRename"> & { beforeRename?: (temporary: string) => void };

/** What a file is replaced with: text (written as UTF-8) or bytes. */
export type AtomicWriteData = string | Uint8Array;

/**
 * Replaces `file` with `text` in one step: the text is written to a new file beside it (created
 * with its folder when needed), flushed to disk, then renamed over it, so a reader, or a crash,
 * never leaves half a file. A link (a dotfiles checkout) is written through, not replaced. On
 * failure the temporary file is removed and the target is as it was.
 */
export async function writeFileAtomic(file: string, text: AtomicWriteData, options: AtomicWriteOptions = {}): Promise<void> {
  const steps = atomicWrite(asyncIo, file, text, options);
  let next = steps.next();
  while (!next.done) {
    try {
      next = steps.next(await next.value);
    } catch (error) {
      next = steps.throw(error);
    }
  }
}

/** `writeFileAtomic` for callers that must stay synchronous: the same steps, run with node:fs's sync calls. */
export function writeFileAtomicSync(file: string, text: AtomicWriteData, options: AtomicWriteSyncOptions = {}): void {
  const steps = atomicWrite(syncIo, file, text, options);
  let next = steps.next();
  while (!next.done) {
    if (next.value instanceof Promise) throw new TypeError("writeFileAtomicSync: a step returned a promise");
    next = steps.next(next.value);
  }
}

/** A value now (the sync calls) or later (the async ones). */
type Step<T> = T | Promise<T>;

/** The file-system calls the steps need, in a sync and an async version. */
interface Io {
  realpath(file: string): Step<string>;
  mkdir(dir: string): Step<unknown>;
  stat(file: string): Step<{ mode: number }>;
  open(file: string, mode: number): Step<number>;
  write(fd: number, text: AtomicWriteData): Step<void>;
  chmod(fd: number, mode: number): Step<void>;
  fsync(fd: number): Step<void>;
  close(fd: number): Step<void>;
  rename(from: string, to: string): Step<void>;
  remove(file: string): Step<void>;
}

const syncIo: Io = {
  realpath: (file) => fs.realpathSync(file),
  mkdir: (dir) => fs.mkdirSync(dir, { recursive: true }),
  stat: (file) => fs.statSync(file),
  open: (file, mode) => fs.openSync(file, "wx", mode),
  write: (fd, text) => fs.writeFileSync(fd, text, "utf8"),
  chmod: (fd, mode) => fs.fchmodSync(fd, mode),
  fsync: (fd) => fs.fsyncSync(fd),
  close: (fd) => fs.closeSync(fd),
  rename: (from, to) => renameRetryingSync((a, b) => fs.renameSync(a, b), from, to),
  remove: (file) => fs.rmSync(file, { force: true }),
};

const asyncIo: Io = {
  realpath: (file) => fs.promises.realpath(file),
  mkdir: (dir) => fs.promises.mkdir(dir, { recursive: true }),
  stat: (file) => fs.promises.stat(file),
  open: (file, mode) => promisify(fs.open)(file, "wx", mode),
  write: (fd, text) => promisify(fs.writeFile)(fd, text, "utf8"),
  chmod: (fd, mode) => promisify(fs.fchmod)(fd, mode),
  fsync: (fd) => promisify(fs.fsync)(fd),
  close: (fd) => promisify(fs.close)(fd),
  rename: (from, to) => renameRetrying((a, b) => fs.promises.rename(a, b), from, to),
  remove: (file) => fs.promises.rm(file, { force: true }),
};

/**
 * What Windows answers a rename over a file another process has open without sharing its deletion
 * (antivirus scanning the new file, a search indexer, an editor): passing, so the rename is tried
 * again, as graceful-fs does there.
 */
const BUSY = new Set(["EPERM", "EACCES", "EBUSY"]);
/** The waits between tries of a rename Windows refused: some 1.3 s in all. */
const RENAME_WAITS_MS = [10, 20, 40, 80, 160, 320, 640];

const busyOnWindows = (error: unknown, platform: NodeJS.Platform): boolean => platform === "win32" && BUSY.has((error as NodeJS.ErrnoException).code ?? "");

/** `rename(from, to)`, tried again after each of `waits` while Windows says the target is busy. */
export async function renameRetrying(rename: (from: string, to: string) => Promise<void>, from: string, to: string, platform: NodeJS.Platform = process.platform, waits: readonly number[] = RENAME_WAITS_MS): Promise<void> {
  for (let i = 0; ; i++) {
    try {
      return await rename(from, to);
    } catch (error) {
      const wait = waits[i];
      if (wait === undefined || !busyOnWindows(error, platform)) throw error;
      await new Promise((resolve) => setTimeout(resolve, wait));
    }
  }
}

/** {@link renameRetrying} for the sync writer: it waits by blocking the thread. */
export function renameRetryingSync(rename: (from: string, to: string) => void, from: string, to: string, platform: NodeJS.Platform = process.platform, waits: readonly number[] = RENAME_WAITS_MS): void {
  for (let i = 0; ; i++) {
    try {
      return rename(from, to);
    } catch (error) {
      const wait = waits[i];
      if (wait === undefined || !busyOnWindows(error, platform)) throw error;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, wait);
    }
  }
}

/** One call's result: the generator hands the call to its runner, which sends back the value or throws the error here. */
function* step<T>(call: Step<T>): Generator<Step<unknown>, T, unknown> {
  return (yield call) as T;
}

const isMissing = (error: unknown): boolean => (error as NodeJS.ErrnoException).code === "ENOENT";

let crypto: typeof cryptoModule | undefined;

/**
 * node:crypto, loaded at the first write rather than with this module: `wren cmd --check` loads
 * this module for its code cache, which it seldom writes, and node:crypto costs it milliseconds.
 */
function randomHex(bytes: number): string {
  crypto ??= createRequire(import.meta.url)("node:crypto") as typeof cryptoModule;
  return crypto.randomBytes(bytes).toString("hex");
}

/** The steps of an atomic write, written once for both runners. */
function* atomicWrite(io: Io, file: string, text: AtomicWriteData, options: AtomicWriteOptions): Generator<Step<unknown>, void, unknown> {
  let target = file;
  let mode = options.mode;
  try {
    target = yield* step(io.realpath(file));
    mode ??= (yield* step(io.stat(target))).mode & 0o777;
  } catch (error) {
    if (!isMissing(error)) throw error;
  }
  yield* step(io.mkdir(path.dirname(target)));
  // Random, and created exclusively: two writers (or a stale file) never share a temporary file.
  const temporary = `${target}.${process.pid}.${randomHex(4)}.tmp`;
  try {
    const fd = yield* step(io.open(temporary, mode ?? 0o666));
    try {
      yield* step(io.write(fd, text));
      // The mode given to open() is reduced by the umask; the one asked for or kept is exact.
      if (mode !== undefined) yield* step(io.chmod(fd, mode));
      yield* step(io.fsync(fd));
    } finally {
      yield* step(io.close(fd));
    }
    if (options.beforeRename) yield* step(options.beforeRename(temporary));
    yield* step(io.rename(temporary, target));
  } catch (error) {
    yield* step(io.remove(temporary));
    throw error;
  }
}
