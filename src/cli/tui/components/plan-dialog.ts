import { Box, Text, useInput } from "ink";
import { createElement as h, type ReactElement } from "react";
import type { Question } from "../view-state.js";
import { ChoiceList, pickChoice } from "./choice-list.js";
import { FitZone } from "./fit-screen.js";
import { useForwardDelete } from "../input/use-forward-delete.js";
import { useTheme } from "./theme.js";
import { KeysHint, useArmed } from "./use-armed.js";
import { useCurrent } from "./use-current.js";

/** The plan the model proposes in plan mode: approve it (the session leaves plan mode) or reject it with a reason. */
export function PlanDialog({ q }: { q: Extract<Question, { kind: "plan" }> }): ReactElement {
  const theme = useTheme();
  const forwardDelete = useForwardDelete();
  const [selected, setSelected, selectedRef] = useCurrent(0);
  const [reason, setReason, reasonRef] = useCurrent<string | undefined>(undefined);
  // Approving carries the plan out: keys typed for the prompt as the dialog appears do not answer it.
  const [armed, armedRef] = useArmed();
  useInput((input, key) => {
    const reason = reasonRef.current;
    const selected = selectedRef.current;
    if (key.ctrl || !armedRef.current) return;
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
  return h(
    Box,
    { flexDirection: "column", borderStyle: "round", borderColor: theme.accent, paddingX: 1 },
    h(Text, { bold: true, color: theme.accent }, "The plan"),
    // In a short terminal, the end of a long plan goes before its start, its title or the choices would.
    h(FitZone, { priority: 1, keep: "start" }, h(Text, null, q.plan)),
    reason === undefined
      ? h(Box, { flexDirection: "column" }, h(ChoiceList, { choices: ["Approve: carry it out", "Reject: keep planning"], selected, armed }), h(KeysHint, { armed, keys: "A digit, or ↑/↓ and Enter, picks · Esc rejects" }))
      : h(Box, { flexDirection: "column", marginTop: 1 }, h(Text, null, "What should change? (Enter sends)"), h(Text, null, "> ", reason, h(Text, { inverse: true }, " "))),
  );
}
