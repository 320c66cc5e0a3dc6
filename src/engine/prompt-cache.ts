import { randomBytes } from "node:crypto";
import { mkdir, open, readdir, rm } from "node:fs/promises";
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
  /** The file's first 8 bytes as written: llama.cpp's magic and format version (the token list follows). */
  magic: Buffer;
  lastUsed: number;
  /** Requests about to restore this state: it is neither evicted nor dropped as covered meanwhile. */
  pins: number;
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
  /** Saves run one at a time: each reads and changes the list of entries across awaits. */
  #saving: Promise<void> = Promise.resolve();

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
   * Keeps `entry` (a state a request is about to restore) from being evicted or dropped by other
   * requests' saves until the returned function is called. Requests prepare their sequences
   * concurrently: without this, a state chosen by one could be deleted by another's save while the
   * first waited for the context, and its load would fail.
   */
  pin(entry: Entry): () => void {
    entry.pins++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      entry.pins--;
    };
  }

  /**
   * Saves the sequence's state before its tokens are overwritten, unless a saved state already
   * holds all of them. Saved states that are a prefix of this one are dropped: it covers them.
   * Pinned states (about to be restored) are never dropped, and do not count toward the budget.
   */
  save(sequence: LlamaContextSequence): Promise<void> {
    const run = this.#saving.then(() => this.#save(sequence));
    this.#saving = run.catch(() => undefined);
    return run;
  }

  async #save(sequence: LlamaContextSequence): Promise<void> {
    const tokens = sequence.contextTokens;
    if (!this.enabled || tokens.length < this.#minTokens) return;
    if (this.#entries.some((e) => e.tokens.length >= tokens.length && commonPrefix(e.tokens, tokens) === tokens.length)) return;
    const file = path.join(await this.#folder(), `${randomBytes(6).toString("hex")}.state`);
    await dropPredictions(sequence);
    let fileSize: number;
    let head: Buffer;
    try {
      ({ fileSize } = await sequence.saveStateToFile(file));
      ({ head } = await readFileHead(file, headerBytes(tokens.length)));
    } catch (error) {
      // A save that failed part way (a full disk) leaves a file no entry counts: never kept.
      await rm(file, { force: true });
      throw error;
    }
    if (!listsTokens(head, tokens)) {
      // Written for other tokens than those it would be found by: never restored for them.
      await rm(file, { force: true });
      return;
    }
    const covered = this.#entries.filter((e) => e.pins === 0 && commonPrefix(e.tokens, tokens) === e.tokens.length);
    for (const entry of covered) await this.#remove(entry);
    this.#entries.push({ file, tokens, bytes: fileSize, magic: Buffer.from(head.subarray(0, 8)), lastUsed: ++this.#clock, pins: 0 });
    this.#bytes += fileSize;
    // A pinned state is about to be loaded into a sequence and is not counted: the budget bounds the
    // others, and the cache may exceed it by the states being restored at this moment (at most one
    // per sequence) until the next save.
    for (;;) {
      const candidates = this.#entries.filter((e) => e.pins === 0);
      const bytes = candidates.reduce((sum, e) => sum + e.bytes, 0);
      if (candidates.length === 0 || (bytes <= this.#options.maxBytes && candidates.length <= this.#options.maxEntries)) break;
      await this.#remove(candidates.reduce((a, b) => (b.lastUsed < a.lastUsed ? b : a)));
    }
  }

  /**
   * Loads a saved state into `sequence`, replacing what it held; false, with the sequence untouched
   * and the state dropped, when the file is gone (someone cleared the cache folder) or is no longer
   * the file saved (another size or other first bytes: cut short, grown, replaced). When the load
   * still fails (damaged within), it throws with the sequence emptied, and the state is dropped.
   */
  async restore(entry: Entry, sequence: LlamaContextSequence): Promise<boolean> {
    entry.lastUsed = ++this.#clock;
    // llama.cpp aborts the whole process (GGML_ASSERT, uncatchable) on a state file cut short past
    // its header, and reads another's tokens as this one's: only the file as saved is given to it.
    const found = await readFileHead(entry.file, headerBytes(entry.tokens.length)).catch(() => undefined);
    if (!found || found.size !== entry.bytes || !found.head.subarray(0, 8).equals(entry.magic) || !listsTokens(found.head, entry.tokens)) {
      await this.#remove(entry);
      return false;
    }
    // node-llama-cpp forgets the sequence's tokens before it reads the file, while llama.cpp keeps
    // the sequence's KV cache when the file cannot be read (a damaged or vanished file): the two
    // would be out of step and every later batch with this sequence in it would fail ("Eval has
    // failed"). Emptied first, a failed load leaves an empty sequence that both agree on.
    await sequence.clearHistory();
    try {
      await sequence.loadStateFromFile(entry.file, { acceptRisk: true });
    } catch (error) {
      await this.#remove(entry);
      throw error;
    }
    return true;
  }

  async dispose(): Promise<void> {
    this.#entries = [];
    this.#bytes = 0;
    const dir = await this.#dir?.catch(() => undefined);
    if (dir) await rm(dir, { recursive: true, force: true });
  }

  async #remove(entry: Entry): Promise<void> {
    if (!this.#entries.includes(entry)) return;
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

/**
 * Removes the KV cells of tokens a token predictor (speculative decoding) evaluated ahead and the
 * generation did not use. node-llama-cpp keeps them past `contextTokens` for the sequence's next
 * evaluation, and a state file holds every cell of the sequence but lists only `contextTokens`:
 * loaded, such a state would hold cells past its last token, and llama.cpp refuses every later
 * batch with that sequence in it ("Eval has failed"). Erasing from the last token on removes the
 * predicted cells (node-llama-cpp extends the range over them); with none, it erases nothing.
 */
async function dropPredictions(sequence: LlamaContextSequence): Promise<void> {
  const end = sequence.contextTokens.length;
  await sequence.eraseContextTokenRanges([{ start: end, end: end + 1 }]);
}

/** Bytes llama.cpp's sequence state file starts with: magic, version, token count, then the tokens (32 bits each). */
function headerBytes(tokens: number): number {
  return 12 + 4 * tokens;
}

/** True when a state file's header lists exactly `tokens`. */
function listsTokens(header: Buffer, tokens: readonly Token[]): boolean {
  if (header.length !== headerBytes(tokens.length) || header.readUInt32LE(8) !== tokens.length) return false;
  return tokens.every((token, i) => header.readUInt32LE(12 + 4 * i) === token);
}

/** The first `length` bytes of a file, and its size. */
async function readFileHead(file: string, length: number): Promise<{ head: Buffer; size: number }> {
  const handle = await open(file, "r");
  try {
    const { size } = await handle.stat();
    const head = Buffer.alloc(Math.min(length, size));
    const { bytesRead } = await handle.read(head, 0, head.length, 0);
    return { head: head.subarray(0, bytesRead), size };
  } finally {
    await handle.close();
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
