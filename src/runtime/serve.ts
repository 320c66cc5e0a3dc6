import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { serve, type ServerType } from "@hono/node-server";
import type { Logger } from "pino";
import { pino } from "pino";
import { WebSocketServer } from "ws";
import { defaultConfig, type WrenConfig } from "../config/index.js";
import { Engine, type GpuChoice } from "../engine/index.js";
import { createServerApp, DEFAULT_MAX_BODY_BYTES, type ServerApp } from "../server/app.js";
import type { ClientKey } from "../server/auth.js";
import type { WebSocketLimits } from "../server/routes/ws.js";
import { poolMetricsText } from "../providers/pool/index.js";
import { knownModelRef } from "../providers/registry.js";
import { routerMetricsText } from "../router/report.js";
import { checkPeersConfig, type PeerDirectory } from "../peers/index.js";
import { WrenError } from "../shared/errors.js";
import { isLoopbackHost } from "../shared/loopback.js";
import type { Env } from "../shared/paths.js";
import { LeasedLocalModel } from "./leased-local-model.js";
import { RoutedModelHost } from "./router-host.js";
import { adapterRegistryPath } from "./adapters.js";
import { ServedAdapters } from "./adapters-serve.js";
import { buildRouter, type BuiltRouter } from "./router.js";
import { LocalModelHost, type ServedModelSpec } from "./serve-host.js";
import { serverPeers } from "./serve-peers.js";
import { speculativeMetricsText } from "./speculative-metrics.js";
import { budgetMetricsText, openStateStore, rateLimitCheck } from "./shared-state.js";
import type { StateStore } from "../router/state/state-store.js";
import { StoreModelManager } from "./serve-model-manager.js";
import { DEFAULT_MAX_WEBSOCKETS, serveOtherUpgradesPlainly } from "./serve-upgrade.js";
import { tuneHeapForServing } from "./serving-heap.js";

/** Options of {@link startServer}. */
export interface StartServerOptions {
  /**
   * Local models to serve. Empty (or ignored, with `router.proxyOnly`): proxy-only serving, with no
   * engine; `auto`, the routes and `provider:model` all go to the router's teachers.
   */
  models: ServedModelSpec[];
  /** Address to bind. Default `127.0.0.1`. Anything but loopback requires `apiKey`. */
  host?: string;
  /** Port; 0 picks a free one. Default 11435. */
  port?: number;
  apiKey?: string;
  /** Named client keys (`server.keys`, each `keyEnv` already read): each client is known by its key's name. Default: none. */
  keys?: ClientKey[];
  /**
   * As the daemon: the key its own user's wren commands send (derived from the daemon's lock token,
   * see `daemonOwnerKey`), let in where a key is required. Default: none.
   */
  ownerKey?: string;
  corsOrigins?: string[];
  /** llama.cpp backend. Default `auto`. */
  gpu?: GpuChoice;
  /** Compute threads. Default: available parallelism. */
  threads?: number;
  /** Prompt reuse across requests (engine.promptCache). Default: on, 64 saved states in at most 1 GiB. */
  promptCache?: { reuse: boolean; bytes: number; entries: number };
  /** Speculative decoding of every served model unless its spec says otherwise (engine.speculative). Default `auto`. */
  speculative?: "auto" | "lookup" | "off";
  /** Contexts each local model holds at once for LoRA adapters requests name (engine.adapterContexts). Default 4. */
  adapterContexts?: number;
  /** An engine to share; default: one created (and disposed) by the server. */
  engine?: Engine;
  idleUnloadMs?: number;
  maxLoaded?: number;
  /** Requests that may wait for each local model's sequences (its one queue); past it, 429. Default 16. */
  maxQueue?: number;
  maxBodyBytes?: number;
  /** Bytes of request bodies held at once by the requests running; more wait for room. Default 32 MiB. */
  maxBodyBytesInFlight?: number;
  /** Milliseconds a request may take in all; 0 for no limit. Default 0. */
  requestTimeoutMs?: number;
  /**
   * Limits of the `/v1/ws` WebSockets: each socket's ({@link WebSocketLimits}), and `maxSockets`
   * open at once (default {@link DEFAULT_MAX_WEBSOCKETS}; one more is refused with 503).
   */
  webSocket?: WebSocketLimits & { maxSockets?: number };
  /** Load every model before listening. Default false (load on first use). */
  preload?: boolean;
  logger?: Logger;
  version?: string;
  /**
   * `[router]` config. Model `auto`, the route names and `provider:model` ids go through the router,
   * with the first served model as its `local` target; the served models' own names go straight to
   * them. Default: the config defaults (the default route is the first model alone; cloud `ask`).
   */
  router?: WrenConfig["router"];
  /** `[state]`: where rate limits and budgets are counted; `state.redis` shares them across replicas. Default: in this process. */
  state?: WrenConfig["state"];
  /** `--offline`: the router never leaves this machine. Default false. */
  offline?: boolean;
  /** Where provider keys are read from. Default `process.env`. */
  env?: Env;
  /** Appends every routing decision here as a JSON line, for `wren router log` / `stats`. Default: none. */
  decisionsFile?: string;
  /**
   * wren's model store, for Ollama's `/api/pull`, `/api/create`, `/api/copy` and `/api/delete`.
   * Default: none (the served models are fixed; those endpoints answer that they are not offered).
   */
  store?: { modelsDir: string; token?: string | undefined };
  /** `server.allowPull`: may clients pull models. Default: true on loopback, false when exposed. */
  allowPull?: boolean | undefined;
  /** What `/api/version` reports to Ollama clients. Default: the server app's default. */
  ollamaVersion?: string;
  /** The LoRA adapter registry requests may name adapters from. Default: the one in wren's data directory. */
  adapterRegistry?: string;
  /** `[peers]`: advertise this server to LAN peers and use theirs (`peer:` targets). Default: neither. */
  peers?: WrenConfig["peers"];
}

