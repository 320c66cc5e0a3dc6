import { collectStream, type CallOptions, type ChatRequest, type GenerateResult, type LanguageModel, type StreamPart } from "../protocol/index.js";
import { serializeError, WrenError } from "../shared/errors.js";
import type { SessionTouch } from "./daemon-sessions.js";
import { touchDaemonSession } from "./daemon-session-client.js";
import type { DaemonLock } from "./daemon-state.js";

/** The daemon's model as one client sees it, and the lock that names that daemon. */
export interface DaemonConnection {
  model: LanguageModel;
  lock: DaemonLock | undefined;
  /** The context each request gets, as the daemon reports it. */
  contextLength?: number | undefined;
}

/** Options of {@link DaemonAgentModel}. */
export interface DaemonAgentModelOptions {
  /** The model id shown before the daemon is reached (the one asked for, or `auto`). */
  modelId: string;
  /** Reaches the daemon, starting it when it is not running; called again after it died. */
  connect: () => Promise<DaemonConnection>;
  /** The session that every request is registered under, for `wren daemon status`. */
  session: SessionTouch;
}

/** True when the failure is the daemon gone (refused, reset, closed) rather than an answer. */
function daemonGone(part: StreamPart): boolean {
  return part.type === "error" && part.error.code === "network_error";
}

/**
 * The assistant's model answered by the background daemon: each request registers the session with
 * the daemon's control listener, then goes to its OpenAI-compatible endpoint; tool calls come back
 * to this process, where the tools run. When the daemon is gone before its answer began (killed,
 * crashed), it is started again and the request sent once more; a second loss fails the turn. A
 * daemon lost after part of the answer was streamed fails the turn at once: what was shown cannot
 * be taken back, and a retry would answer differently.
 */
export class DaemonAgentModel implements LanguageModel {
  readonly provider = "wren-daemon";
  #modelId: string;
  #connection: Promise<DaemonConnection> | undefined;
  #contextLength: number | undefined;

  constructor(private readonly options: DaemonAgentModelOptions) {
    this.#modelId = options.modelId;
  }

  get modelId(): string {
    return this.#modelId;
  }

  /** The context of the daemon's model, once reached; undefined before. */
  get contextLength(): number | undefined {
    return this.#contextLength;
  }

  async *doStream(request: ChatRequest, options: CallOptions = {}): AsyncIterable<StreamPart> {
    for (let attempt = 1; ; attempt++) {
      const connection = await (this.#connection ??= this.#connect());
      this.#modelId = connection.model.modelId;
      this.#contextLength = connection.contextLength;
      if (connection.lock) await touchDaemonSession(connection.lock, this.options.session);
      let answered = false;
      let lost: StreamPart | undefined;
      for await (const part of connection.model.doStream(request, options)) {
        if (daemonGone(part) && !options.signal?.aborted) {
          if (!answered) {
            lost = part;
            break;
          }
          yield { type: "error", error: serializeError(this.#lostMidAnswer(connection)) };
          return;
        }
        // The stream's start and the prompt's count (input-usage) come before any token: no answer yet.
        if (part.type !== "stream-start" && part.type !== "input-usage") answered = true;
        yield part;
      }
      if (!lost) return;
      this.#connection = undefined;
      if (attempt >= 2) {
        yield {
          type: "error",
          error: serializeError(
            new WrenError("network_error", `The wren daemon stopped answering again (pid ${connection.lock?.pid ?? "unknown"}), after it was restarted for this turn.`, {
              hint: "See why in `wren daemon logs`; run with --no-daemon to load the model in this process instead.",
            }),
          ),
        };
        return;
      }
    }
  }

  /** A daemon that could not be reached is tried afresh by the next request, not remembered as failed. */
  #connect(): Promise<DaemonConnection> {
    return this.options.connect().catch((error: unknown) => {
      this.#connection = undefined;
      throw error;
    });
  }

  async doGenerate(request: ChatRequest, options: CallOptions = {}): Promise<GenerateResult> {
    return collectStream(this.doStream(request, options));
  }

  #lostMidAnswer(connection: DaemonConnection): WrenError {
    this.#connection = undefined;
    return new WrenError("network_error", `The wren daemon (pid ${connection.lock?.pid ?? "unknown"}) stopped answering in the middle of its answer.`, {
      hint: "Run the task again (the daemon is started again on demand); see why it stopped in `wren daemon logs`.",
    });
  }
}
