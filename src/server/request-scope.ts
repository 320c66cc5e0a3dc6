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
  let own: AbortController | undefined;
  const controller = (): AbortController => (own ??= linkedAbortController(signal));
  return {
    get signal() {
      return controller().signal;
    },
    hold: () => () => undefined,
    cancel(reason) {
      const c = controller();
      if (!c.signal.aborted) c.abort(reason);
    },
    ...(client ? { client } : {}),
  };
}

function timeoutError(ms: number): WrenError {
  return new WrenError("timeout", `The request took longer than the server's limit of ${Math.round(ms / 1000)} s.`, {
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
  let holders = 1;
  let controller: AbortController | undefined;
  let detach: (() => void) | undefined;
  let timer: NodeJS.Timeout | undefined;
  let released = false;
  const release = (): void => {
    holders -= 1;
    if (holders > 0 || released) return;
    released = true;
    clearTimeout(timer);
    detach?.();
  };
  const releaser = (): (() => void) => {
    let done = false;
    return () => {
      if (done) return;
      done = true;
      release();
    };
  };
  const open = (): AbortController => {
    const c = new AbortController();
    controller = c;
    // A finished request's signal no longer follows the client or the clock.
    if (released) return c;
    const response = extras.response;
    if (response) {
      const onClose = (): void => {
        if (!response.writableFinished) c.abort(clientGone);
      };
      response.once("close", onClose);
      detach = () => response.off("close", onClose);
    } else {
      const client = typeof clientSignal === "function" ? clientSignal() : clientSignal;
      if (client.aborted) c.abort(client.reason);
      else {
        const onAbort = (): void => c.abort(client.reason);
        client.addEventListener("abort", onAbort, { once: true });
        detach = () => client.removeEventListener("abort", onAbort);
      }
    }
    if (timeoutMs > 0) {
      timer = setTimeout(() => c.abort(timeoutError(timeoutMs)), timeoutMs);
      // A pending timeout alone must not keep the process alive at shutdown.
      timer.unref();
    }
    return c;
  };
  const end = releaser();
  return {
    get signal(): AbortSignal {
      return (controller ?? open()).signal;
    },
    hold() {
      if (released) return () => undefined;
      holders += 1;
      return releaser();
    },
    cancel(reason) {
      const c = controller ?? open();
      if (!c.signal.aborted) c.abort(reason);
    },
    end,
    ...(extras.adapter ? { adapter: extras.adapter } : {}),
    ...(extras.client ? { client: extras.client } : {}),
    ...(extras.response ? { response: extras.response } : {}),
  };
}
