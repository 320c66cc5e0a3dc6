import { randomUUID } from "node:crypto";
import { IncomingMessage, ServerResponse } from "node:http";
import { Hono } from "hono";
import { cors } from "hono/cors";
import { RegExpRouter } from "hono/router/reg-exp-router";
import type { Logger } from "pino";
import { pino } from "pino";
import { WrenError, httpStatusOfCode, toWrenError } from "../shared/errors.js";
import type { ClientIdentity } from "../protocol/index.js";
import { browserCheck } from "./origin-check.js";
import { clientAuth, type AuthVariables, type ClientKey } from "./auth.js";
import { BodyBudget, type ArrivingBody } from "./body-budget.js";
import { bodySizeLimit, countedBody } from "./body-limit.js";
import { dialectOfPath } from "./dialect.js";
import { errorResponse } from "./error-body.js";
import { headerValue } from "./header-value.js";
import { ServerMetrics, seriesKey } from "./metrics.js";
import type { ModelHost } from "./model-host.js";
import { adaptersRoutes } from "./routes/adapters.js";
import { anthropicRoutes } from "./routes/anthropic.js";
import { geminiRoutes } from "./routes/gemini.js";
import { ollamaRoutes } from "./routes/ollama.js";
import { ollamaProbe } from "./routes/ollama-probe.js";
import { openaiRoutes } from "./routes/openai.js";
import { responsesRoutes } from "./routes/responses.js";
import { opsRoutes } from "./routes/ops.js";
import { peerRoutes } from "./routes/peer.js";
import type { PeerInfo } from "../wire/peer/info.js";
import { routerRoutes, type DecisionSource } from "./routes/router.js";
import { websocketRoute, type WebSocketLimits } from "./routes/ws.js";
import { StoredChatCompletions } from "./codecs/openai-stored.js";
import type { ServerContext } from "./server-context.js";
import { createServerContext, openedScope } from "./server-context.js";
import type { OwnedRequestScope } from "./request-scope.js";

/** Largest request body a server app accepts when not told otherwise: 8 MiB. */
export const DEFAULT_MAX_BODY_BYTES = 8 * 1024 * 1024;

/** Bytes of request bodies a server app holds at once when not told otherwise: 32 MiB. */
export const DEFAULT_MAX_BODY_BYTES_IN_FLIGHT = 32 * 1024 * 1024;

/** Options of {@link createServerApp}. */
export interface ServerAppOptions {
  /** Where models come from (runtime/ implements it with the engine or the router). */
  host: ModelHost;
  /**
   * API key clients must send (`Authorization: Bearer KEY` or `x-api-key: KEY`; Gemini clients also
   * `x-goog-api-key: KEY`, or `?key=KEY` on Gemini's paths). When set, every route but `/health`
   * requires it.
   */
  apiKey?: string;
  /**
   * Named client keys, sent like `apiKey`: a request holding one is known by its name (its key id),
   * which per-key budgets and rate limits count against. Setting any makes a key required.
   */
  keys?: ClientKey[];
  /**
   * True when the server is reachable from other machines (bound to a non-loopback address). Then
   * a key is required: without one configured, every request but `/health` is refused with 401.
   * Default false.
   */
  exposed?: boolean;
  /** Origins allowed by CORS. Default: none (CORS off). `["*"]` allows any. */
  corsOrigins?: string[];
  /** Largest request body in bytes, and WebSocket message where runtime/ serves them. Default {@link DEFAULT_MAX_BODY_BYTES}. */
  maxBodyBytes?: number;
  /**
   * Bytes of request bodies (and WebSocket messages) held at once by the requests running; more
   * wait, unread, for room (see {@link BodyBudget}). At least `maxBodyBytes` is used. Default
   * {@link DEFAULT_MAX_BODY_BYTES_IN_FLIGHT}.
   */
  maxBodyBytesInFlight?: number;
  /** Structured logger. Default: a silent pino logger. */
  logger?: Logger;
  /** Milliseconds a request may take in all before it is cancelled with 504. Default 0 (no limit). */
  requestTimeoutMs?: number;
  /**
   * Milliseconds a streamed request may wait for its first token before its status and headers are
   * sent anyway. Until the first token, errors get their own HTTP status; a long prompt can take
   * minutes to evaluate on a CPU, and some clients give up on a response whose headers do not come
   * within a minute (Gemini CLI: 60 s). Past this, the 200 goes out and a later error ends the
   * stream in the dialect's own in-stream form. Default 15000; 0 waits for the first token.
   */
  streamHeadersAfterMs?: number;
  /** Version reported by `/health`. Default "0.0.0". */
  version?: string;
  /** Version `/api/version` reports to Ollama clients (they check it). Default: a current Ollama release. */
  ollamaVersion?: string;
  /**
   * Serve the WebSocket endpoint `/v1/ws`. Needs the node server to be given a `ws`
   * WebSocketServer (runtime/ does); an object also sets the sockets' limits. Default false.
   */
  websocket?: boolean | WebSocketLimits;
  /** The router's decision log, served at `/v1/router/decisions` and `/v1/router/stats` when given. */
  decisions?: DecisionSource;
  /** More Prometheus text appended to `/metrics` (runtime/ passes the router's and the budgets'). */
  extraMetrics?: () => string | Promise<string>;
  /**
   * Counts each request against its client's rate limit (the client: its key id, see
   * {@link ClientIdentity}); an error returned refuses the request with it (429 with `retry-after`).
   * Not `/health`, `/ready` or `/metrics`. Default: no limit.
   */
  rateLimit?: (client: ClientIdentity) => Promise<WrenError | undefined>;
  /**
   * LAN peers (`peers.advertise`): requests signed with this key, or holding it, are let in like
   * ones holding `apiKey`, as key id `peer`, and `GET /v1/peer/info` answers them (and only them)
   * with `info()`. Setting it makes a key required.
   */
  peer?: { key: string; info: () => PeerInfo };
  /**
   * The daemon's key for its own user's wren commands (`x-wren-owner-key`): where a key is
   * required, a request holding it gets in as key id `owner`. Setting it does not make a key required.
   */
  ownerKey?: string;
}

