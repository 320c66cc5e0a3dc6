import { Box, Text } from "ink";
import { createElement as h, useRef, useState, type ReactElement } from "react";
import { useKeys } from "./use-keys.js";
import { theme } from "./palette.js";

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
  // Keys that arrive together are handled before React draws again: each builds on the last.
  const current = useRef(initial);
  const set = (next: string): void => {
    current.current = next;
    setValue(next);
  };
  useKeys((input, key) => {
    if (key.return) {
      onSubmit(current.current.trim());
      return;
    }
    if (key.backspace || key.delete) {
      set(current.current.slice(0, -1));
      return;
    }
    if (key.escape || key.ctrl || key.meta || key.tab || key.upArrow || key.downArrow || key.leftArrow || key.rightArrow) return;
    // Text and Enter can arrive in one chunk (a pasted line, a fast typist): the line is submitted.
    const text = [...input].filter((c) => c >= " " && c !== "\u007f").join("");
    if (/[\r\n]$/.test(input)) onSubmit((current.current + text).trim());
    else if (text) set(current.current + text);
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
