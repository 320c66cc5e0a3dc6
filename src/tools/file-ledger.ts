/** What a file looked like when the model read it. */
export interface FileSnapshot {
  mtimeMs: number;
  size: number;
}

/**
 * The files the model has read in this session, so Edit and Write change only files it has seen
 * as they are now: a file edited by the user (or a formatter) since must be read again first.
 * One per agent session; keys are absolute paths.
 */
export class FileReadLedger {
  readonly #seen = new Map<string, FileSnapshot>();

  /** Notes that the model has seen the file in this state (after a Read, or after it wrote it). */
  record(absolutePath: string, snapshot: FileSnapshot): void {
    this.#seen.set(absolutePath, { mtimeMs: snapshot.mtimeMs, size: snapshot.size });
  }

  /** `unread`: never read; `changed`: changed on disk since; `current`: as the model saw it. */
  check(absolutePath: string, now: FileSnapshot): "unread" | "changed" | "current" {
    const seen = this.#seen.get(absolutePath);
    if (!seen) return "unread";
    return seen.mtimeMs === now.mtimeMs && seen.size === now.size ? "current" : "changed";
  }
}
