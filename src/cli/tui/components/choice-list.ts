import { Box, Text } from "ink";
import { createElement as h, type ReactElement } from "react";
import { printableText } from "../../../shared/visible-text.js";
import { useTheme } from "./theme.js";

/**
 * Numbered choices with the highlighted one marked; the dialogs own the keys. `armed: false` (a
 * dialog not taking keys yet, see use-armed.ts): none is marked.
 */
export function ChoiceList({ choices, selected, armed = true }: { choices: readonly string[]; selected: number; armed?: boolean }): ReactElement {
  const theme = useTheme();
  return h(
    Box,
    { flexDirection: "column", marginTop: 1 },
    ...choices.map((c, i) => {
      const marked = armed && i === selected;
      return h(Text, { key: i, color: marked ? theme.accent : undefined }, `${marked ? "❯" : " "} ${i + 1}. ${printableText(c)}`);
    }),
  );
}

/**
 * The shared key handling of a choice list: a digit picks at once, Up/Down move, Enter picks the
 * highlighted one. Returns the index picked, or undefined.
 */
export function pickChoice(input: string, key: { upArrow: boolean; downArrow: boolean; return: boolean }, count: number, selected: number, move: (i: number) => void): number | undefined {
  if (/^[1-9]$/.test(input) && Number(input) <= count) return Number(input) - 1;
  if (key.upArrow) move((selected + count - 1) % count);
  if (key.downArrow) move((selected + 1) % count);
  return key.return ? selected : undefined;
}
