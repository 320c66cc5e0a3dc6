import type { Router } from "../router/router.js";
import type { ModelHost, ModelLease, ServedModelInfo } from "../server/model-host.js";

/** Options of {@link RoutedModelHost}. */
export interface RoutedModelHostOptions {
  router: Router;
  /** Local models served by name (the engine's host); their ids go straight to them. */
  base?: ModelHost | undefined;
  /** Route names offered as models besides `auto`. Default: `["default"]`. */
  routes?: string[];
  /** Requests a routed model admits at once (cloud targets queue upstream). Default 64. */
  parallel?: number;
}

const PROVIDER_MODEL = /^[a-z0-9][a-z0-9_-]*[:/].+$/i;

/**
 * The server's ModelHost with the router in front: `auto` and route names go through the policy,
 * `provider:model` goes straight to that target (with consent and provenance), and the base host's
 * own model names are served as before.
 */
export class RoutedModelHost implements ModelHost {
  readonly #options: RoutedModelHostOptions;

  constructor(options: RoutedModelHostOptions) {
    this.#options = options;
  }

  /** Routed names count as loaded only without local models, so `/ready` and `/api/ps` follow the local ones. */
  #info(id: string): ServedModelInfo {
    return { id, aliases: [], loaded: this.#options.base === undefined, parallel: this.#options.parallel ?? 64 };
  }

  list(): ServedModelInfo[] {
    const routed = ["auto", ...(this.#options.routes ?? ["default"])].map((id) => this.#info(id));
    return [...(this.#options.base?.list() ?? []), ...routed];
  }

  resolve(name: string): ServedModelInfo | undefined {
    const local = this.#options.base?.resolve(name);
    if (local) return local;
    if (name === "auto" || (this.#options.routes ?? ["default"]).includes(name) || PROVIDER_MODEL.test(name)) return this.#info(name);
    return undefined;
  }

  async acquire(id: string, signal?: AbortSignal): Promise<ModelLease> {
    const base = this.#options.base;
    if (base?.resolve(id)) return base.acquire(id, signal);
    const language = this.#options.router.model(id);
    return { model: { info: this.#info(id), language }, release: () => undefined };
  }
}