/** A listening server. */
export interface RunningServer extends AsyncDisposable {
  url: string;
  host: string;
  port: number;
  app: ServerApp;
  /** The served local models (none in proxy-only mode). */
  models: LocalModelHost;
  /** True when no local model is served and every request goes to the teachers. */
  proxyOnly: boolean;
  /** The router in front of the models (its decision log backs `/v1/router/decisions`). */
  router: BuiltRouter;
  /** Undefined in proxy-only mode: no local model, no engine. */
  engine: Engine | undefined;
  close(): Promise<void>;
}

export const DEFAULT_PORT = 11435;

/** Why listen() failed, in words: "the address is already in use" rather than "listen EADDRINUSE: …". */
function listenProblem(error: NodeJS.ErrnoException): string {
  if (error.code === "EADDRINUSE") return "the address is already in use";
  if (error.code === "EACCES") return "permission denied (ports below 1024 need privileges)";
  return error.message.replace(/[.\s]+$/, "");
}

/**
 * Builds the server from the local engine and listens. Refuses to bind beyond loopback without an
 * API key, so a model is never exposed to the network by accident.
 */
export async function startServer(options: StartServerOptions): Promise<RunningServer> {
  const host = options.host ?? "127.0.0.1";
  const exposed = !isLoopbackHost(host);
  // Before anything starts: advertising without a key is refused (peers.key).
  if (options.peers) checkPeersConfig(options.peers);
  if (exposed && !options.apiKey && !options.keys?.length && !(options.peers?.advertise && options.peers.key)) {
    // A refusal of the configuration given (exit 2, as any usage or config error), not of a client.
    throw new WrenError("config_invalid", `Binding to ${host} exposes the server beyond this machine, and no API key is set.`, {
      hint: "Pass --api-key KEY (or set server.apiKey / WREN_SERVER_API_KEY), or bind 127.0.0.1.",
    });
  }
  const routerConfig = options.router ?? defaultConfig({ env: {} }).router;
  const proxyOnly = isProxyOnly(routerConfig, options.models.length > 0);
  if (options.models.length === 0 && !proxyOnly) {
    throw new WrenError("config_invalid", "No model to serve.", {
      hint: 'Pass --model REF (repeatable) or configure server.models; or set router.teachers (e.g. ["openai:gpt-4o-mini"]) to send every request to them.',
    });
  }
  const logger = options.logger ?? pino({ level: "silent" });
  // Before the first request: what V8 learns under load must not slow the young collections after it.
  tuneHeapForServing();
  const ownEngine = options.engine === undefined && !proxyOnly;
  const engine = proxyOnly
    ? options.engine
    : (options.engine ?? (await Engine.create({
        ...(options.gpu ? { gpu: options.gpu } : {}),
        ...(options.threads ? { threads: options.threads } : {}),
        ...(options.promptCache ? { promptCache: { reuse: options.promptCache.reuse, maxBytes: options.promptCache.bytes, maxEntries: options.promptCache.entries } } : {}),
        ...(options.speculative ? { speculative: options.speculative } : {}),
        ...(options.adapterContexts !== undefined ? { adapterContexts: options.adapterContexts } : {}),
      })));
  const models = new LocalModelHost({
    engine,
    models: proxyOnly ? [] : options.models,
    ...(options.idleUnloadMs !== undefined ? { idleUnloadMs: options.idleUnloadMs } : {}),
    ...(options.maxLoaded !== undefined ? { maxLoaded: options.maxLoaded } : {}),
    onEvent: (event, fields) => logger.info(fields, event),
    ...(options.maxQueue !== undefined ? { maxQueued: options.maxQueue } : {}),
    adapters: new ServedAdapters(options.adapterRegistry ?? adapterRegistryPath(options.env ?? process.env)),
  });
  await models.describe();
  if (options.store && !proxyOnly) {
    models.manager = new StoreModelManager({
      host: models,
      modelsDir: options.store.modelsDir,
      token: options.store.token,
      env: options.env ?? process.env,
      allowPull: options.allowPull ?? !exposed,
      allowFiles: !exposed,
      offline: options.offline ?? false,
      sequences: options.models[0]?.sequences,
      contextSize: options.models[0]?.contextSize,
      routerLocal: models.list()[0]?.id,
    });
  }
  if (options.preload) {
    for (const m of models.list()) (await models.acquire(m.id)).release();
  }
  let router: BuiltRouter;
  const built: { app?: ServerApp } = {};
  const peers = serverPeers(options.peers, options.version ?? "0.0.0", { offline: options.offline ?? false });
  const stateStore = await openStateStore(options.state, logger);
  try {
    router = routerFor(options, routerConfig, models, peers.directory, stateStore);
  } catch (error) {
    await stateStore.close();
    await peers[Symbol.asyncDispose]();
    await models.dispose();
    if (ownEngine) await engine?.dispose();
    throw error;
  }
  const rateLimit = rateLimitCheck(options.router, stateStore);
  const app = createServerApp({
    // Without local models the routed names count as loaded, so /ready is 200 from the start.
    host: new RoutedModelHost({
      router: router.router,
      base: proxyOnly ? undefined : models,
      routes: routeNames(options.router),
      local: proxyOnly ? undefined : localCounter(models),
      isTarget: (name) => knownModelRef(name, options.router?.providers) !== undefined,
    }),
    decisions: router.decisions,
    extraMetrics: async () =>
      routerMetricsText(router.log.stats()) +
      poolMetricsText(router.pools.snapshot()) +
      speculativeMetricsText(engine?.models ?? []) +
      // A Redis that is down leaves the budget gauges out rather than failing the whole scrape.
      budgetMetricsText(await router.budgets.status().catch(() => [])),
    ...(rateLimit ? { rateLimit } : {}),
    exposed,
    logger,
    ...(options.apiKey ? { apiKey: options.apiKey } : {}),
    ...(options.keys ? { keys: options.keys } : {}),
    ...(options.ownerKey ? { ownerKey: options.ownerKey } : {}),
    ...(options.corsOrigins ? { corsOrigins: options.corsOrigins } : {}),
    ...(options.maxBodyBytes !== undefined ? { maxBodyBytes: options.maxBodyBytes } : {}),
    ...(options.maxBodyBytesInFlight !== undefined ? { maxBodyBytesInFlight: options.maxBodyBytesInFlight } : {}),
    ...(options.requestTimeoutMs !== undefined ? { requestTimeoutMs: options.requestTimeoutMs } : {}),
    ...(options.version ? { version: options.version } : {}),
    ...(options.ollamaVersion ? { ollamaVersion: options.ollamaVersion } : {}),
    websocket: options.webSocket ?? true,
    ...peers.appOption(() => ({ models, app: built.app, backend: engine?.backend.used })),
  });
  built.app = app;
  // A WebSocket message is a request body too: ws would otherwise take messages of up to 100 MiB,
  // each parsed on the server's thread (one of 60 MB took RSS from 155 to 409 MB, for good). A larger
  // one closes the socket with 1009 (message too big).
  const wss = new WebSocketServer({ noServer: true, maxPayload: options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES });
  const server = await new Promise<ServerType>((resolve, reject) => {
    // The mDNS sockets would keep the process alive after a failed listen.
    const failed = (error: Error) => void Promise.resolve(peers[Symbol.asyncDispose]()).finally(() => reject(error));
    const s = serve({ fetch: app.app.fetch, hostname: host, port: options.port ?? DEFAULT_PORT, websocket: { server: wss } }, () => resolve(s));
    s.once("error", (error: NodeJS.ErrnoException) =>
      failed(
        // The message ends in a full stop so the hint that follows reads as its own sentence.
        new WrenError("bad_request", `Cannot listen on ${host}:${options.port ?? DEFAULT_PORT}: ${listenProblem(error)}.`, {
          cause: error,
          hint: error.code === "EADDRINUSE" ? "Another process uses that port: pick another with --port, or stop it (`wren daemon status`)." : "Check --host and --port.",
        }),
      ),
    );
  });
  serveOtherUpgradesPlainly(server as Server, ["/v1/ws"], { wss, maxSockets: options.webSocket?.maxSockets ?? DEFAULT_MAX_WEBSOCKETS });
  const address = server.address() as AddressInfo;
  const shownHost = address.family === "IPv6" ? `[${address.address}]` : address.address;
  const url = `http://${shownHost}:${address.port}`;
  peers.advertise(address.port);
  logger.info({ url, models: models.list().map((m) => m.id), proxyOnly }, "listening");
  let closed: Promise<void> | undefined;
  const close = (): Promise<void> =>
    (closed ??= (async () => {
      wss.close();
      await peers[Symbol.asyncDispose]();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        if ("closeAllConnections" in server) server.closeAllConnections();
      });
      router[Symbol.dispose]();
      await stateStore.close();
      await models.dispose();
      if (ownEngine) await engine?.dispose();
    })());
  return { url, host, port: address.port, app, models, proxyOnly, router, engine, close, [Symbol.asyncDispose]: close };
}

