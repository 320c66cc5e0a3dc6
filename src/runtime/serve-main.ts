import path from "node:path";
import type { Logger } from "pino";
import { flagsFromOptions, loadConfig } from "../config/index.js";
import { checkModelFiles } from "../engine/index.js";
import { WrenError } from "../shared/errors.js";
import { resolvePaths, type Env } from "../shared/paths.js";
import { wrenVersion } from "../shared/version.js";
import { adapterRegistryPath } from "./adapters.js";
import { hostLoadReport } from "./daemon-load.js";
import { checkKeyLimits, resolveClientKeys } from "./client-keys.js";
import { daemonOwnerKey } from "./daemon-identity.js";
import { becomeDaemon } from "./daemon-serve.js";
import { writeStartError, type DaemonStartPhase } from "./daemon-start-error.js";
import { daemonFiles } from "./daemon-state.js";
import { defaultModel } from "./default-model.js";
import { resolveEmbeddedDefault } from "./embedded-default.js";
import { loadModelsContext, resolveModelForUser } from "./models.js";
import { decisionsFilePath } from "./router.js";
import { isProxyOnly, startServer, type RunningServer } from "./serve.js";
import { checkServedAdapter } from "./serve-adapter-check.js";
import type { ServedModelSpec } from "./serve-host.js";
import { createServerLogger } from "./server-logger.js";

/** Flags of `wren serve` (strings as commander gives them). */
export interface ServeFlags {
  model: string[];
  host?: string;
  port?: string;
  apiKey?: string;
  cors: string[];
  gpu?: string;
  threads?: string;
  context?: string;
  /** The earlier name of `--context`. */
  contextSize?: string;
  sequences?: string;
  offline?: boolean;
  /** `json`, `pretty` or `auto` (pretty on a terminal): sets `logging.format`. */
  logFormat?: string;
  /** `--advertise`: announce this server to LAN peers over mDNS (sets `peers.advertise`). */
  advertise?: boolean;
  /** Run as the background daemon: hold the PID/lock file and publish the address in the state dir. */
  daemon?: boolean;
}

/**
 * Starts the server the way `wren serve` does: config layers + flags, models resolved (pulled if
 * needed). `ownerKey`: as the daemon, the key its own user's commands send (see `daemonOwnerKey`).
 * `start.phase` is `models` while the models named are resolved, so a failure can say it was theirs.
 */
