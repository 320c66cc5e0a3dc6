import { Box, Text, useInput } from "ink";
import { createElement as h, useRef, useState, type ReactElement } from "react";
import { printableText } from "../../../shared/visible-text.js";
import type { Question } from "../view-state.js";
import { ChoiceList, pickChoice } from "./choice-list.js";
import { FitZone } from "./fit-screen.js";
import { useForwardDelete } from "../input/use-forward-delete.js";
import { useTheme } from "./theme.js";
import { KeysHint, useArmed } from "./use-armed.js";
import { useCurrent } from "./use-current.js";

/** How much of the plan the terminal shows: its lines shown, and all its lines. */
interface PlanView {
  shown: number;
  total: number;
}

/** `N line(s)`. */
const lines = (n: number): string => `${n} line${n === 1 ? "" : "s"}`;

/**
 * The plan the model proposes in plan mode: approve it (the session leaves plan mode) or reject it
 * with a reason. A plan taller than the terminal allows is cut, with the lines cut counted, and
 * PgDn/PgUp scroll it.
 */
export function PlanDialog({ q }: { q: Extract<Question, { kind: "plan" }> }): ReactElement {
  const theme = useTheme();
  const forwardDelete = useForwardDelete();
  const [selected, setSelected, selectedRef] = useCurrent(0);
  const [reason, setReason, reasonRef] = useCurrent<string | undefined>(undefined);
  // The first line of the plan shown: scrolled with PgDn/PgUp.
  const [top, setTop, topRef] = useCurrent(0);
  const [view, setView] = useState<PlanView>({ shown: 0, total: 0 });
  const viewRef = useRef(view);
  // Heard from the layout, after each frame's: a change draws again (the counts), never from within it.
  const onFit = (shown: number, total: number): void => {
    if (viewRef.current.shown === shown && viewRef.current.total === total) return;
    viewRef.current = { shown, total };
    queueMicrotask(() => setView(viewRef.current));
  };
  // Approving carries the plan out: keys typed for the prompt as the dialog appears do not answer it.
  const [armed, armedRef] = useArmed();
  useInput((input, key) => {
    const reason = reasonRef.current;
    const selected = selectedRef.current;
    if (key.ctrl) return;
    // Scrolling answers nothing: it works from the start, whatever is being typed.
    if (key.pageDown || key.pageUp) {
      const { shown, total } = viewRef.current;
      const below = Math.max(0, total - topRef.current - shown);
      // A page keeps one line of the last one in view.
      const page = Math.max(1, shown - 1);
      return setTop(key.pageDown ? topRef.current + Math.min(page, below) : Math.max(0, topRef.current - page));
    }
    if (!armedRef.current) return;
    if (reason !== undefined) {
      if (key.return) return q.answer({ verdict: "reject", reason: reason.trim() || "The user rejected the plan." });
      // The cursor is at the text's end: Delete has nothing under it to remove.
      if (key.delete && forwardDelete()) return;
      if (key.backspace || key.delete) return setReason(reason.slice(0, -1));
      if (input && !key.meta && !key.escape) setReason(reason + input);
      return;
    }
    if (key.escape) return setReason("");
    const picked = pickChoice(input, key, 2, selected, setSelected);
    if (picked === 0) q.answer({ verdict: "approve" });
    else if (picked === 1) setReason("");
  });
  const below = Math.max(0, view.total - top - view.shown);
  return h(
    Box,
    { flexDirection: "column", borderStyle: "round", borderColor: theme.accent, paddingX: 1 },
    h(Text, { bold: true, color: theme.accent }, "The plan"),
    top > 0 ? h(Text, { color: theme.dim }, `↑ ${lines(top)} above (PgUp)`) : null,
    // In a short terminal, the end of a long plan goes before its start, its title or the choices would.
    h(FitZone, { priority: 1, keep: "start", scrollTop: top, onFit }, h(Text, null, printableText(q.plan))),
    below > 0 ? h(Text, { color: theme.dim }, `↓ ${below} more ${below === 1 ? "line" : "lines"} (PgDn)`) : null,
    reason === undefined
      ? h(Box, { flexDirection: "column" }, h(ChoiceList, { choices: ["Approve: carry it out", "Reject: keep planning"], selected, armed }), h(KeysHint, { armed, keys: "A digit, or ↑/↓ and Enter, picks · Esc rejects" }))
      : h(Box, { flexDirection: "column", marginTop: 1 }, h(Text, null, "What should change? (Enter sends)"), h(Text, null, "> ", reason, h(Text, { inverse: true }, " "))),
  );
}
