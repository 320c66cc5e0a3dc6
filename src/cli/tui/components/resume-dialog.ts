import { Box, Text, useInput } from "ink";
import { createElement as h, type ReactElement } from "react";
import type { SessionSummary } from "../../../runtime/agent-types.js";
import type { Question } from "../view-state.js";
import { ChoiceList, pickChoice } from "./choice-list.js";
import { useTheme } from "./theme.js";
import { useCurrent } from "./use-current.js";

/** `2026-11-30 14:05`: when the session was last used, in this machine's time. */
export function sessionDate(iso: string): string {
  const d = new Date(iso);
  const two = (n: number): string => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())} ${two(d.getHours())}:${two(d.getMinutes())}`;
}

/** One row of the picker: when, what it began with, how many turns. */
export function sessionRow(s: SessionSummary): string {
  return `${sessionDate(s.updatedAt)}  ${s.title || "(no prompt)"}  · ${s.prompts} turn${s.prompts === 1 ? "" : "s"}`;
}

/**
 * /resume without a number: this project's earlier sessions, newest first, each with its date, its
 * first prompt and its turns. Arrows (or a digit) and Enter continue one; Esc or Ctrl+C cancel.
 */
export function ResumeDialog({ q }: { q: Extract<Question, { kind: "resume" }> }): ReactElement {
  const theme = useTheme();
  const [selected, setSelected, selectedRef] = useCurrent(0);
  useInput((input, key) => {
    if (key.escape || (key.ctrl && input === "c")) return q.answer(undefined);
    if (key.ctrl) return;
    const picked = pickChoice(input, key, q.sessions.length, selectedRef.current, setSelected);
    if (picked !== undefined) q.answer(q.sessions[picked]);
  });
  return h(
    Box,
    { flexDirection: "column", borderStyle: "round", borderColor: theme.accent, paddingX: 1 },
    h(Text, { bold: true, color: theme.accent }, "Resume a session of this project"),
    h(ChoiceList, { choices: q.sessions.map(sessionRow), selected }),
    h(Text, { color: theme.dim }, "↑/↓ and Enter (or a digit) continue one · Esc cancels · this session stays saved"),
  );
}
