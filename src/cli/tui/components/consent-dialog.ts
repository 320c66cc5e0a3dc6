import { Box, Text, useInput } from "ink";
import { createElement as h, type ReactElement } from "react";
import { printableText } from "../../../shared/visible-text.js";
import type { Question } from "../view-state.js";
import { useTheme } from "./theme.js";
import { KeysHint, useArmed } from "./use-armed.js";

/** `router.cloud = "ask"`: whether this session's requests may leave the machine for a cloud target. */
export function ConsentDialog({ q }: { q: Extract<Question, { kind: "consent" }> }): ReactElement {
  const theme = useTheme();
  // A `y` typed for the prompt as the dialog appears must not send the session to the cloud: no key
  // but a refusal (n, Esc) counts until the dialog has been on the screen a moment and shows its keys.
  const [armed, armedRef] = useArmed();
  useInput((input, key) => {
    if (key.ctrl) return;
    if (/^n$/i.test(input) || key.escape) q.answer(false);
    else if (!armedRef.current) return;
    else if (/^y$/i.test(input)) q.answer(true);
    else if (key.return) q.answer(false);
  });
  return h(
    Box,
    { flexDirection: "column", borderStyle: "round", borderColor: theme.warning, paddingX: 1 },
    h(Text, null, `Send this request to ${printableText(q.target)}? It leaves this machine.`),
    h(KeysHint, { armed, keys: "y: yes, for this session · n or Enter: no (local models only)" }),
  );
}
