import { Box, Text } from "ink";
import { createElement as h, useEffect, useMemo, useState, type ReactElement } from "react";
import type { Line, Span } from "../markdown.js";
import { useTheme, type Palette } from "./theme.js";

/** Markdown source to styled lines. */
export type Renderer = (source: string) => Line[];

// The markdown renderer (marked and highlight.js's grammars) is imported when the first answer
// arrives, never before the first frame; every view shares the one import.
let loading: Promise<Renderer> | undefined;
let loaded: Renderer | undefined;

/** Starts loading the renderer (once); resolves when it is ready. */
export function loadMarkdown(): Promise<Renderer> {
  loading ??= import("../markdown.js").then(
    (m) => (loaded = m.renderMarkdown),
    // Markdown that cannot be rendered still reads as text.
    () => (loaded = (source: string) => source.split("\n").map((text) => ({ indent: 0, spans: [{ text }] }))),
  );
  return loading;
}

/** The renderer once loaded; `wanted` starts loading it, and the component renders again when it is in. */
export function useMarkdown(wanted: boolean): Renderer | undefined {
  const [renderer, setRenderer] = useState<Renderer | undefined>(() => loaded);
  useEffect(() => {
    if (!wanted || renderer) return;
    let live = true;
    void loadMarkdown().then((r) => live && setRenderer(() => r));
    return () => {
      live = false;
    };
  }, [wanted, renderer]);
  return renderer;
}

function SpanText({ span, theme }: { span: Span; theme: Palette }): ReactElement {
  return h(
    Text,
    { color: span.role ? theme[span.role] : theme.text, bold: span.bold, italic: span.italic, strikethrough: span.strikethrough, underline: span.underline },
    span.text,
  );
}

/** Markdown rendered as styled lines; a list item's wrapped text stays right of its marker. */
export function MarkdownView({ text, render }: { text: string; render: Renderer }): ReactElement {
  const theme = useTheme();
  const lines = useMemo(() => render(text), [render, text]);
  return h(
    Box,
    { flexDirection: "column", flexGrow: 1 },
    ...lines.map((line, i) =>
      h(
        Box,
        { key: i, paddingLeft: line.indent },
        line.marker ? h(SpanText, { span: line.marker, theme }) : null,
        h(Text, { wrap: "wrap" }, ...(line.spans.length > 0 ? line.spans.map((span, j) => h(SpanText, { key: j, span, theme })) : [" "])),
      ),
    ),
  );
}