/** The first served model's tokenizer (the router's `local` target), through a lease per count. */
function localCounter(models: LocalModelHost): { id: string; counter: LeasedLocalModel } | undefined {
  const first = models.list()[0];
  return first ? { id: first.id, counter: new LeasedLocalModel(models, first.id) } : undefined;
}

/**
 * Proxy-only serving: `router.proxyOnly`, or no local model while the router has teachers (or its
 * own default route) to send requests to.
 */
export function isProxyOnly(config: WrenConfig["router"], hasLocalModels: boolean): boolean {
  if (config.proxyOnly) return true;
  return !hasLocalModels && (config.teachers.length > 0 || config.routes["default"] !== undefined);
}

/** `default` and the configured route names, offered as models besides `auto`. */
function routeNames(config: WrenConfig["router"] | undefined): string[] {
  return [...new Set(["default", ...Object.keys(config?.routes ?? {})])];
}

/**
 * The router over the served models: the first one is its `local` target, reached through a lease
 * per request (so it loads on demand and unloads when idle); it counts as not ready while loading.
 */
function routerFor(
  options: StartServerOptions,
  config: WrenConfig["router"],
  models: LocalModelHost,
  peers: PeerDirectory | undefined,
  store: StateStore,
): BuiltRouter {
  const first = models.list()[0];
  const local = first
    ? {
        id: first.id,
        // Admitted by the model itself: routed requests wait in the same line as those naming it.
        model: new LeasedLocalModel(models, first.id),
        // Read per request: a context chosen to fit the machine is known once the model is loaded.
        get contextLength(): number {
          return models.resolve(first.id)?.contextLength ?? options.models[0]?.contextSize ?? 4096;
        },
        isReady: () => !models.isLoading(first.id),
      }
    : undefined;
  return buildRouter({
    config,
    local,
    env: options.env ?? process.env,
    offline: options.offline ?? false,
    ...(options.decisionsFile ? { decisionsFile: options.decisionsFile } : {}),
    ...(peers ? { peers } : {}),
    store,
    ...(options.logger ? { log: options.logger } : {}),
  });
}
