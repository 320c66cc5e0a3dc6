import { STATUS_CODES, type IncomingMessage, type Server } from "node:http";
import type { Duplex } from "node:stream";
import type { WebSocketServer } from "ws";
import { errorResponse } from "../server/error-body.js";
import { WrenError } from "../shared/errors.js";

/** WebSockets `wren serve` keeps open at once, unless told otherwise. */
export const DEFAULT_MAX_WEBSOCKETS = 256;

/** The cap on WebSockets open at once: `wss`'s clients and the handshakes under way. */
export interface WebSocketCap {
  wss: WebSocketServer;
  /** Sockets open (or opening) at once; one more is refused with 503 and `retry-after`. */
  maxSockets: number;
}

/** Writes a whole HTTP response (an OpenAI error body) on a socket that asked to upgrade, and ends it. */
function refuseUpgrade(socket: Duplex, error: WrenError): void {
  const { status, headers, body } = errorResponse(error, "openai");
  const text = JSON.stringify(body);
  const lines = [`HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ""}`, "connection: close", "content-type: application/json", `content-length: ${Buffer.byteLength(text)}`];
  for (const [name, value] of Object.entries(headers)) lines.push(`${name}: ${value}`);
  socket.end(`${lines.join("\r\n")}\r\n\r\n${text}`);
}

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
export function serveOtherUpgradesPlainly(server: Server, websocketPaths: readonly string[], cap?: WebSocketCap): void {
  // The WebSocket endpoint's own listeners (@hono/node-server's) hear only what is theirs: for a
  // WebSocket asked of any other path they wrote a bare status line with no body (`405` with
  // `allow: POST` to a POST of the chat endpoint).
  const websocket = server.listeners("upgrade") as Array<(request: IncomingMessage, socket: Duplex, head: Buffer) => void>;
  server.removeAllListeners("upgrade");
  // Handshakes handed to the endpoint and not yet a socket of `wss` (or refused): they count against the cap too.
  const opening = new Set<IncomingMessage>();
  cap?.wss.on("connection", (_ws, request: IncomingMessage) => opening.delete(request));
  server.on("upgrade", (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    if (request.headers.upgrade?.toLowerCase() === "websocket" && websocketPaths.includes((request.url ?? "/").split("?")[0]!)) {
      if (cap) {
        // Refused before anything is parsed or authenticated: an idle socket holds a connection and its buffers.
        if (cap.wss.clients.size + opening.size >= cap.maxSockets) {
          socket.on("error", () => undefined);
          refuseUpgrade(
            socket,
            new WrenError("overloaded", `The server has ${cap.maxSockets} WebSockets open, its limit.`, {
              status: 503,
              retryAfter: 5,
              hint: "Close a socket you no longer use, or retry after a few seconds; HTTP requests are still served.",
            }),
          );
          return;
        }
        opening.add(request);
        socket.once("close", () => opening.delete(request));
      }
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
