import { randomBytes } from "node:crypto";
import { access, mkdir, readdir, rm } from "node:fs/promises";
import path from "node:path";
import type { LlamaContextSequence, Token } from "node-llama-cpp";

/** Where and how much a model's evicted prompt states may take. */
export interface PromptStateCacheOptions {
  /**
   * Folder that holds this process's saved states; each model gets a sub-folder of its own, removed
   * when the model is unloaded. Folders left by processes that are gone are removed at start.
   */
  dir: string;
  /** Bytes of saved states kept at most; the least recently used go first. */
  maxBytes: number;
  /** Saved states kept at most. */
  maxEntries: number;
  /** Prefixes shorter than this are recomputed rather than saved. Default 32 tokens. */
  minTokens?: number;
}

interface Entry {
  file: string;
  tokens: readonly Token[];
  bytes: number;
  lastUsed: number;
}

/**
 * Prompt states of sequences whose tokens were about to be overwritten, saved with llama.cpp's
 * per-sequence state files (node-llama-cpp 3.21 saves and loads a sequence's state only to and from a
 * file; in the page cache that costs little more than a copy in memory). A request whose prompt
 * shares a longer prefix with a saved state than with any free sequence gets that state loaded
 * instead of evaluating the prefix again.
 */
export class PromptStateCache {
  readonly #options: PromptStateCacheOptions;
  readonly #minTokens: number;
  #entries: Entry[] = [];
  #bytes = 0;
  #clock = 0;
  #dir: Promise<string> | undefined;

  constructor(options: PromptStateCacheOptions) {
    this.#options = options;
    this.#minTokens = options.minTokens ?? 32;
  }

  get enabled(): boolean {
    return this.#options.maxBytes > 0 && this.#options.maxEntries > 0;
  }

  get minTokens(): number {
    return this.#minTokens;
  }

  stats(): { entries: number; bytes: number } {
    return { entries: this.#entries.length, bytes: this.#bytes };
  }

  /** The saved state sharing the longest prefix with `tokens`, and how long that prefix is. */
  best(tokens: readonly Token[]): { entry: Entry; length: number } | undefined {
    let found: { entry: Entry; length: number } | undefined;
    for (const entry of this.#entries) {
      const length = commonPrefix(entry.tokens, tokens);
      if (length > 0 && (!found || length > found.length)) found = { entry, length };
    }
    return found;
  }

  /**
   * Saves the sequence's state before its tokens are overwritten, unless a saved state already
   * holds all of them. Saved states that are a prefix of this one are dropped: it covers them.
   * `keep` (the state about to be restored) is never dropped to make room.
   */
  async save(sequence: LlamaContextSequence, keep?: Entry): Promise<void> {
    const tokens = sequence.contextTokens;
    if (!this.enabled || tokens.length < this.#minTokens) return;
    if (this.#entries.some((e) => e.tokens.length >= tokens.length && commonPrefix(e.tokens, tokens) === tokens.length)) return;
    const file = path.join(await this.#folder(), `${randomBytes(6).toString("hex")}.state`);
    const { fileSize } = await sequence.saveStateToFile(file);
    const covered = this.#entries.filter((e) => e !== keep && commonPrefix(e.tokens, tokens) === e.tokens.length);
    for (const entry of covered) await this.#remove(entry);
    this.#entries.push({ file, tokens, bytes: fileSize, lastUsed: ++this.#clock });
    this.#bytes += fileSize;
    for (;;) {
      const candidates = this.#entries.filter((e) => e !== keep);
      if (candidates.length === 0 || (this.#bytes <= this.#options.maxBytes && this.#entries.length <= this.#options.maxEntries)) break;
      await this.#remove(candidates.reduce((a, b) => (b.lastUsed < a.lastUsed ? b : a)));
    }
  }

  /**
   * Loads a saved state into `sequence`, replacing what it held; false, with the sequence untouched,
   * when the file is gone (someone cleared the cache folder).
   */
  async restore(entry: Entry, sequence: LlamaContextSequence): Promise<boolean> {
    entry.lastUsed = ++this.#clock;
    // node-llama-cpp forgets the sequence's tokens before it opens the file, while llama.cpp keeps
    // them when the file cannot be read: a missing file would leave the two out of step.
    if (!(await access(entry.file).then(() => true, () => false))) {
      await this.#remove(entry);
      return false;
    }
    await sequence.loadStateFromFile(entry.file, { acceptRisk: true });
    return true;
  }

  async dispose(): Promise<void> {
    this.#entries = [];
    this.#bytes = 0;
    const dir = await this.#dir?.catch(() => undefined);
    if (dir) await rm(dir, { recursive: true, force: true });
  }

  async #remove(entry: Entry): Promise<void> {
    this.#entries = this.#entries.filter((e) => e !== entry);
    this.#bytes -= entry.bytes;
    await rm(entry.file, { force: true });
  }

  #folder(): Promise<string> {
    this.#dir ??= (async () => {
      await removeStaleFolders(this.#options.dir);
      const dir = path.join(this.#options.dir, `${process.pid}-${randomBytes(4).toString("hex")}`);
      await mkdir(dir, { recursive: true });
      return dir;
    })();
    return this.#dir;
  }
}

/** Length of the prefix two token lists share. */
export function commonPrefix(a: readonly Token[], b: readonly Token[]): number {
  const n = Math.min(a.length, b.length);
  let i = 0;
  while (i < n && a[i] === b[i]) i++;
  return i;
}

/** Removes the folders of processes that are no longer running (states are never reused across runs). */
async function removeStaleFolders(root: string): Promise<void> {
  const names = await readdir(root).catch(() => [] as string[]);
  for (const name of names) {
    const pid = Number(name.split("-")[0]);
    if (!Number.isInteger(pid) || pid <= 0 || pid === process.pid || isRunning(pid)) continue;
    await rm(path.join(root, name), { recursive: true, force: true });
  }
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
