import { Box, Text, useInput } from "ink";
import { createElement as h, useState, type ReactElement } from "react";
import { theme } from "../../tui/components/theme.js";

export interface TextFieldProps {
  label: string;
  /** Shown under the field: what to type, an example. */
  help?: string;
  /** Text to start from (Backspace edits it). */
  initial?: string;
  /** A secret: the screen shows one dot per character, never the text. */
  secret?: boolean;
  /** A problem with the last value submitted, shown until the next one. */
  error?: string | undefined;
  /** Receives the text on Enter. */
  onSubmit: (value: string) => void;
}

/** A one-line text field: typed or pasted text, Backspace, Enter. Control keys are left to the step. */
export function TextField({ label, help, initial = "", secret = false, error, onSubmit }: TextFieldProps): ReactElement {
  const [value, setValue] = useState(initial);
  useInput((input, key) => {
    if (key.return) {
      onSubmit(value.trim());
      return;
    }
    if (key.backspace || key.delete) {
      setValue((v) => v.slice(0, -1));
      return;
    }
    if (key.escape || key.ctrl || key.meta || key.tab || key.upArrow || key.downArrow || key.leftArrow || key.rightArrow) return;
    // A paste may end with a newline: it is part of the paste, not a submit.
    const text = [...input.replace(/[\r\n]+$/, "")].filter((c) => c >= " " && c !== "\u007f").join("");
    if (text) setValue((v) => v + text);
  });
  const shown = secret ? "•".repeat(value.length) : value;
  return h(
    Box,
    { flexDirection: "column" },
    h(Text, null, h(Text, { bold: true }, `${label}: `), shown, h(Text, { inverse: true }, " ")),
    help ? h(Text, { color: theme.dim }, help) : null,
    error ? h(Text, { color: theme.danger }, error) : null,
  );
}
