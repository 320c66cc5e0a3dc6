import { Box, Text, useInput } from "ink";
import { createElement as h, useEffect, useRef, type ReactElement } from "react";
import { MAX_OPTIONS } from "../completion.js";
import { atEnd, deleteBack, deleteForward, deleteWordBack, end, home, insert, killToEnd, killToStart, left, position, right, vertical, type LineState } from "../input/line-edit.js";
import { useForwardDelete } from "../input/use-forward-delete.js";
import { printableText } from "../../../shared/visible-text.js";
import { usePaste } from "../input/use-paste.js";
import { completeInput, runSlash, SLASH_COMMANDS } from "../slash-commands.js";
import type { SessionController } from "../session-controller.js";
import { FitZone } from "./fit-screen.js";
import { useTheme } from "./theme.js";
import { useCurrent } from "./use-current.js";

/** The input grows with its text up to this many lines, then scrolls. */
const MAX_LINES = 10;

/**
 * The prompt: multi-line (`\` then Enter, or Shift/Alt+Enter), edited as in a shell (Left/Right,
 * Home/End or Ctrl+A/E, Ctrl+U/K/W, Delete or Ctrl+D deletes forward), history on Up/Down from the first or
 * last line, Tab takes the ghost text (see completion.ts), Ctrl+C clears it (on an empty prompt,
 * twice, quits), Ctrl+D on an empty prompt quits. `restored`: when it changes, the box shows the
 * controller's draft again (a prompt given back, see `ViewState.restoredPrompt`).
 */
