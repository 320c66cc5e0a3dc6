import type { IncomingMessage, Server } from "node:http";
import type { Duplex } from "node:stream";

/** Headers that ask for the protocol change, left out when the request is served as plain HTTP/1.1. */
const upgradeHeaders = new Set(["connection", "upgrade", "http2-settings"]);

/**
 * Serves requests that ask to upgrade to anything but a WebSocket on one of `websocketPaths`
 * (`curl --http2` sends
 * `Upgrade: h2c` on every plain-HTTP request) as the plain HTTP/1.1 requests they also are, as
 * RFC 9110 §7.8 lets a server do. Once anything listens for `upgrade` (the WebSocket endpoint),
 * Node hands every request with an `Upgrade` header to those listeners and no longer parses that
 * connection; @hono/node-server takes only WebSocket ones, so the rest were left open, unanswered
 * and with no timeout, for as long as the client waited (forever, for curl). The request's head
 * is written again without its upgrade headers, in front of what Node had read after it (its
 * body's start), and the connection goes back to the HTTP server as a new one.
 */
export function serveOtherUpgradesPlainly(server: Server, websocketPaths: readonly string[]): void {
  // The WebSocket endpoint's own listeners (@hono/node-server's) hear only what is theirs: for a
  // WebSocket asked of any other path they wrote a bare status line with no body (`405` with
  // `allow: POST` to a POST of the chat endpoint).
  const websocket = server.listeners("upgrade") as Array<(request: IncomingMessage, socket: Duplex, head: Buffer) => void>;
  server.removeAllListeners("upgrade");
  server.on("upgrade", (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    if (request.headers.upgrade?.toLowerCase() === "websocket" && websocketPaths.includes((request.url ?? "/").split("?")[0]!)) {
      for (const listener of websocket) listener.call(server, request, socket, head);
      return;
    }
    const lines = [`${request.method ?? "GET"} ${request.url ?? "/"} HTTP/${request.httpVersion}`];
    const raw = request.rawHeaders;
    for (let i = 0; i + 1 < raw.length; i += 2) {
      if (!upgradeHeaders.has(raw[i]!.toLowerCase())) lines.push(`${raw[i]}: ${raw[i + 1]}`);
    }
    socket.unshift(Buffer.concat([Buffer.from(`${lines.join("\r\n")}\r\n\r\n`, "latin1"), head]));
    server.emit("connection", socket);
  });
}
