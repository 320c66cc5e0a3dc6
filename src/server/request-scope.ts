import type { ServerResponse } from "node:http";
import type { ClientIdentity } from "../protocol/index.js";
import { linkedAbortController } from "../shared/abort.js";
import { WrenError } from "../shared/errors.js";

/**
 * What one request owns while it runs: the signal its work listens to (the client going away, or
 * the server's request timeout) and the timer behind it. The app's middleware opens a scope per
 * request and ends it when the handler returns; a streamed body holds it open until the stream
 * ends or the client goes away. The timer is cleared and the linked signal detached when the last
 * holder lets go, so a finished request keeps nothing alive.
 */
export interface RequestScope {
  /** Aborts when the client goes away or the request timeout fires (reason: WrenError `timeout`), or on {@link cancel}. */
  readonly signal: AbortSignal;
  /** Keeps the scope open past the handler; call the returned function (once) when done with it. */
  hold(): () => void;
  /**
   * Aborts the signal with `reason`: the request's work stops before it ended by itself (its
   * generation closed early). One controller per request serves the client, the timeout and this.
   */
  cancel(reason: unknown): void;
  /** The `x-wren-adapter` header (`NAME[:SCALE]`): the LoRA adapter the request asks for, if any. */
  readonly adapter?: string | undefined;
  /** Who sent the request, as the auth middleware authenticated it; absent where no request passed it (a test). */
  readonly client?: ClientIdentity | undefined;
  /**
   * Node's response for the request, when a streamed body may be written to it directly (served by
   * Node, and no middleware adds headers to hono's response); absent otherwise (`app.request()`).
   * Its closing before it finished is also how the scope knows the client went away.
   */
  readonly response?: ServerResponse | undefined;
  /**
   * The request waited, its body unread, for room among the bodies held at once (BodyBudget): its
   * client may have left meanwhile, heard of only once its socket is read again (see parse-body.ts).
   */
  readonly waitedForRoom?: boolean;
  /** The client went away while its request's work listened for it: its answer reaches nobody (counted as 499). */
  readonly clientLeft?: boolean;
}

/** What a scope carries besides its signal. */
export interface RequestScopeExtras {
  adapter?: string | undefined;
  client?: ClientIdentity | undefined;
  response?: ServerResponse | undefined;
}

/** A scope whose owner (the middleware) can end it. */
export interface OwnedRequestScope extends RequestScope {
  /** The handler is done; the resources go once no hold remains. */
  end(): void;
  /** Calls `release` when the scope's resources go (at once if they have gone): what the request held besides them. */
  whenReleased(release: () => void): void;
  /** Set by the middleware when the request's turn came after it waited for room. */
  waitedForRoom: boolean;
}

/** A scope over a signal someone else owns (a WebSocket message, a test): nothing to release. */
export function signalScope(signal: AbortSignal, client?: ClientIdentity): RequestScope {
  return new SignalScope(signal, client);
}

class SignalScope implements RequestScope {
  #own: AbortController | undefined;
  constructor(
    readonly parent: AbortSignal,
    readonly client: ClientIdentity | undefined,
  ) {}
  get signal(): AbortSignal {
    return this.#controller().signal;
  }
  hold(): () => void {
    return () => undefined;
  }
  cancel(reason: unknown): void {
    const c = this.#controller();
    if (!c.signal.aborted) c.abort(reason);
  }
  #controller(): AbortController {
    return (this.#own ??= linkedAbortController(this.parent));
  }
}

