import type { TokenCounter } from "../protocol/index.js";
import type { Router } from "../router/router.js";
import type { ModelHost, ModelLease, ModelManager, ModelQueue, ServedAdapterInfo, ServedModelInfo } from "../server/model-host.js";
import { knownModelRef } from "../providers/registry.js";
import { WrenError } from "../shared/errors.js";

const builtInTarget = (name: string): boolean => knownModelRef(name, undefined) !== undefined;

/** Options of {@link RoutedModelHost}. */
export interface RoutedModelHostOptions {
  router: Router;
  /** Local models served by name (the engine's host); their ids go straight to them. */
  base?: ModelHost | undefined;
  /** Route names offered as models besides `auto`. Default: `["default"]`. */
  routes?: string[];
  /** What a routed name reports as its parallel requests (nothing admits by it: cloud targets queue upstream, the local target in its own model). Default 64. */
  parallel?: number;
  /**
   * The router's local model (its id without `local:`) and its tokenizer: a routed name whose
   * route starts at it counts tokens with it (`count_tokens`).
   */
  local?: { id: string; counter: TokenCounter } | undefined;
  /** True when `name` is `provider:model` with a provider the router can call. Default: a built-in provider's (see `knownModelRef`). */
  isTarget?: ((name: string) => boolean) | undefined;
}

/**
 * The server's ModelHost with the router in front: `auto` and route names go through the policy,
 * `provider:model` goes straight to that target (with consent and provenance), and the base host's
 * own model names are served as before.
 */
export class RoutedModelHost implements ModelHost {
  readonly #options: RoutedModelHostOptions;
  /**
   * The served models of `auto` and the configured routes, made once: each request for one of them
   * holds the same (its lease releases nothing but its count). Names of targets are not kept:
   * clients choose them, and the router keeps a bounded set of its own.
   */
  readonly #routeLeases = new Map<string, ModelLease>();
  /** Requests to routed names holding their lease now (see {@link routedInFlight}). */
  #routed = 0;

  constructor(options: RoutedModelHostOptions) {
    this.#options = options;
  }

  #isRoute(name: string): boolean {
    return name === "auto" || (this.#options.routes ?? ["default"]).includes(name);
  }

  /** Routed names count as loaded only without local models, so `/ready` and `/api/ps` follow the local ones. */
  #info(id: string): ServedModelInfo {
    return { id, aliases: [], loaded: this.#options.base === undefined, parallel: this.#options.parallel ?? 64, routed: true };
  }

  list(): ServedModelInfo[] {
    const routed = ["auto", ...(this.#options.routes ?? ["default"])].map((id) => this.#info(id));
    return [...(this.#options.base?.list() ?? []), ...routed];
  }

  resolve(name: string): ServedModelInfo | undefined {
    const local = this.#options.base?.resolve(name);
    if (local) return local;
    if (this.#isRoute(name) || (this.#options.isTarget ?? builtInTarget)(name)) return this.#info(name);
    return undefined;
  }

  /** The local models' admissions; routed names have none (their local target's is the local model's). */
  queues(): ModelQueue[] {
    return this.#options.base?.queues?.() ?? [];
  }

  /** The local host's LoRA adapters. */
  async adapters(): Promise<ServedAdapterInfo[]> {
    return (await this.#options.base?.adapters?.()) ?? [];
  }

  /** The local host's model management: routed names are no files to pull, copy or delete. */
  get manager(): ModelManager | undefined {
    return this.#options.base?.manager;
  }

  async keepAlive(id: string, ms: number): Promise<void> {
    const base = this.#options.base;
    if (base?.resolve(id)) await base.keepAlive?.(id, ms);
  }

  /**
   * Requests to routed names being answered now, a teacher's included: a daemon busy with them is
   * not idle, whatever its local models are doing. A request `auto` sends to the local model is
   * counted here and in that model's admission alike.
   */
  routedInFlight(): number {
    return this.#routed;
  }

  async acquire(id: string, signal?: AbortSignal): Promise<ModelLease> {
    const base = this.#options.base;
    if (base?.resolve(id)) return base.acquire(id, signal);
    let kept = this.#routeLeases.get(id);
    if (!kept) {
      const language = this.#options.router.model(id);
      kept = { model: { info: this.#info(id), language, tokens: this.#counter(id) }, release: () => undefined };
      if (this.#isRoute(id)) this.#routeLeases.set(id, kept);
    }
    // The model is shared; each request's lease counts it until released (once).
    this.#routed += 1;
    let held = true;
    return {
      model: kept.model,
      release: () => {
        if (!held) return;
        held = false;
        this.#routed -= 1;
      },
    };
  }

  /** The local tokenizer when the route starts at the local model; else a counter that says what to use. */
  #counter(id: string): TokenCounter {
    const local = this.#options.local;
    const first = this.#options.router.firstTarget(id);
    if (local && first === `local:${local.id}`) return local.counter;
    const start = first ? `starts at ${first}` : "picks its first target per request";
    return {
      countTokens: () =>
        Promise.reject(
          new WrenError("unsupported", `Model '${id}' cannot count tokens: its route ${start}, not at the local model.`, {
            hint: local
              ? `Count with the local model instead: model "${local.id}".`
              : "Token counting needs a local model: start the server with --model REF.",
          }),
        ),
    };
  }
}
