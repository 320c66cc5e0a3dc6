import { Box, Text } from "ink";
import { createElement as h, type ReactElement } from "react";
import { useTheme } from "./theme.js";

/** Numbered choices with the highlighted one marked; the dialogs own the keys. */
export function ChoiceList({ choices, selected }: { choices: readonly string[]; selected: number }): ReactElement {
  const theme = useTheme();
  return h(
    Box,
    { flexDirection: "column", marginTop: 1 },
    ...choices.map((c, i) => h(Text, { key: i, color: i === selected ? theme.accent : undefined }, `${i === selected ? "❯" : " "} ${i + 1}. ${c}`)),
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