export async function startServerFromConfig(flags: ServeFlags, env: Env = process.env, logger?: Logger, ownerKey?: string, start?: { phase: DaemonStartPhase }): Promise<RunningServer> {
  const { flags: configFlags, flagLabels } = flagsFromOptions(
    { ...flags, context: flags.context ?? flags.contextSize, contextSize: undefined, cors: flags.cors.length > 0 ? flags.cors : undefined },
    { host: "server.host", port: "server.port", apiKey: "server.apiKey", cors: "server.cors", gpu: "engine.gpu", threads: "engine.threads", context: "engine.contextSize", sequences: "engine.sequences", logFormat: "logging.format", advertise: "peers.advertise" },
  );
  // The daemon serves whoever asks, from any project: a project's wren.toml (found from whatever
  // folder it runs in) does not configure it. Its own user's file, environment and flags do.
  const projectFile = flags.daemon ? false : undefined;
  const { config, sources } = await loadConfig({ env, flags: configFlags, flagLabels, projectFile });
  // Before any model loads: a missing key or a limit naming no key is a config error now.
  const keys = resolveClientKeys(config.server.keys, env);
  checkKeyLimits(config.router, keys);
  // Unless a context size is set somewhere (flag, env, config file), each model gets the largest that fits.
  const contextSet = sources.some((s) => s.key === "engine.contextSize" && s.layer !== "default");
  // The daemon's standard error is its daemon.log: kept to a size, since every request adds a line.
  const logFile = flags.daemon ? { path: daemonFiles(resolvePaths(env).stateDir).log } : undefined;
  const log = logger ?? createServerLogger({ level: config.logging.level, format: config.logging.format, ...(logFile ? { file: logFile } : {}) });
  const context = await loadModelsContext({ env, projectFile });
  const noLocalConfigured = flags.model.length === 0 && config.server.models.length === 0 && !config.models.default;
  // Proxy-only: nothing local to resolve or pull; every request goes to the teachers.
  const proxyOnly = isProxyOnly(config.router, !noLocalConfigured);
  // With nothing configured, wren serves its embedded default (pulled on first run).
  const fallback = !proxyOnly && flags.model.length === 0 && config.server.models.length === 0 ? defaultModel(config) : undefined;
  const wanted: Array<{ ref: string; id?: string; aliases?: string[]; contextSize?: number; adapter?: string; adapterScale?: number; draft?: string; speculative?: "auto" | "lookup" | "off" }> = proxyOnly
    ? []
    : flags.model.length > 0
      ? flags.model.map((ref) => ({ ref }))
      : config.server.models.length > 0
        ? config.server.models
        : [{ ref: fallback?.ref ?? "" }];
  const models: ServedModelSpec[] = [];
  // `router.offline` (config or WREN_ROUTER_OFFLINE) means nothing leaves the machine, as --offline does: no downloads either.
  const offline = (flags.offline ?? false) || config.router.offline;
  if (start) start.phase = "models";
  for (const w of wanted) {
    const contextSize = w.contextSize ?? (contextSet ? config.engine.contextSize : undefined);
    const resolved = fallback?.embedded ? await resolveEmbeddedDefault(w.ref, context, { offline, reason: fallback.reason }) : await resolveModelForUser(w.ref, context, { offline });
    // Resolved now: a draft that cannot be found fails the start, not the model's first request.
    const draft = w.draft ? await resolveDraft(w.draft, w.id ?? w.ref, context, offline) : undefined;
    models.push({
      path: resolved.path,
      id: w.id ?? (path.isAbsolute(w.ref) || w.ref.endsWith(".gguf") ? path.basename(resolved.path).replace(/\.gguf$/i, "") : w.ref),
      aliases: w.aliases ?? [],
      ...(contextSize === undefined ? {} : { contextSize }),
      sequences: config.engine.sequences,
      ...(w.adapter ? { adapter: { name: w.adapter, ...(w.adapterScale === undefined ? {} : { scale: w.adapterScale }) } } : {}),
      ...(draft ? { draft } : {}),
      ...(w.speculative ? { speculative: w.speculative } : {}),
    });
  }
  // wren serve loads the first model at start: a damaged file (or adapter) is refused before the
  // engine starts, as wren run refuses it (the others load on a request, which answers 400; the
  // command says at start which of them cannot load).
  const first = models[0];
  if (first) {
    await checkModelFiles(first.path, [], first.id);
    await checkServedAdapter(first, adapterRegistryPath(env));
  }
  if (start) start.phase = "setup";
  return startServer({
    models,
    host: config.server.host,
    port: config.server.port,
    gpu: config.engine.gpu,
    threads: config.engine.threads,
    promptCache: config.engine.promptCache,
    speculative: config.engine.speculative,
    adapterContexts: config.engine.adapterContexts,
    corsOrigins: config.server.cors,
    maxQueue: config.server.maxQueue,
    maxBodyBytes: config.server.maxBodyBytes,
    maxBodyBytesInFlight: config.server.maxBodyBytesInFlight,
    idleUnloadMs: config.server.idleUnloadSeconds * 1000,
    requestTimeoutMs: config.server.requestTimeout * 1000,
    logger: log,
    version: wrenVersion(),
    router: config.router,
    state: config.state,
    offline,
    env,
    decisionsFile: decisionsFilePath(resolvePaths(env).stateDir),
    store: { modelsDir: context.modelsDir, token: context.token },
    allowPull: config.server.allowPull,
    ollamaVersion: config.server.ollamaVersion,
    peers: config.peers,
    ...(config.server.apiKey ? { apiKey: config.server.apiKey } : {}),
    ...(keys.length > 0 ? { keys } : {}),
    ...(ownerKey ? { ownerKey } : {}),
  });
}

/** What keeps a served model from loading that its files show (see {@link checkModelFiles}, {@link checkServedAdapter}); none when they pass. */
async function servedModelProblem(spec: ServedModelSpec): Promise<WrenError | undefined> {
  try {
    await checkModelFiles(spec.path, [], spec.id);
    await checkServedAdapter(spec, adapterRegistryPath(process.env));
    return undefined;
  } catch (error) {
    if (error instanceof WrenError) return error;
    throw error;
  }
}

