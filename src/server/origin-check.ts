import os from "node:os";
import type { MiddlewareHandler } from "hono";
import { WrenError } from "../shared/errors.js";
import { isLoopbackHost } from "../shared/loopback.js";

/**
 * Schemes of desktop apps' and editors' own pages (Electron and Tauri apps, VS Code's webviews),
 * which Ollama lets in by default too: code on this machine, not a web page.
 */
const APP_SCHEMES = new Set(["app:", "tauri:", "vscode-webview:", "vscode-file:"]);

/** The name in a Host header (`127.0.0.1:11435` → `127.0.0.1`, `[::1]:80` → `[::1]`). */
function hostnameOf(host: string): string {
  if (host.startsWith("[")) return host.slice(0, host.indexOf("]") + 1) || host;
  const colon = host.lastIndexOf(":");
  return colon === -1 ? host : host.slice(0, colon);
}

/** Whether a page of `origin` may use the server: one served from this machine's loopback, or a desktop app's own. */
function isLocalOrigin(origin: string): boolean {
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return false;
  }
  if (APP_SCHEMES.has(url.protocol)) return true;
  return (url.protocol === "http:" || url.protocol === "https:") && (isLoopbackHost(url.hostname) || url.hostname === "0.0.0.0");
}

export interface BrowserCheckOptions {
  /** `server.cors`: origins let in besides the local ones (`*`: any). */
  corsOrigins: readonly string[];
  /** Listening beyond loopback (a key is then required): the names its network gives it are its own. */
  exposed?: boolean | undefined;
}

/**
 * Refuses what a web page of another origin sent (403 `forbidden`). A page open in the user's
 * browser can reach wren on 127.0.0.1 without CORS: a "simple" POST (`text/plain`, which the routes
 * read as JSON) goes out unasked, its answer unread but its work done (a teacher called on the
 * user's key, a model pulled), and a WebSocket is never held to CORS at all. Browsers name the
 * page's origin in `Origin`, which SDKs, curl and wren's own commands do not send: a request with
 * one is let in from a page of this machine (loopback, any port) or a desktop app's own origin, as
 * Ollama does, or from one `server.cors` allows.
 *
 * A page can also have its own name resolve to 127.0.0.1 (DNS rebinding): its requests are then
 * of its own origin, answers readable. A server only this machine reaches is named by loopback
 * names alone (`localhost`, 127.0.0.1, `[::1]`, this machine's host name): a request naming another
 * host is refused too.
 */
export function browserCheck(options: BrowserCheckOptions): MiddlewareHandler {
  const any = options.corsOrigins.includes("*");
  const allowed = new Set(options.corsOrigins);
  const machine = os.hostname().toLowerCase();
  // Every request passes here: each Host header's verdict is worked out once (a client sends one or two).
  const hosts = new Map<string, boolean>();
  const ownName = (host: string): boolean => {
    let known = hosts.get(host);
    if (known === undefined) {
      const name = hostnameOf(host);
      known = isLoopbackHost(name) || name.toLowerCase() === machine;
      if (hosts.size < 64) hosts.set(host, known);
    }
    return known;
  };
  return async (c, next) => {
    if (!options.exposed) {
      // Node's request always has a Host (HTTP/1.1 requires one); `app.request()` names it in the URL.
      const host = c.req.header("host") ?? new URL(c.req.url).host;
      if (!ownName(host)) {
        throw new WrenError("forbidden", `This server answers to this machine's names only (localhost, 127.0.0.1), not "${hostnameOf(host)}": a web page whose name was made to resolve to 127.0.0.1 sends such requests.`, {
          hint: "Use http://127.0.0.1 or http://localhost; to serve other machines under their names, listen beyond loopback (--host, with an API key).",
        });
      }
    }
    const origin = c.req.header("origin");
    if (origin === undefined || any || allowed.has(origin) || isLocalOrigin(origin) || sameOrigin(origin, c.req.url)) return next();
    throw new WrenError("forbidden", `A web page at ${origin} may not use this server: its origin is not this machine's, nor in server.cors.`, {
      hint: `If you trust that page, allow its origin: wren serve --cors ${origin === "null" ? "'*'" : origin} (or server.cors in config).`,
    });
  };
}

/** Whether `origin` is the server's own, as the request names it (a page it served itself, on an exposed server's network name). */
function sameOrigin(origin: string, url: string): boolean {
  try {
    return new URL(origin).origin === new URL(url).origin;
  } catch {
    return false;
  }
}