export interface ServerApp {
  app: Hono<{ Variables: AuthVariables }>;
  context: ServerContext;
}

/**
 * The most characters of a request's path its log records hold: Node takes request lines of up to
 * 16 KiB, which any client (or a web page, through a browser) may send again and again.
 */
const MAX_LOGGED_PATH = 256;

function loggedPath(path: string): string {
  return path.length > MAX_LOGGED_PATH ? `${path.slice(0, MAX_LOGGED_PATH)}…` : path;
}

/**
 * Sets a header on the response a handler already returned (outside Node: `app.request()`). On that response's own headers, not
 * with `c.header()`, which rebuilds a finished response (a web Response and a stream for its body,
 * about a twentieth of wren serve's CPU per routed request); the response of a Node request stays
 * the adapter's lightweight one. Headers a Response was made immutable with fall back to that.
 */
function setResponseHeader(c: { res: Response; header(name: string, value: string): void }, name: string, value: string): void {
  try {
    c.res.headers.set(name, value);
  } catch {
    c.header(name, value);
  }
}

/** The Node response behind a request, when @hono/node-server serves it (`c.env.outgoing`); none under `app.request()`. */
function nodeResponseOf(env: unknown): ServerResponse | undefined {
  if (typeof env !== "object" || env === null || !("outgoing" in env)) return undefined;
  return env.outgoing instanceof ServerResponse ? env.outgoing : undefined;
}

/** The Node request behind a request, when @hono/node-server serves it (`c.env.incoming`). */
function nodeRequestOf(env: unknown): IncomingMessage | undefined {
  if (typeof env !== "object" || env === null || !("incoming" in env)) return undefined;
  return env.incoming instanceof IncomingMessage ? env.incoming : undefined;
}

/** A Node request's body still arriving, as the body budget watches it: cutting it cancels its request with the budget's 408. */
function arrivingBody(incoming: IncomingMessage, scope: OwnedRequestScope): ArrivingBody {
  // The socket's count includes what it read before (earlier requests on a kept-alive connection, these headers).
  const socket = incoming.socket;
  const before = socket.bytesRead;
  return { arrived: () => incoming.complete, received: () => socket.bytesRead - before, cut: (error) => scope.cancel(error) };
}

/**
 * The bytes a request's body will hold: its `content-length`, or for a chunked or compressed body
 * (rare for JSON clients), whose size is known only once read, the most a body may be.
 */
function declaredBodyBytes(method: string, length: string | undefined, counted: boolean, maxBody: number): number {
  // The Node server gives these no body, whatever their headers say.
  if (method === "GET" || method === "HEAD") return 0;
  if (counted) return maxBody;
  return length === undefined ? 0 : Number.parseInt(length, 10) || 0;
}