/** A served model's draft, resolved like any ref; its errors say which model's draft it was. */
async function resolveDraft(ref: string, model: string, context: Awaited<ReturnType<typeof loadModelsContext>>, offline: boolean): Promise<string> {
  try {
    return (await resolveModelForUser(ref, context, { offline })).path;
  } catch (cause) {
    if (!(cause instanceof WrenError)) throw cause;
    throw new WrenError(cause.code, `The draft model '${ref}' of served model '${model}': ${cause.message}`, {
      cause,
      hint: cause.hint ?? "Set server.models[].draft to a model in the store (`wren models list`) or a GGUF path, or remove it.",
    });
  }
}

/** `wren serve`: serve until SIGINT/SIGTERM (or, as the daemon, a shutdown request), then close cleanly. */
export async function serveCommand(flags: ServeFlags): Promise<number> {
  const files = daemonFiles(resolvePaths(process.env).stateDir);
  const daemon = flags.daemon ? await becomeDaemon(files) : undefined;
  const start: { phase: DaemonStartPhase } = { phase: "setup" };
  let server: RunningServer;
  try {
    // The daemon's own user's commands get in where its API requires a key (--advertise).
    server = await startServerFromConfig(flags, process.env, undefined, daemon ? daemonOwnerKey(daemon.control.token) : undefined, start);
    // Load the first model now: a broken file fails here, not on a client's first request, and /ready turns 200.
    const first = server.models.list()[0];
    if (first && daemon) {
      const host = server.models;
      // The assistant shows this load's progress, and asks for a load again after an idle unload.
      daemon.control.setLoad({ report: () => hostLoadReport(host, first.id), load: () => void host.acquire(first.id).then((lease) => lease.release(), () => undefined) });
    }
    if (first) {
      try {
        start.phase = "models";
        (await server.models.acquire(first.id)).release();
      } catch (error) {
        await server.close();
        throw error;
      }
    }
  } catch (error) {
    // The command that started the daemon shows a model the user named that is not there as wren
    // shows it without the daemon, not as the daemon's failure (daemon-start-error.ts).
    if (daemon) await writeStartError(files, start.phase, error);
    await daemon?.release();
    throw error;
  }
  const what = server.proxyOnly
    ? "no local model (proxy-only: every request goes to router.teachers or the routes)"
    : server.models.list().map((m) => m.id).join(", ");
  process.stderr.write(`wren: serving ${what} on ${server.url} (OpenAI /v1, Anthropic /v1/messages, Gemini /v1beta, Ollama /api; model "auto" goes through the router)\n`);
  const backend = server.engine?.backend;
  for (const s of backend?.skipped ?? []) {
    process.stderr.write(`wren: llama.cpp's ${s.backend} backend loads here but stops at its first computation (${s.reason}); serving on ${backend?.used} instead (\`wren doctor\` says more)\n`);
  }
  for (const m of server.models.list()) {
    if (!m.loaded || !m.contextLength) continue;
    // Said once at start: agent CLIs need long contexts, and this is where a user learns what they got.
    const chosen = server.models.spec(m.id)?.contextSize === undefined;
    process.stderr.write(
      `wren: ${m.id} gives each request a context of ${m.contextLength} tokens${chosen ? " (the largest that fits this machine, up to what the model was trained for; --context N sets another)" : ""}\n`,
    );
  }
  // The models after the first load on their first request: one whose file (or adapter) is damaged
  // or gone is said now, by the same checks the first had, rather than first found by a client.
  for (const m of server.models.list().slice(1)) {
    const spec = server.models.spec(m.id);
    const problem = spec && (await servedModelProblem(spec));
    if (problem) process.stderr.write(`wren: ${m.id} cannot be loaded; its requests are refused until this is fixed: ${problem.message}\n${problem.hint ? `  ${problem.hint}\n` : ""}`);
  }
  await daemon?.publish(server.url, wrenVersion());
  await new Promise<void>((resolve) => {
    const stop = (): void => {
      process.off("SIGINT", stop);
      process.off("SIGTERM", stop);
      resolve();
    };
    process.on("SIGINT", stop);
    process.on("SIGTERM", stop);
    void daemon?.control.shutdownRequested.then(stop);
  });
  daemon?.control.setPhase("stopping");
  await server.close();
  await daemon?.release();
  return 0;
}
