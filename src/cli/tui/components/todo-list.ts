import { Box, Text } from "ink";
import { createElement as h, type ReactElement } from "react";
import { printableText } from "../../../shared/visible-text.js";
import type { Todo } from "../items.js";
import { todoProgress, todoWindow } from "../todo-window.js";
import { useTheme } from "./theme.js";

/** One entry: `☒` done (struck through), `◼` in progress (its activeForm, highlighted), `☐` to do. */
function TodoLine({ todo, lead }: { todo: Todo; lead: string }): ReactElement {
  const theme = useTheme();
  if (todo.status === "completed") return h(Text, { color: theme.dim }, lead, "☒ ", h(Text, { strikethrough: true }, printableText(todo.content)));
  if (todo.status === "in_progress") return h(Text, null, h(Text, { color: theme.dim }, lead), h(Text, { color: theme.accent, bold: true }, `◼ ${printableText(todo.activeForm ?? todo.content)}`));
  return h(Text, null, h(Text, { color: theme.dim }, lead), `☐ ${printableText(todo.content)}`);
}

/** The model's todo list, whole, as the turn left it: printed to the scrollback when the turn ends. */
export function TodoList({ todos }: { todos: readonly Todo[] }): ReactElement {
  const theme = useTheme();
  return h(
    Box,
    { flexDirection: "column" },
    h(Text, { color: theme.dim }, `☰ Todos at the end of the turn (${todoProgress(todos)})`),
    todos.length === 0 ? h(Text, { color: theme.dim }, "  (the todo list is empty)") : null,
    ...todos.map((t, i) => h(TodoLine, { key: i, todo: t, lead: "  " })),
  );
}

/**
 * The model's current todo list, pinned above the prompt while a turn runs: a few rows around the
 * entry in progress (todo-window.ts), the rest counted, so the live region stays small.
 */
export function PinnedTodos({ todos }: { todos: readonly Todo[] }): ReactElement {
  const theme = useTheme();
  return h(
    Box,
    { flexDirection: "column" },
    h(Text, { color: theme.dim }, `☰ Todos (${todoProgress(todos)})`),
    ...todoWindow(todos).map((row, i) =>
      row.kind === "todo"
        ? h(TodoLine, { key: i, todo: row.todo, lead: "  " })
        : h(Text, { key: i, color: theme.dim }, `  … ${row.count} ${row.kind === "more" ? "more" : "earlier"}`),
    ),
  );
}
