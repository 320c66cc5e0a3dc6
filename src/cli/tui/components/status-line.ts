import { Box, Text } from "ink";
import { createElement as h, type ReactElement } from "react";
import { printableText } from "../../../shared/visible-text.js";
import { describeModelLoad } from "../model-load-text.js";
import { memoryPart, statusLines, type MemoryInfo, type StatusPart } from "../status-format.js";
import type { ViewState } from "../view-state.js";
import { useTheme } from "./theme.js";

/**
 * Under the prompt: a flash note when there is one; the model, who answered the last turn and why,
 * tokens, cost and mode; the local model's background load until it is ready; once a turn has
 * ended, its speed and the context it filled; and, from the moment it is known, memory (free RAM,
 * the daemon's; a warning when low).
 */
export function StatusLine({ state, memory }: { state: ViewState; memory: MemoryInfo | undefined }): ReactElement {
  const theme = useTheme();
  const line = (parts: StatusPart[], key: number | string): ReactElement => h(Text, { key, wrap: "truncate-end" }, ...parts.map((p, i) => h(Text, { key: i, color: theme[p.role] }, printableText(p.text))));
  const [model, ...turn] = statusLines(state.status, state.mode, state.ready);
  // Under the rest, so that the lines above stay where the frame drawn before Ink put them.
  if (memory) turn.push([memoryPart(memory)]);
  // The local model's background load, until it is ready: `loading qwen3 42% · a teacher answers meanwhile`.
  const load = describeModelLoad(state.modelLoad);
  return h(
    Box,
    { flexDirection: "column" },
    state.flash ? h(Text, { color: theme.warning }, state.flash) : null,
    line(model ?? [], "model"),
    load ? line([{ text: load, role: state.modelLoad?.phase === "failed" ? "danger" : "accent" }], "load") : null,
    ...turn.map(line),
  );
}
