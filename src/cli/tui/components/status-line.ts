import { Box, Text } from "ink";
import { createElement as h, type ReactElement } from "react";
import { modeLabel } from "../modes.js";
import type { ViewState } from "../view-state.js";
import { useTheme } from "./theme.js";

/** Model, who answered the last turn and why, tokens in/out, cost and the permission mode. */
export function StatusLine({ state }: { state: ViewState }): ReactElement {
  const theme = useTheme();
  const s = state.status;
  const answered = s.answeredBy ? `${s.answeredBy.provider}:${s.answeredBy.model} (${s.answeredBy.reason})` : state.ready ? "no turn yet" : "starting…";
  const mode = modeLabel(state.mode);
  return h(
    Box,
    { flexDirection: "column" },
    state.flash ? h(Text, { color: theme.warning }, state.flash) : null,
    h(
      Text,
      { color: theme.dim, wrap: "truncate-end" },
      `${s.model} · last: ${answered} · ${s.inputTokens} in / ${s.outputTokens} out · $${s.costUsd.toFixed(4)} · `,
      h(Text, { color: state.mode === "default" ? theme.dim : theme.warning }, `mode: ${mode}`),
      state.mode === "default" ? "" : " (Shift+Tab to change)",
    ),
  );
}
