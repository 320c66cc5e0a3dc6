import { Budgets } from "../router/budget.js";
import { systemClock } from "../router/clock.js";
import { MemoryStateStore } from "../router/state/memory-store.js";
import type { StateStore } from "../router/state/state-store.js";
import path from "node:path";
import type { WrenConfig } from "../config/index.js";
import type { LanguageModel, StreamPart, TokenCounter } from "../protocol/index.js";
import { LocalProviderModel } from "../providers/local.js";
import type { PeerSource } from "../providers/peer/index.js";
import type { ProviderLog } from "../providers/provider-log.js";
import { PoolSet } from "../providers/pool/index.js";
import { createModel, parseModelRef, type ProviderSettings } from "../providers/registry.js";
import { ConsentGate } from "../router/consent.js";
import { DecisionLog } from "../router/decisions.js";
import { DecisionsFile } from "./decisions-file.js";
import { SharedDecisionLog } from "../router/shared-decisions.js";
import { HealthChecker, httpProbe } from "../router/health.js";
import type { RouteNode } from "../router/route.js";
import { Router, type SafetyRule } from "../router/router.js";
import type { RouterTarget } from "../router/target.js";
import { serializeError, toWrenError, WrenError } from "../shared/errors.js";
import type { Env } from "../shared/paths.js";

type RouterConfig = WrenConfig["router"];

/** The local model as the router sees it. */
export interface LocalForRouter {
  /** Registry id without the `local:` prefix, e.g. `qwen3-0.6b`. */
  id: string;
  model: LanguageModel & Partial<TokenCounter>;
  contextLength: number;
  /** False while loading; the router escalates with reason `loading`. */
  isReady?: () => boolean;
  /** Resolves once loaded (starting the load): a turn no other target takes waits for it (see `LocalTargetInfo.whenReady`). */
  whenReady?: (signal?: AbortSignal) => Promise<void>;
}

export interface BuildRouterOptions {
  config: RouterConfig;
  /** Absent in proxy-only mode or while no local model is configured. */
  local?: LocalForRouter | undefined;
  env?: Env;
  /** `--offline` on the command line. */
  offline?: boolean;
  /** The CLI's once-per-session question for `cloud = "ask"`; the server passes none. `signal`: the asking request's. */
  ask?: (target: string, signal?: AbortSignal) => Promise<boolean>;
  /** The refusal's hint when cloud use is `ask` and `ask` is absent (the CLI without a terminal). */
  noAskHint?: string;
  /** Appends each decision as a JSON line here, for `wren router log` / `stats` in other processes. */
  decisionsFile?: string | undefined;
  /** The LAN peers discovery knows, for `peer:` targets; absent when discovery is off. */
  peers?: PeerSource | undefined;
  /** Where the providers' SDKs warn (a deprecated model, say): the server's logger. Default: nowhere, never the console. */
  log?: ProviderLog | undefined;
  /** Where budgets are counted (Redis for replicas: also the breakers and the decision log). Default: in this process. */
  store?: StateStore | undefined;
}

export interface BuiltRouter extends Disposable {
  router: Router;
  log: DecisionLog;
  /** What `/v1/router/decisions` serves: every replica's decisions when the store shares them, else `log`. */
  decisions: DecisionLog | SharedDecisionLog;
  health: HealthChecker;
  /** The pools its targets use (replica counts and health, for `/metrics`). */
  pools: PoolSet;
  /** `router.budgets` over the store, for `/metrics`. */
  budgets: Budgets;
}

/** A route as the config schema types it. */
type ConfigRoute = WrenConfig["router"]["routes"][string];

/** Config routes allow `provider:model` strings and `{ weight, route }` entries; the router wants nodes. */
export function normalizeRoute(input: ConfigRoute): RouteNode {
  if (typeof input === "string") return { type: "target", target: input };
  switch (input.type) {
    case "target":
      return { type: "target", target: input.target, ...(input.reason ? { reason: input.reason } : {}) };
    case "fallback":
      return { type: "fallback", targets: input.targets.map(normalizeRoute), ...(input.onStatus ? { onStatus: input.onStatus } : {}) };
    case "loadbalance":
      return { type: "loadbalance", targets: input.targets.map((t) => ({ weight: t.weight, node: normalizeRoute(t.route) })) };
    case "conditional":
      return {
        type: "conditional",
        branches: input.branches.map((b) => ({ when: b.when, then: normalizeRoute(b.then), ...(b.reason ? { reason: b.reason } : {}) })),
        ...(input.otherwise === undefined ? {} : { otherwise: normalizeRoute(input.otherwise) }),
      };
  }
}

function targetIds(node: RouteNode, out: Set<string>): Set<string> {
  switch (node.type) {
    case "target":
      out.add(node.target);
      break;
    case "fallback":
      node.targets.forEach((t) => targetIds(t, out));
      break;
    case "loadbalance":
      node.targets.forEach((t) => targetIds(t.node, out));
      break;
    case "conditional":
      node.branches.forEach((b) => targetIds(b.then, out));
      if (node.otherwise) targetIds(node.otherwise, out);
      break;
  }
  return out;
}

/** A model that cannot be built (say, its key is missing) answers with that error, so the route can fall back. */
function brokenModel(id: string, error: WrenError): LanguageModel {
  const { provider, modelId } = parseModelRef(id);
  const part: StreamPart = { type: "error", error: serializeError(error) };
  return {
    provider,
    modelId,
    doGenerate: () => Promise.reject(error),
    doStream: async function* () {
      yield part;
    },
  };
}

