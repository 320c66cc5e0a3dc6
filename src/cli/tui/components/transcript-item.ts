import { Box, Text } from "ink";
import { createElement as h, type ReactElement } from "react";
import { printableText } from "../../../shared/visible-text.js";
import type { Item } from "../items.js";
import { MarkdownView, type Renderer } from "./markdown-view.js";
import { useTheme } from "./theme.js";
import { TodoList } from "./todo-list.js";
import { ToolCallView } from "./tool-call-view.js";

/** The model's answer, in markdown once the renderer is in (plain text until then); no escape sequence of it reaches the terminal. */
export function AnswerView({ text: source, markdown, continued = false }: { text: string; markdown: Renderer | undefined; continued?: boolean }): ReactElement {
  const theme = useTheme();
  const text = printableText(source);
  // A part that continues an answer sits under the first part's text, a blank line below it.
  return h(
    Box,
    continued ? { marginTop: 1 } : null,
    h(Text, { color: theme.accent }, continued ? "  " : "● "),
    markdown ? h(MarkdownView, { text, render: markdown }) : h(Text, null, text),
  );
}

/** A finished entry of the conversation, as it stays in the scrollback. */
export function TranscriptItem({ item, markdown }: { item: Item; markdown: Renderer | undefined }): ReactElement {
  const theme = useTheme();
  switch (item.kind) {
    case "user":
      return h(
        Box,
        { marginTop: 1 },
        h(Text, { color: theme.dim }, "> "),
        h(Text, { bold: true }, printableText(item.text)),
        item.notSent ? h(Text, { color: theme.danger }, " (not sent)") : null,
      );
    case "assistant":
      return h(AnswerView, { text: item.text, markdown, continued: item.continued === true });
    case "tool":
      return h(ToolCallView, { call: item.call });
    case "todos":
      return h(TodoList, { todos: item.todos });
    case "notice": {
      const mark = item.tone === "error" ? "✗ " : item.tone === "success" ? "✓ " : "· ";
      const colour = item.tone === "error" ? theme.danger : item.tone === "success" ? theme.success : theme.dim;
      return h(
        Box,
        { flexDirection: "column" },
        h(Text, null, h(Text, { color: colour }, mark), printableText(item.text)),
        item.hint ? h(Text, { color: theme.dim }, `  ${printableText(item.hint)}`) : null,
      );
    }
  }
}
