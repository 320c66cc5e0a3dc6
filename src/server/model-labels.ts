/** The label that stands for every model name past the bound of {@link ModelLabels}. */
export const OTHER_MODEL_LABEL = "other";

/**
 * The `model` label of the metrics. A model the host serves (one it lists) is labelled by its id.
 * A name the host resolves on the fly (a router's `provider:model`) gets its own label only once a
 * request to it was admitted by a real target, and only up to `max` such names; past them, and
 * before admission, it is counted as `other`. Client-chosen names thus cannot grow `/metrics`.
 */
export class ModelLabels {
  readonly #dynamic = new Set<string>();

  constructor(
    private readonly served: (id: string) => boolean,
    readonly max = 32,
  ) {}

  /** The label of `id`; `admitted` says a real target accepted a request for it. */
  label(id: string, admitted: boolean): string {
    if (this.served(id) || this.#dynamic.has(id)) return id;
    if (!admitted || this.#dynamic.size >= this.max) return OTHER_MODEL_LABEL;
    this.#dynamic.add(id);
    return id;
  }
}
