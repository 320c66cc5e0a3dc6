import { Box, Text } from "ink";
import { createElement as h, type ReactElement } from "react";
import { diffLines, foldAt, keyArgument, resultLines, todosOf, type Todo, type ToolView } from "../items.js";
import { printableText, visibleText } from "../../../shared/visible-text.js";
import { DiffView } from "./diff-view.js";
import { useTheme } from "./theme.js";

/**
 * The result in a line or a few: the tool's own summary, the reason for a refusal; longer output
 * folded. A todo list is counted only: the list itself is pinned above the prompt while the turn
 * runs, and printed whole when it ends.
 */
function summaryLines(call: ToolView): string[] {
  if (!call.result) return [call.decision?.action === "allow" ? "running…" : "waiting for permission…"];
  const todos = call.name === "TodoWrite" && !call.result.isError ? todosOf(call.input) : undefined;
  if (todos) {
    const count = (status: Todo["status"]): number => todos.filter((t) => t.status === status).length;
    return [`Todo list updated: ${count("completed")} done, ${count("in_progress")} in progress, ${count("pending")} to do`];
  }
  const lines = resultLines(call).map(printableText);
  const max = foldAt(call.name);
  if (lines.length <= max) return lines;
  const more = lines.length - max;
  return [...lines.slice(0, max), `… ${more} more line${more === 1 ? "" : "s"} (Ctrl+O shows the output whole)`];
}

/**
 * One tool call, compact: `● Edit(src/app.ts)` and its result under it (a diff for edits). The call
 * is shown as it ran, every control character written out; its output cannot move the cursor.
 */
export function ToolCallView({ call }: { call: ToolView }): ReactElement {
  const theme = useTheme();
  const arg = visibleText(keyArgument(call.name, call.input));
  const failed = call.result?.isError === true;
  const diff = call.result && !failed && (call.name === "Edit" || call.name === "Write") ? diffLines(call.result.output).map(printableText) : [];
  return h(
    Box,
    { flexDirection: "column" },
    h(Text, null, h(Text, { color: failed ? theme.danger : call.result ? theme.success : theme.warning }, "● "), h(Text, { bold: true }, visibleText(call.name)), arg ? `(${arg})` : ""),
    summaryLines(call).map((line, i) => h(Text, { key: i, color: failed ? theme.danger : theme.dim }, `  ${i === 0 ? "⎿" : " "} ${line}`)),
    diff.length > 0 ? h(DiffView, { lines: diff }) : null,
  );
}
