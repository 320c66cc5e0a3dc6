import type { SerializedError } from "../shared/errors.js";

/**
 * Where the assistant's local model is, as a session sees it while the daemon loads it in the
 * background. The terminal UI shows it on the status line.
 */
export interface ModelLoadState {
  /**
   * `idle`: nobody asked for the model yet; `starting`: the daemon is starting (or finding or
   * pulling the model file); `loading`: the daemon reads the weights (`progress`); `ready`: turns
   * go to it; `failed`: the load failed (`error`), and the next turn tries again.
   */
  phase: "idle" | "starting" | "loading" | "ready" | "failed";
  /** The model: what was asked for until the daemon names it. */
  model: string;
  /** From 0 to 1 while `loading`, when the daemon reports it. */
  progress?: number | undefined;
  /** True once ready when the daemon already had the model loaded: this session loaded nothing. */
  warm?: boolean | undefined;
  /** Until ready: turns go to a teacher (`teacher`) or wait for the load (`wait`: no teacher may answer). */
  meanwhile: "teacher" | "wait";
  /** Why the load failed, when `failed`. */
  error?: SerializedError | undefined;
}

/** A session's view of its local model's load: the state now, changes as they happen, and a start. */
export interface ModelLoadHandle {
  readonly state: ModelLoadState;
  /** Calls `listener` with each new state; returns the unsubscribe function. */
  subscribe(listener: (state: ModelLoadState) => void): () => void;
  /** Asks the daemon (starting it if need be) to load the model, in the background. Idempotent. */
  start(): void;
}

