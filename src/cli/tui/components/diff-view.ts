import { Box, Text } from "ink";
import { createElement as h, type ReactElement } from "react";
import { clip } from "../items.js";
import { useTheme } from "./theme.js";

/** Diff lines, added in green and removed in red; long diffs are cut and the rest counted. */
export function DiffView({ lines, max = 20 }: { lines: string[]; max?: number }): ReactElement {
  const theme = useTheme();
  return h(
    Box,
    { flexDirection: "column", paddingLeft: 4 },
    ...clip(lines, max).map((line, i) => {
      const colour = line.startsWith("+") ? theme.add : line.startsWith("-") ? theme.remove : line.startsWith("@@") ? theme.accent : theme.dim;
      return h(Text, { key: i, color: colour }, line || " ");
    }),
  );
}
