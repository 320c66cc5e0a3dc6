import { Box, Text } from "ink";
import { createElement as h, useState, type ReactElement } from "react";
import { useKeys } from "./use-keys.js";
import { theme } from "./palette.js";

export interface ListEditorProps {
  title: string;
  /** One line per item; none yet is fine. */
  items: readonly string[];
  /** What the list holds, for "No … yet". */
  noun: string;
  /** Why the list cannot be left as it is, shown under it. */
  problem?: string | undefined;
  onAdd: () => void;
  onDelete: (index: number) => void;
  onDone: () => void;
  onBack: () => void;
}

/** A list of things to keep: `a` adds, `d` deletes the highlighted one, Enter goes on, `b` back. */
export function ListEditor({ title, items, noun, problem, onAdd, onDelete, onDone, onBack }: ListEditorProps): ReactElement {
  const [selected, setSelected] = useState(0);
  const at = Math.min(selected, Math.max(items.length - 1, 0));
  useKeys((input, key) => {
    if (key.upArrow && items.length > 0) setSelected((at + items.length - 1) % items.length);
    else if (key.downArrow && items.length > 0) setSelected((at + 1) % items.length);
    else if (input === "a") onAdd();
    else if (input === "d" && items.length > 0) onDelete(at);
    else if (input === "b") onBack();
    else if (key.return) onDone();
  });
  return h(
    Box,
    { flexDirection: "column" },
    h(Text, { bold: true }, title),
    h(
      Box,
      { flexDirection: "column", marginTop: 1 },
      ...(items.length === 0
        ? [h(Text, { key: "none", color: theme.dim }, `  No ${noun} yet.`)]
        : items.map((item, i) => h(Text, { key: i, color: i === at ? theme.accent : undefined }, `${i === at ? "❯" : " "} ${item}`))),
    ),
    problem ? h(Text, { color: theme.danger }, problem) : null,
    h(Text, { color: theme.dim }, `a add · d delete · ↑/↓ move · Enter continue · b back · Esc cancel`),
  );
}
