import { Box, Text } from "ink";
import { createElement as h, type ReactElement } from "react";
import { clip, diffLines, keyArgument, type ToolView } from "../items.js";
import { DiffView } from "./diff-view.js";
import { useTheme } from "./theme.js";

/** The result in a line or three: the tool's own summary, a diff for edits, the reason for a refusal. */
function summaryLines(call: ToolView): string[] {
  const result = call.result;
  if (!result) return [call.decision?.action === "allow" ? "running…" : "waiting for permission…"];
  const lines = result.display.split("\n").filter((l) => l.trim() !== "");
  // The model's todo list is shown whole (it is the plan the person follows); command output in part.
  return clip(lines, call.name === "TodoWrite" ? 20 : call.name === "Bash" ? 4 : 2);
}

/** One tool call, compact: `● Edit(src/app.ts)` and its result under it. */
export function ToolCallView({ call }: { call: ToolView }): ReactElement {
  const theme = useTheme();
  const arg = keyArgument(call.name, call.input);
  const failed = call.result?.isError === true;
  const diff = call.result && !failed && (call.name === "Edit" || call.name === "Write") ? diffLines(call.result.output) : [];
  return h(
    Box,
    { flexDirection: "column" },
    h(Text, null, h(Text, { color: failed ? theme.danger : call.result ? theme.success : theme.warning }, "● "), h(Text, { bold: true }, call.name), arg ? `(${arg})` : ""),
    ...summaryLines(call).map((line, i) => h(Text, { key: i, color: failed ? theme.danger : theme.dim }, `  ${i === 0 ? "⎿" : " "} ${line}`)),
    diff.length > 0 ? h(DiffView, { lines: diff }) : null,
  );
}