function healthUrl(kind: string | undefined, provider: string, baseURL: string): string {
  const base = baseURL.replace(/\/+$/, "");
  if (provider === "ollama" || kind === "ollama") return `${base}/api/tags`;
  if (provider === "anthropic" || kind === "anthropic") return `${base}/v1/models`;
  if (provider === "gemini" || kind === "gemini") return `${base}/v1beta/models`;
  return `${base}/models`;
}

/**
 * Builds the router from `[router]` config: the default route is the local model then the
 * teachers (teachers only in proxy-only mode) unless `routes.default` says otherwise.
 */
export function buildRouter(options: BuildRouterOptions): BuiltRouter {
  const { config } = options;
  const env = options.env ?? process.env;
  const local = config.proxyOnly ? undefined : options.local;
  const localId = local ? `local:${local.id}` : undefined;

  const routes: Record<string, RouteNode> = {};
  for (const [name, route] of Object.entries(config.routes)) routes[name] = normalizeRoute(route);
  if (!routes["default"]) {
    const ids = [...(localId ? [localId] : []), ...config.teachers];
    if (ids.length === 0) {
      throw new WrenError("config_invalid", "The router has nowhere to send requests: no local model and no teachers.", {
        hint: 'Set models.default for a local model, or router.teachers (e.g. ["anthropic:claude-sonnet-4-6"]).',
      });
    }
    routes["default"] = { type: "fallback", targets: ids.map((target) => ({ type: "target" as const, target })) };
  }
  const safety: SafetyRule[] = config.safety.map((rule) => ({
    name: rule.name,
    match: rule.match,
    ...(rule.flags ? { flags: rule.flags } : {}),
    route: normalizeRoute(rule.route),
  }));

  const ids = new Set<string>();
  Object.values(routes).forEach((r) => targetIds(r, ids));
  safety.forEach((s) => targetIds(s.route, ids));

  const consent = new ConsentGate({
    policy: config.cloud,
    offline: options.offline || config.offline,
    ...(options.ask ? { ask: options.ask } : {}),
    ...(options.noAskHint ? { noAskHint: options.noAskHint } : {}),
  });
  const providers: Record<string, ProviderSettings> = config.providers;
  // One probe per provider endpoint: every target of a provider reads its health URL's result.
  const health = new HealthChecker(new Map(), { intervalMs: config.healthIntervalMs });
  // A pool off this machine checks its replicas only with cloud use allowed, as teachers are probed.
  const pools = new PoolSet({ checkOffMachine: consent.policy === "allow" });

  const makeTarget = (id: string): RouterTarget => {
    const timeouts = { ...config.timeouts, ...config.targetTimeouts[id] };
    if (local && id === localId) {
      const model = new LocalProviderModel(local.model, local.id);
      return {
        id,
        model,
        leavesMachine: false,
        timeouts,
        local: {
          // Read per request: a served model's context may be chosen only when it loads.
          get contextLength(): number {
            return local.contextLength;
          },
          tokenCounter: model,
          ...(local.isReady ? { isReady: local.isReady } : {}),
          ...(local.whenReady ? { whenReady: local.whenReady } : {}),
        },
      };
    }
    try {
      const resolved = createModel(id, { providers, env, pools, log: options.log, ...(options.peers ? { peers: options.peers } : {}) });
      // Probing a cloud API sends a request off the machine: only with cloud use allowed. A pool checks its own replicas.
      if (resolved.baseURL && config.healthIntervalMs > 0 && providers[parseModelRef(id).provider]?.kind !== "pool" && (!resolved.leavesMachine || consent.policy === "allow")) {
        const { provider } = parseModelRef(id);
        const url = healthUrl(providers[provider]?.kind, provider, resolved.baseURL);
        health.watch(id, url, httpProbe(url));
      }
      return { id, model: resolved.model, leavesMachine: resolved.leavesMachine, timeouts };
    } catch (error) {
      const { provider } = parseModelRef(id);
      const settings = providers[provider];
      const failure = toWrenError(error);
      // A provider wren does not know is called nowhere: no consent to ask, the error says what is wrong.
      const leaves = failure.code !== "model_not_found" && (settings?.cloud ?? provider !== "local");
      return { id, model: brokenModel(id, failure), leavesMachine: leaves, timeouts };
    }
  };

  const log = new DecisionLog(config.logSize);
  const file = options.decisionsFile ? new DecisionsFile(log, options.decisionsFile) : undefined;
  const shared = options.store?.log ? new SharedDecisionLog(log, options.store.log, { maxLength: config.logSize }) : undefined;
  const detach = shared?.attach();
  const targets = [...ids].map(makeTarget);
  const budgets = new Budgets(config.budgets, options.store ?? new MemoryStateStore(systemClock), systemClock);
  const router = new Router({
    targets,
    routes,
    safety,
    consent,
    prices: config.prices,
    retry: config.retry,
    breaker: config.breaker,
    sharedBreakers: options.store?.breakers,
    log,
    budgets,
    onBudgetExceeded: config.onBudgetExceeded,
    reserveOutputTokens: config.reserveOutputTokens,
    health,
    resolveDirect: makeTarget,
  });
  if (config.healthIntervalMs > 0) health.start();
  return {
    router,
    log,
    decisions: shared ?? log,
    health,
    pools,
    budgets,
    [Symbol.dispose]: () => {
      detach?.();
      health.stop();
      pools[Symbol.dispose]();
      file?.close();
    },
  };
}

/** Where decisions are appended for `wren router log` / `wren router stats`. */
export function decisionsFilePath(stateDir: string): string {
  return path.join(stateDir, "router-decisions.jsonl");
}
