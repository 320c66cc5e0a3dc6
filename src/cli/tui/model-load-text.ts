import type { ModelLoadState } from "../../runtime/model-load-state.js";

/**
 * The status line's words for the local model's load by the daemon, e.g. `loading qwen3 42% · a
 * teacher answers meanwhile`; undefined when there is nothing to say (not asked for yet, or ready).
 */
export function describeModelLoad(state: ModelLoadState | undefined): string | undefined {
  if (!state) return undefined;
  const meanwhile = state.meanwhile === "teacher" ? "a teacher answers meanwhile" : "turns wait for it";
  switch (state.phase) {
    case "idle":
    case "ready":
      return undefined;
    case "starting":
      return `starting the daemon for ${state.model} · ${meanwhile}`;
    case "loading":
      return `loading ${state.model}${state.progress === undefined ? "" : ` ${Math.floor(state.progress * 100)}%`} · ${meanwhile}`;
    case "failed":
      return `${state.model} did not load: ${state.error?.message ?? "unknown error"} · the next turn tries again`;
  }
}
