import { Box, Text } from "ink";
import { createElement as h, useRef, useState, type ReactElement, type ReactNode } from "react";
import { useKeys } from "./use-keys.js";
import { theme } from "./palette.js";

export interface SelectListProps {
  title: string;
  choices: readonly string[];
  /** The choice highlighted at first: the current value on a re-run. */
  initial?: number;
  /** Shown under the list for the highlighted choice (a model's preview). */
  detail?: (index: number) => ReactNode;
  onPick: (index: number) => void;
  /** `b`: the previous step; absent on the first one. */
  onBack?: (() => void) | undefined;
}

/** A list to choose from: Up/Down (or a digit) move, Enter picks, `b` goes back. */
export function SelectList({ title, choices, initial = 0, detail, onPick, onBack }: SelectListProps): ReactElement {
  const [selected, setSelected] = useState(Math.min(Math.max(initial, 0), choices.length - 1));
  // Keys that arrive together (Down then Enter) are handled before React draws again.
  const current = useRef(selected);
  const move = (to: number): void => {
    current.current = to;
    setSelected(to);
  };
  useKeys((input, key) => {
    const at = current.current;
    if (key.upArrow) move((at + choices.length - 1) % choices.length);
    else if (key.downArrow) move((at + 1) % choices.length);
    else if (/^[1-9]$/.test(input) && Number(input) <= choices.length) move(Number(input) - 1);
    else if (key.return) onPick(at);
    else if (input === "b" && onBack) onBack();
  });
  return h(
    Box,
    { flexDirection: "column" },
    h(Text, { bold: true }, title),
    h(
      Box,
      { flexDirection: "column", marginTop: 1 },
      ...choices.map((c, i) => h(Text, { key: i, color: i === selected ? theme.accent : undefined }, `${i === selected ? "❯" : " "} ${i + 1}. ${c}`)),
    ),
    detail ? h(Box, { marginTop: 1, flexDirection: "column" }, detail(selected)) : null,
    h(Text, { color: theme.dim }, `↑/↓ move · Enter choose${onBack ? " · b back" : ""} · Esc cancel`),
  );
}