/** What a request whose client went away is counted and logged as (see the app's first middleware). */
const clientLeftStatus = httpStatusOfCode("aborted");

/** Renders any error in the dialect of the request path. */
export function renderError(path: string, error: unknown): Response {
  const wren = toWrenError(error);
  const dialect = dialectOfPath(path);
  const { status, body, headers } = errorResponse(wren, dialect, path.startsWith("/v1/responses") ? "responses" : undefined);
  return new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json", ...headers } });
}

/**
 * Builds the HTTP app: OpenAI (`/v1`), Anthropic (`/v1/messages`), Gemini (`/v1beta`) and Ollama
 * (`/api`) dialects over one model host, plus `/health`, `/ready` and `/metrics`. It does not listen; runtime/ does.
 */
export function createServerApp(options: ServerAppOptions): ServerApp {
  const logger = options.logger ?? pino({ level: "silent" });
  const metrics = new ServerMetrics();
  const maxBody = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const bodies = new BodyBudget(Math.max(maxBody, options.maxBodyBytesInFlight ?? DEFAULT_MAX_BODY_BYTES_IN_FLIGHT), {
    held: (delta) => metrics.bodyBytes.addTo("", delta),
    waiting: (delta) => metrics.bodyWaiting.addTo("", delta),
  });
  metrics.bodyBytes.addTo("", 0);
  metrics.bodyWaiting.addTo("", 0);
  const ctx = createServerContext(options.host, metrics, logger, options.version ?? "0.0.0", bodies, options.requestTimeoutMs ?? 0, options.streamHeadersAfterMs ?? 15_000);
  const app = new Hono<{ Variables: AuthVariables }>();

  const logRequests = logger.isLevelEnabled("info");
  // The series of wren_requests_total by dialect and status, each key made once (both are few).
  const requestKeys = new Map<string, string>();
  const requestSeries = (dialect: string, status: number): string => {
    const id = `${dialect} ${status}`;
    let key = requestKeys.get(id);
    if (key === undefined) {
      key = seriesKey({ dialect, status: String(status) });
      requestKeys.set(id, key);
    }
    return key;
  };
  app.use("*", async (c, next) => {
    const id = headerValue(c.req.header("x-request-id") ?? randomUUID());
    const started = logRequests ? performance.now() : 0;
    const dialect = dialectOfPath(c.req.path);
    // Served by Node: on its response up front, which merges it into whatever the route returns.
    const outgoing = nodeResponseOf(c.env);
    outgoing?.setHeader("x-request-id", id);
    metrics.inFlight.addTo("", 1);
    try {
      await next();
    } finally {
      metrics.inFlight.addTo("", -1);
      if (!outgoing) setResponseHeader(c, "x-request-id", id);
      // A client that went away while its request's work listened for it gets no answer: 499, as
      // proxies log it, not the status of an answer sent to nobody (a cancelled wait counted as 200).
      const status = openedScope(c.req.raw)?.clientLeft === true ? clientLeftStatus : c.res.status;
      if (c.req.path !== "/metrics" && c.req.path !== "/health") metrics.requests.addTo(requestSeries(dialect, status), 1);
      if (logRequests) logger.info({ reqId: id, method: c.req.method, path: loggedPath(c.req.path), status, ms: Math.round(performance.now() - started) }, "request");
    }
  });

  const origins = options.corsOrigins ?? [];
  const corsOn = origins.length > 0;
  if (corsOn) {
    app.use("*", cors({ origin: origins.includes("*") ? "*" : origins, exposeHeaders: ["x-request-id", "x-wren-input-truncated", "retry-after", "x-wren-provider", "x-wren-model", "x-wren-route", "x-wren-reason", "x-wren-adapter"] }));
  }

  // Before any key is checked: a page of another origin, or one rebound to loopback, gets nothing, whatever the server's keys.
  app.use("*", browserCheck({ corsOrigins: origins, exposed: options.exposed }));

  app.use("*", clientAuth({ apiKey: options.apiKey, keys: options.keys, peerKey: options.peer?.key, exposed: options.exposed, ownerKey: options.ownerKey }));

  const rateLimit = options.rateLimit;
  if (rateLimit) {
    app.use("*", async (c, next) => {
      if (c.req.method === "OPTIONS" || c.req.path === "/health" || c.req.path === "/ready" || c.req.path === "/metrics") return next();
      const refusal = await rateLimit(c.get("client"));
      if (refusal) throw refusal;
      return next();
    });
  }

  app.use(
    "*",
    bodySizeLimit(maxBody, (c, error) => renderError(c.req.path, error)),
  );

  // After the body limit, which marks a chunked or compressed body to be counted as it is read. The
  // request owns its timeout timer and linked signal; a streamed body holds them until it ends.
  // Streamed bodies are written straight to Node's response (see stream-response.ts), except with
  // CORS on: its middleware puts its headers on hono's response, which that would bypass.
  // The body's bytes are held from before it is read until the request ends (see BodyBudget).
  app.use("*", async (c, next) => {
    const scope = ctx.open(c.req.raw, c.get("client"), corsOn ? undefined : nodeResponseOf(c.env));
    try {
      const bytes = declaredBodyBytes(c.req.method, c.req.header("content-length"), countedBody(c.req.raw) !== undefined, maxBody);
      if (bytes > 0) {
        // Served by Node, a body not yet in whole is watched: cut (408) if it trickles in while others wait for its room.
        const incoming = nodeRequestOf(c.env);
        const arriving = incoming && !incoming.complete ? arrivingBody(incoming, scope) : undefined;
        const held = bodies.acquire(bytes, () => scope.signal, arriving);
        if (typeof held === "function") scope.whenReleased(held);
        else {
          scope.whenReleased(await held);
          scope.waitedForRoom = true;
        }
      }
      await next();
    } finally {
      scope.end();
    }
  });

  app.route("/", opsRoutes(ctx, options.extraMetrics));
  // Chat completions created with store: true, over HTTP or the WebSocket.
  const storedChats = new StoredChatCompletions(ctx.logger);
  if (options.websocket) app.get("/v1/ws", websocketRoute(ctx, storedChats, options.websocket === true ? {} : options.websocket));
  if (options.peer) app.route("/v1", peerRoutes({ key: options.peer.key, info: options.peer.info }));
  if (options.decisions) app.route("/v1", routerRoutes(options.decisions));
  app.route("/v1beta", geminiRoutes(ctx));
  // Before OpenAI's: Gemini's /v1/models GETs pass requests that are not from a Gemini client on to them.
  app.route("/v1", geminiRoutes(ctx, { besideOpenAI: true }));
  app.route("/v1", adaptersRoutes(ctx));
  app.route("/v1", anthropicRoutes(ctx));
  app.route("/v1", openaiRoutes(ctx, storedChats));
  app.route("/v1", responsesRoutes(ctx));
  app.route("/api", ollamaRoutes(ctx, options.ollamaVersion));
  app.get("/", ollamaProbe);

  // Which methods a path has, for a 405 instead of a 404 when it exists under another: built on the
  // first request that matches no route, never on the way of one that does.
  let methods: RegExpRouter<string> | undefined;
  const allowedMethods = (path: string): string[] => {
    if (!methods) {
      methods = new RegExpRouter<string>();
      for (const route of app.routes) if (route.method !== "ALL") methods.add(route.method, route.path, route.method);
    }
    const router = methods;
    return ["GET", "POST", "PUT", "PATCH", "DELETE"].filter((method) => router.match(method, path)[0].length > 0);
  };
  app.notFound((c) => {
    const allowed = c.req.method === "OPTIONS" || c.req.method === "HEAD" ? [] : allowedMethods(c.req.path);
    // A route of this method that passed the request on (`next()`) is no other method's business.
    if (allowed.length === 0 || allowed.includes(c.req.method)) {
      return renderError(c.req.path, new WrenError("not_found", `There is no route ${c.req.method} ${c.req.path}.`, { hint: "See docs/server.md for the endpoints wren serves." }));
    }
    const refused = renderError(c.req.path, new WrenError("method_not_allowed", `${c.req.path} takes ${allowed.join(" or ")}, not ${c.req.method}.`));
    refused.headers.set("allow", allowed.join(", "));
    return refused;
  });
  app.onError((error, c) => {
    const wren = toWrenError(error);
    if (wren.code === "internal") logger.error({ err: error, path: loggedPath(c.req.path) }, "request failed");
    const rendered = renderError(c.req.path, wren);
    // Refused before its body arrived whole (a slow body cut): the connection closes after the
    // answer, instead of Node reading the rest of the body to keep it.
    const incoming = nodeRequestOf(c.env);
    if (incoming && !incoming.complete) rendered.headers.set("connection", "close");
    return rendered;
  });
  return { app, context: ctx };
}
