import { Box, Text, useInput } from "ink";
import { createElement as h, useRef, type ReactElement } from "react";
import { MAX_OPTIONS } from "../completion.js";
import { usePaste } from "../input/use-paste.js";
import { completeInput, runSlash, SLASH_COMMANDS } from "../slash-commands.js";
import type { SessionController } from "../session-controller.js";
import { FitZone } from "./fit-screen.js";
import { useTheme } from "./theme.js";
import { useCurrent } from "./use-current.js";

/** The input grows with its text up to this many lines, then scrolls. */
const MAX_LINES = 10;

/**
 * The prompt: multi-line (`\` then Enter, or Shift/Alt+Enter), history on Up/Down, Tab takes the
 * ghost text (see completion.ts), Ctrl+C clears it (on an empty prompt, twice, quits).
 */
export function PromptInput({ controller, busy }: { controller: SessionController; busy: boolean }): ReactElement {
  const theme = useTheme();
  const [value, setValueState, current] = useCurrent(controller.draft);
  // Where Up/Down is in the history: undefined while editing a new prompt.
  const browsing = useRef<{ index: number; draft: string } | undefined>(undefined);
  const exitArmed = useRef(false);
  const setValue = (next: string): void => {
    controller.draft = next;
    setValueState(next);
  };

  useInput((input, key) => {
    const value = current.current;
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
    if (key.ctrl || key.escape || (key.tab && key.shift)) return; // the app's keys
    if (key.return) {
      if (key.shift || key.meta) return setValue(`${value}\n`);
      if (value.endsWith("\\")) return setValue(`${value.slice(0, -1)}\n`);
      const text = value.trim();
      if (!text) return;
      if (busy) {
        controller.flash("A turn is running: wait for it, or press Esc to interrupt it.");
        return;
      }
      controller.history.add(value);
      browsing.current = undefined;
      setValue("");
      void (text.startsWith("/") ? runSlash(controller, text) : controller.prompt(text));
      return;
    }
    if (key.tab) {
      const ghost = completeInput(controller, value)?.ghost;
      if (ghost) setValue(value + ghost);
      return;
    }
    if (key.upArrow || key.downArrow) {
      const entries = controller.history.entries;
      if (value.includes("\n") && !browsing.current) return;
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
    if (key.backspace || key.delete) return setValue(value.slice(0, -1));
    if (key.leftArrow || key.rightArrow || key.pageUp || key.pageDown) return;
    if (input) setValue(value + input);
  });
  // Pasted text is taken as it is, line breaks kept (a terminal sends them as CR).
  usePaste((text) => {
    exitArmed.current = false;
    setValue(current.current + text.replace(/\r\n?/g, "\n"));
  });

  const lines = value.split("\n");
  const shown = lines.slice(-MAX_LINES);
  // Ghost text (dim, after the cursor) is what Tab would add: a command, an argument, an @path, a recent prompt, a suggestion.
  const completion = completeInput(controller, value);
  const ghost = completion?.ghost ?? "";
  const matches = completion?.kind === "command" ? SLASH_COMMANDS.filter((c) => completion.options.includes(c.name)) : [];
  const others = completion && completion.kind !== "command" && completion.options.length > 1 ? completion.options.slice(0, MAX_OPTIONS) : [];
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
        ...shown.map((line, i) =>
        h(
          Text,
          { key: i },
          h(Text, { color: theme.dim }, i === 0 && lines.length <= MAX_LINES ? "> " : "  "),
          line,
          // The cursor sits on the ghost text's first character, as in a shell's autosuggestion.
          i === shown.length - 1 ? h(Text, { inverse: true }, ghost.slice(0, 1) || " ") : "",
          i === shown.length - 1 ? h(Text, { color: theme.dim }, ghost.slice(1)) : "",
        ),
        ),
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
