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
  /** Aborts when the client goes away or the request timeout fires (reason: WrenError `timeout`). */
  readonly signal: AbortSignal;
  /** Keeps the scope open past the handler; call the returned function (once) when done with it. */
  hold(): () => void;
  /** The `x-wren-adapter` header (`NAME[:SCALE]`): the LoRA adapter the request asks for, if any. */
  readonly adapter?: string | undefined;
  /** Who sent the request, as the auth middleware authenticated it; absent where no request passed it (a test). */
  readonly client?: ClientIdentity | undefined;
  /**
   * Node's response for the request, when a streamed body may be written to it directly (served by
   * Node, and no middleware adds headers to hono's response); absent otherwise (`app.request()`).
   */
  readonly response?: ServerResponse | undefined;
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
}

/** A scope over a signal someone else owns (a WebSocket message, a test): nothing to release. */
export function signalScope(signal: AbortSignal, client?: ClientIdentity): RequestScope {
  return { signal, hold: () => () => undefined, ...(client ? { client } : {}) };
}

function timeoutError(ms: number): WrenError {
  return new WrenError("timeout", `The request took longer than the server's limit of ${Math.round(ms / 1000)} s.`, {
    hint: "Ask for fewer tokens (max_tokens), or raise server.requestTimeout.",
    isRetryable: true,
  });
}

/**
 * Opens the scope of one request. With no timeout the client's own signal is the scope's signal;
 * with one, the timer and linked controller are made only when a route first asks for the signal,
 * so `/health` and other routes that never wait on a model cost nothing.
 */
export function openRequestScope(clientSignal: AbortSignal, timeoutMs: number, extras: RequestScopeExtras = {}): OwnedRequestScope {
  let holders = 1;
  let controller: (AbortController & Disposable) | undefined;
  let timer: NodeJS.Timeout | undefined;
  let released = false;
  const release = (): void => {
    holders -= 1;
    if (holders > 0 || released) return;
    released = true;
    clearTimeout(timer);
    controller?.[Symbol.dispose]();
  };
  const releaser = (): (() => void) => {
    let done = false;
    return () => {
      if (done) return;
      done = true;
      release();
    };
  };
  const end = releaser();
  return {
    get signal(): AbortSignal {
      if (timeoutMs <= 0 || released) return controller?.signal ?? clientSignal;
      if (!controller) {
        const linked = linkedAbortController(clientSignal);
        controller = linked;
        timer = setTimeout(() => linked.abort(timeoutError(timeoutMs)), timeoutMs);
        // A pending timeout alone must not keep the process alive at shutdown.
        timer.unref();
      }
      return controller.signal;
    },
    hold() {
      if (released) return () => undefined;
      holders += 1;
      return releaser();
    },
    end,
    ...(extras.adapter ? { adapter: extras.adapter } : {}),
    ...(extras.client ? { client: extras.client } : {}),
    ...(extras.response ? { response: extras.response } : {}),
  };
}