function timeoutError(ms: number): WrenError {
  return new WrenError("timeout", `The request took longer than the server's limit of ${ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`}.`, {
    hint: "Ask for fewer tokens (max_tokens), or raise server.requestTimeout.",
    isRetryable: true,
  });
}

/** The reason a request's signal aborts with when Node's response closed before it finished (as @hono/node-server words it). */
const clientGone = "Client connection prematurely closed.";

/**
 * Opens the scope of one request. Its controller, the timer and what links them to the client are
 * made only when a route first asks for the signal, so `/health` and other routes that never wait
 * on a model cost nothing; then one controller serves the client going away, the timeout and
 * {@link RequestScope.cancel}. Served by Node, the client going away is Node's response closing
 * before it finished, so no web `AbortSignal` of the request's is made or listened to.
 * `clientSignal` may be given as a function, read only if needed.
 */
export function openRequestScope(clientSignal: AbortSignal | (() => AbortSignal), timeoutMs: number, extras: RequestScopeExtras = {}): OwnedRequestScope {
  return new Scope(clientSignal, timeoutMs, extras);
}

/**
 * A class, not an object literal with a `signal` getter made per request: measured, with such a
 * literal every request's scope and what it holds (the request, its response) outlived two
 * young-generation collections and was copied into the old generation, which made each of those
 * collections take milliseconds instead of a fraction of one.
 */
class Scope implements OwnedRequestScope {
  readonly adapter: string | undefined;
  readonly client: ClientIdentity | undefined;
  readonly response: ServerResponse | undefined;
  waitedForRoom = false;
  clientLeft = false;
  #holders = 1;
  #controller: AbortController | undefined;
  #detach: (() => void) | undefined;
  #timer: NodeJS.Timeout | undefined;
  #released = false;
  #ended = false;
  #onReleased: (() => void) | undefined;
  readonly #clientSignal: AbortSignal | (() => AbortSignal);
  readonly #timeoutMs: number;

  constructor(clientSignal: AbortSignal | (() => AbortSignal), timeoutMs: number, extras: RequestScopeExtras) {
    this.#clientSignal = clientSignal;
    this.#timeoutMs = timeoutMs;
    this.adapter = extras.adapter;
    this.client = extras.client;
    this.response = extras.response;
  }

  get signal(): AbortSignal {
    return (this.#controller ?? this.#open()).signal;
  }

  hold(): () => void {
    if (this.#released) return () => undefined;
    this.#holders += 1;
    let done = false;
    return () => {
      if (done) return;
      done = true;
      this.#release();
    };
  }

  cancel(reason: unknown): void {
    const c = this.#controller ?? this.#open();
    if (!c.signal.aborted) c.abort(reason);
  }

  end(): void {
    if (this.#ended) return;
    this.#ended = true;
    this.#release();
  }

  whenReleased(release: () => void): void {
    if (this.#released) {
      release();
      return;
    }
    const before = this.#onReleased;
    this.#onReleased = before
      ? () => {
          before();
          release();
        }
      : release;
  }

  #release(): void {
    this.#holders -= 1;
    if (this.#holders > 0 || this.#released) return;
    this.#released = true;
    clearTimeout(this.#timer);
    this.#detach?.();
    this.#onReleased?.();
  }

  #open(): AbortController {
    const c = new AbortController();
    this.#controller = c;
    // A finished request's signal no longer follows the client or the clock.
    if (this.#released) return c;
    const response = this.response;
    if (response) {
      const onClose = (): void => {
        if (response.writableFinished) return;
        this.clientLeft = true;
        c.abort(clientGone);
      };
      // A client that closed its side has gone too: Node then closes the connection, so no answer
      // can reach it, but it tells the response so only after the socket closed, turns later. A
      // request that waited unread for room (BodyBudget) whose client left meanwhile reads its
      // whole body and the client's end right after it: heard of only when the response closes,
      // it could be sent on to a teacher (and paid for) before then.
      const socket = response.req.socket;
      if (socket.readableEnded) onClose();
      response.once("close", onClose);
      socket.once("end", onClose);
      this.#detach = () => {
        response.off("close", onClose);
        socket.off("end", onClose);
      };
    } else {
      const client = typeof this.#clientSignal === "function" ? this.#clientSignal() : this.#clientSignal;
      if (client.aborted) {
        this.clientLeft = true;
        c.abort(client.reason);
      } else {
        const onAbort = (): void => {
          this.clientLeft = true;
          c.abort(client.reason);
        };
        client.addEventListener("abort", onAbort, { once: true });
        this.#detach = () => client.removeEventListener("abort", onAbort);
      }
    }
    const timeoutMs = this.#timeoutMs;
    if (timeoutMs > 0) {
      this.#timer = setTimeout(() => c.abort(timeoutError(timeoutMs)), timeoutMs);
      // A pending timeout alone must not keep the process alive at shutdown.
      this.#timer.unref();
    }
    return c;
  }
}
