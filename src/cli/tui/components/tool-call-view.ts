import { Box, Text } from "ink";
import { createElement as h, type ReactElement } from "react";
import { diffLines, foldAt, keyArgument, resultLines, todosOf, type Todo, type ToolView } from "../items.js";
import { DiffView } from "./diff-view.js";
import { useTheme } from "./theme.js";

/** The result in a line or a few: the tool's own summary, the reason for a refusal; longer output folded. */
function summaryLines(call: ToolView): string[] {
  if (!call.result) return [call.decision?.action === "allow" ? "running…" : "waiting for permission…"];
  const lines = resultLines(call);
  const max = foldAt(call.name);
  if (lines.length <= max) return lines;
  const more = lines.length - max;
  return [...lines.slice(0, max), `… ${more} more line${more === 1 ? "" : "s"} (Ctrl+O shows the output whole)`];
}

/** The model's todo list, whole: it is the plan the person follows. */
function TodoList({ todos }: { todos: Todo[] }): ReactElement {
  const theme = useTheme();
  if (todos.length === 0) return h(Text, { color: theme.dim }, "  ⎿ (the todo list is empty)");
  return h(
    Box,
    { flexDirection: "column" },
    ...todos.map((t, i) => {
      const lead = i === 0 ? "  ⎿ " : "    ";
      if (t.status === "completed") return h(Text, { key: i, color: theme.dim }, lead, "☒ ", h(Text, { strikethrough: true }, t.content));
      if (t.status === "in_progress") return h(Text, { key: i }, h(Text, { color: theme.dim }, lead), h(Text, { color: theme.accent, bold: true }, `◼ ${t.activeForm ?? t.content}`));
      return h(Text, { key: i }, h(Text, { color: theme.dim }, lead), `☐ ${t.content}`);
    }),
  );
}

/** One tool call, compact: `● Edit(src/app.ts)` and its result under it (a diff for edits). */
export function ToolCallView({ call }: { call: ToolView }): ReactElement {
  const theme = useTheme();
  const arg = keyArgument(call.name, call.input);
  const failed = call.result?.isError === true;
  const diff = call.result && !failed && (call.name === "Edit" || call.name === "Write") ? diffLines(call.result.output) : [];
  const todos = call.name === "TodoWrite" && call.result && !failed ? todosOf(call.input) : undefined;
  return h(
    Box,
    { flexDirection: "column" },
    h(Text, null, h(Text, { color: failed ? theme.danger : call.result ? theme.success : theme.warning }, "● "), h(Text, { bold: true }, call.name), arg ? `(${arg})` : ""),
    todos
      ? h(TodoList, { todos })
      : summaryLines(call).map((line, i) => h(Text, { key: i, color: failed ? theme.danger : theme.dim }, `  ${i === 0 ? "⎿" : " "} ${line}`)),
    diff.length > 0 ? h(DiffView, { lines: diff }) : null,
  );
}
