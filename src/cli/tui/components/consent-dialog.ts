import { Box, Text, useInput } from "ink";
import { createElement as h, type ReactElement } from "react";
import type { Question } from "../view-state.js";
import { useTheme } from "./theme.js";

/** `router.cloud = "ask"`: whether this session's requests may leave the machine for a cloud target. */
export function ConsentDialog({ q }: { q: Extract<Question, { kind: "consent" }> }): ReactElement {
  const theme = useTheme();
  useInput((input, key) => {
    if (key.ctrl) return;
    if (/^y$/i.test(input)) q.answer(true);
    else if (/^n$/i.test(input) || key.escape || key.return) q.answer(false);
  });
  return h(
    Box,
    { flexDirection: "column", borderStyle: "round", borderColor: theme.warning, paddingX: 1 },
    h(Text, null, `Send this request to ${q.target}? It leaves this machine.`),
    h(Text, { color: theme.dim }, "y: yes, for this session · n or Enter: no (local models only)"),
  );
}