export function PromptInput({ controller, busy, restored }: { controller: SessionController; busy: boolean; restored?: number | undefined }): ReactElement {
  const theme = useTheme();
  const [line, setLineState, current] = useCurrent<LineState>(atEnd(controller.draft));
  const value = line.value;
  // Where Up/Down is in the history: undefined while editing a new prompt.
  const browsing = useRef<{ index: number; draft: string } | undefined>(undefined);
  const exitArmed = useRef(false);
  const setLine = (next: LineState): void => {
    controller.draft = next.value;
    setLineState(next);
  };
  const setValue = (next: string): void => setLine(atEnd(next));
  const forwardDelete = useForwardDelete();
  const shownRestore = useRef(restored);
  useEffect(() => {
    if (restored === shownRestore.current) return;
    shownRestore.current = restored;
    setLineState(atEnd(controller.draft));
  });

  useInput((input, key) => {
    const line = current.current;
    const value = line.value;
    const busy = controller.busy;
    const wasArmed = exitArmed.current;
    exitArmed.current = false;
    if (key.ctrl && input === "c") {
      if (busy) return; // the app cancels the turn
      if (value) {
        setValue("");
        controller.flash(undefined);
      } else if (wasArmed) controller.exit();
      else {
        exitArmed.current = true;
        controller.flash("Press Ctrl+C again to exit.");
      }
      return;
    }
    if (wasArmed) controller.flash(undefined);
    if (key.ctrl && input === "d") {
      // End of input, as in a shell: quits on an empty prompt, else deletes the character under the cursor.
      if (value) return setLine(deleteForward(line));
      if (busy) return controller.flashForTurn("A turn is running: Esc interrupts it; Ctrl+D on the empty prompt quits once it is done.");
      return controller.exit();
    }
    if (key.ctrl && !key.meta) {
      const edit = { a: home, e: end, u: killToStart, k: killToEnd, w: deleteWordBack }[input as "a" | "e" | "u" | "k" | "w"];
      if (edit) setLine(edit(line));
      return; // the app's keys
    }
    if (key.escape || (key.tab && key.shift)) return; // the app's keys
    if (key.return) {
      if (key.shift || key.meta) return setLine(insert(line, "\n"));
      if (value.slice(0, line.cursor).endsWith("\\")) return setLine(insert(deleteBack(line), "\n"));
      const text = value.trim();
      if (!text) return;
      if (busy) {
        controller.flashForTurn("A turn is running: wait for it, or press Esc to interrupt it.");
        return;
      }
      controller.history.add(value);
      browsing.current = undefined;
      setValue("");
      void (text.startsWith("/") ? runSlash(controller, text) : controller.prompt(text));
      return;
    }
    if (key.tab) {
      const ghost = line.cursor === value.length ? completeInput(controller, value)?.ghost : undefined;
      if (ghost) setValue(value + ghost);
      return;
    }
    if (key.upArrow || key.downArrow) {
      // Within a prompt of several lines the arrows move between them; from its first or last line, through the history.
      const moved = browsing.current ? undefined : vertical(line, key.upArrow ? -1 : 1);
      if (moved) return setLine(moved);
      const entries = controller.history.entries;
      const at = browsing.current?.index ?? entries.length;
      const next = key.upArrow ? Math.max(0, at - 1) : at + 1;
      if (next >= entries.length) {
        setValue(browsing.current?.draft ?? value);
        browsing.current = undefined;
      } else if (entries.length > 0) {
        browsing.current = { index: next, draft: browsing.current?.draft ?? value };
        setValue(entries[next] ?? "");
      }
      return;
    }
    if (key.leftArrow) return setLine(left(line));
    if (key.rightArrow) return setLine(right(line));
    if (key.home) return setLine(home(line));
    if (key.end) return setLine(end(line));
    if (key.delete && forwardDelete()) return setLine(deleteForward(line));
    if (key.backspace || key.delete) return setLine(deleteBack(line));
    if (key.pageUp || key.pageDown) return;
    if (input) setLine(insert(line, input));
  });
  // Pasted text is taken at the cursor, line breaks kept (a terminal sends them as CR), as the person
  // saw it: escape sequences in it (a page's hidden text, a clipboard write, a title) would act on
  // the terminal when the prompt is drawn and reach the model unseen, so they are dropped, and any
  // other control is written out.
  usePaste((text) => {
    exitArmed.current = false;
    setLine(insert(current.current, printableText(text)));
  });

  const lines = value.split("\n");
  const cursorAt = position(line);
  // Ten lines at most, the cursor's among them (the last ten while it is on the last line).
  const first = lines.length <= MAX_LINES ? 0 : Math.min(cursorAt.line, lines.length - MAX_LINES);
  const shown = lines.slice(first, first + MAX_LINES);
  // Ghost text (dim, after the cursor) is what Tab would add: a command, an argument, an @path, a
  // recent prompt, a suggestion; only with the cursor at the end.
  const completion = line.cursor === value.length ? completeInput(controller, value) : undefined;
  const ghost = completion?.ghost ?? "";
  const matches = completion?.kind === "command" ? SLASH_COMMANDS.filter((c) => completion.options.includes(c.name)) : [];
  const others = completion && completion.kind !== "command" && completion.options.length > 1 ? completion.options.slice(0, MAX_OPTIONS) : [];
  const row = (text: string, i: number): ReactElement => {
    const prefix = h(Text, { color: theme.dim }, first + i === 0 ? "> " : "  ");
    if (first + i !== cursorAt.line) return h(Text, { key: i }, prefix, text);
    // The cursor sits on the character it is before, or on the ghost text's first one, as in a shell's autosuggestion.
    const under = text.slice(cursorAt.column, cursorAt.column + 1);
    const rest = under ? text.slice(cursorAt.column + 1) : "";
    return h(
      Text,
      { key: i },
      prefix,
      text.slice(0, cursorAt.column),
      h(Text, { inverse: true }, under || ghost.slice(0, 1) || " "),
      rest,
      under ? "" : h(Text, { color: theme.dim }, ghost.slice(1)),
    );
  };
  return h(
    Box,
    { flexDirection: "column" },
    h(
      Box,
      { borderStyle: "round", borderColor: busy ? theme.dim : theme.accent, flexDirection: "column", paddingX: 1 },
      // In a short terminal, the lines above the cursor's go first.
      h(
        FitZone,
        { priority: 3, keep: "end" },
        // A long prompt (a pasted file) says how much of it is out of view, so a paste is seen whole.
        first > 0 ? h(Text, { key: "above", color: theme.dim }, `  … ${first} more line${first === 1 ? "" : "s"} above`) : null,
        ...shown.map(row),
        first + MAX_LINES < lines.length ? h(Text, { key: "below", color: theme.dim }, `  … ${lines.length - first - MAX_LINES} more line${lines.length - first - MAX_LINES === 1 ? "" : "s"} below`) : null,
      ),
    ),
    h(
      FitZone,
      { priority: 1, keep: "start" },
      matches.length > 0
        ? h(Box, { flexDirection: "column", paddingLeft: 2 }, ...matches.map((m) => h(Text, { key: m.name, color: theme.dim }, `/${m.name}${m.args ? ` ${m.args}` : ""}  ${m.summary}`)))
        : null,
      others.length > 0 ? h(Box, { paddingLeft: 2 }, h(Text, { color: theme.dim }, others.join("  "))) : null,
    ),
  );
}
