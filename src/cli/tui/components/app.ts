import { Box, Static, Text, useApp, useInput, useStdout } from "ink";
import { createElement as h, useEffect, useState, useSyncExternalStore, type ReactElement } from "react";
import { visibleText } from "../../../shared/visible-text.js";
import { keyArgument, lastFolded, resultLines, type Item } from "../items.js";
import { modeLabel } from "../modes.js";
import type { SessionController } from "../session-controller.js";
import type { Question } from "../view-state.js";
import { AskUserDialog } from "./ask-user-dialog.js";
import { ConsentDialog } from "./consent-dialog.js";
import { FitZone, ScreenFit, useFitRoot } from "./fit-screen.js";
import { useMarkdown } from "./markdown-view.js";
import { PermissionDialog } from "./permission-dialog.js";
import { PlanDialog } from "./plan-dialog.js";
import { PromptInput } from "./prompt-input.js";
import { ResumeDialog } from "./resume-dialog.js";
import { StatusLine } from "./status-line.js";
import { ThemeProvider } from "./theme.js";
import { DialogGraceProvider } from "./use-armed.js";
import { PinnedTodos } from "./todo-list.js";
import { ToolCallView } from "./tool-call-view.js";
import { AnswerView, TranscriptItem } from "./transcript-item.js";
import { useMemory } from "./use-memory.js";

function QuestionView({ q }: { q: Question }): ReactElement {
  switch (q.kind) {
    case "permission":
      return h(PermissionDialog, { q });
    case "plan":
      return h(PlanDialog, { q });
    case "consent":
      return h(ConsentDialog, { q });
    case "ask-user":
      return h(AskUserDialog, { q });
    case "resume":
      return h(ResumeDialog, { q });
  }
}

/** Ctrl+O: the latest folded tool output, printed whole to the scrollback. */
function expandLastOutput(controller: SessionController): void {
  const call = lastFolded(controller.snapshot().items);
  if (!call) {
    controller.flash("No folded tool output to show.");
    return;
  }
  // The call as it ran, its control characters written out (the notice drops escape sequences).
  const arg = visibleText(keyArgument(call.name, call.input));
  controller.notice({ tone: "info", text: [`Output of ${visibleText(call.name)}${arg ? `(${arg})` : ""}:`, ...resultLines(call)].join("\n") });
}

/**
 * The assistant's screen: finished turns in the terminal's scrollback (<Static>, printed once),
 * then the live region, the only part that redraws: the answer streaming in, running tool calls,
 * a question or the prompt, and the status lines.
 */
export function App({ controller }: { controller: SessionController }): ReactElement {
  const state = useSyncExternalStore(controller.subscribe, controller.snapshot);
  const app = useApp();
  const { stdout } = useStdout();
  // The live region stays shorter than the terminal, whatever grows in it (fit-screen.ts).
  const [fit] = useState(() => new ScreenFit(() => stdout.rows));
  const live = useFitRoot(fit);
  useEffect(() => {
    if (state.exiting) app.exit();
  }, [state.exiting, app]);
  const memory = useMemory({ ready: state.ready, viaDaemon: controller.run?.viaDaemon ?? false, moment: state.modelLoad?.phase });
  // The markdown renderer loads with the first answer; until it is in, answers wait to be printed.
  const firstAnswer = state.items.findIndex((i) => i.kind === "assistant");
  const markdown = useMarkdown(firstAnswer >= 0 || state.liveText !== "");

  // Keys that work whatever has the focus; the prompt and the dialogs handle the rest.
  useInput((input, key) => {
    if (key.tab && key.shift) {
      const mode = controller.cycleMode();
      if (mode) controller.flash(`Mode: ${modeLabel(mode)}`);
    } else if (key.ctrl && input === "g") controller.rate("good");
    else if (key.ctrl && input === "b") controller.rate("bad");
    else if (key.ctrl && input === "o") expandLastOutput(controller);
    // Esc in a dialog is the dialog's (it refuses); the question is the one drawn when the key came,
    // since the dialog may have answered it, and cleared it, before this handler runs.
    else if (controller.busy && ((key.ctrl && input === "c") || (key.escape && (!state.question || state.question.kind === "ask-user")))) {
      if (controller.cancelTurn()) controller.flashForTurn("Cancelling…");
    }
  });

  // Printed once, so an answer waits for the renderer rather than stay plain in the scrollback.
  const printable = markdown || firstAnswer < 0 ? state.items : state.items.slice(0, firstAnswer);
  // The key names the item: <Static> prints each one once, in order.
  const renderItem = (item: Item): ReactElement => h(TranscriptItem, { key: item.id, item, markdown });
  const theme = state.theme.palette;
  const liveRegion = h(
    Box,
    { ref: live, flexDirection: "column" },
    // What streams in is cut first, from the top: it goes to the scrollback whole once finished.
    h(
      FitZone,
      { priority: 0, keep: "end" },
      state.liveText ? h(AnswerView, { text: state.liveText, markdown, continued: state.answerOpen }) : null,
      ...state.liveTools.map((call) => h(ToolCallView, { key: call.callId, call })),
      state.busy && !state.liveText && !state.question && state.liveTools.length === 0 ? h(Text, { color: theme.dim }, "Thinking… (Esc to interrupt)") : null,
      state.todos ? h(PinnedTodos, { todos: state.todos }) : null,
    ),
    // Then the status lines' last ones, then the top of the dialog or of the prompt's text.
    // Keyed by the question: the next one (even of the same kind, drawn in the same frame) is a new dialog.
    state.question ? h(FitZone, { priority: 3, keep: "end" }, h(QuestionView, { key: state.question.id, q: state.question })) : h(PromptInput, { controller, busy: state.busy, restored: state.restoredPrompt?.id }),
    h(FitZone, { priority: 2, keep: "start" }, h(StatusLine, { state, memory })),
  );
  return h(
    ThemeProvider,
    { value: theme },
    h(Static<Item>, { items: [...printable], children: renderItem }),
    // Leaving, the last frame is the transcript alone: no prompt box left behind as if wren still listened.
    state.exiting ? null : h(DialogGraceProvider, { value: controller.config.agent.dialogGraceMs }, liveRegion),
  );
}
