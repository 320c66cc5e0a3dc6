import path from "node:path";
import { Box, Text, useInput } from "ink";
import { createElement as h, type ReactElement } from "react";
import type { PermissionReply } from "../../../permissions/types.js";
import { visibleText } from "../../../shared/visible-text.js";
import { proposedChange } from "../items.js";
import { useForwardDelete } from "../input/use-forward-delete.js";
import { usePaste } from "../input/use-paste.js";
import type { Question } from "../view-state.js";
import { ChoiceList, pickChoice } from "./choice-list.js";
import { DiffView } from "./diff-view.js";
import { FitZone } from "./fit-screen.js";
import { riskRole, useTheme } from "./theme.js";
import { DIALOG_WAIT_TEXT, KeysHint, useArmed } from "./use-armed.js";
import { useCurrent } from "./use-current.js";

type PermissionQuestion = Extract<Question, { kind: "permission" }>;

interface Choice {
  label: string;
  reply: PermissionReply;
}

/** The choices a question allows: lasting answers only when the gate suggested rules for them. */
export function permissionChoices(q: PermissionQuestion): Choice[] {
  const rules = q.decision.suggestions ?? [];
  const named = visibleText(rules.join(", "), { oneLine: true });
  return [
    { label: "Yes, once", reply: "once" },
    ...(rules.length > 0
      ? ([
          { label: `Yes, and allow ${named} for this session`, reply: "session" },
          { label: `Always allow ${named} in this project (.wren/settings.toml)`, reply: "project" },
          { label: `Always allow ${named} for me (settings.toml in wren's config directory)`, reply: "user" },
        ] satisfies Choice[])
      : []),
    { label: "No, and tell the model what to do instead", reply: "reject" },
  ];
}

/**
 * What the call would do: the command with shell mode's badge and reasons, or the edit's diff. Every
 * control, bidi and invisible character in it is written out (`\r`, `\x1b`, `\u202e`): what the
 * user approves reads as what runs.
 */
function Subject({ q }: { q: PermissionQuestion }): ReactElement {
  const theme = useTheme();
  const risk = (level: string): string | undefined => theme[riskRole[level] ?? "danger"];
  const { request, analysis, call } = q;
  if (request.tool === "Bash") {
    return h(
      Box,
      { flexDirection: "column" },
      h(Text, null, h(Text, { bold: true }, `$ ${visibleText(request.command ?? "")}`), "  ", analysis ? h(Text, { color: risk(analysis.risk), inverse: true }, ` ${analysis.risk} `) : h(Text, { color: theme.dim }, "checking…")),
      ...(analysis?.reasons ?? []).map((r, i) => h(Text, { key: i, color: risk(r.risk) }, `  ${r.risk}: ${visibleText(r.detail)} (${r.category})`)),
    );
  }
  const change = call ? proposedChange(call.name, call.input).map((line) => visibleText(line)) : [];
  return h(Box, { flexDirection: "column" }, h(Text, { bold: true }, visibleText(subjectLine(request, call?.input))), change.length > 0 ? h(DiffView, { lines: change }) : null);
}

/**
 * What a call that is not a command acts on, whole: the paths it resolves to (relative to where wren
 * runs, when inside it), the URL, or else (an MCP tool) every argument. Never the model's own
 * argument cut to a line: `src/a.txt` padded with spaces past the line, then `/../../.bashrc`, would
 * read as `src/a.txt`.
 */
export function subjectLine(request: PermissionQuestion["request"], input: unknown, cwd: string = process.cwd()): string {
  if (request.paths?.length) {
    return request.paths
      .map((p) => {
        const relative = path.relative(cwd, p);
        return relative && !relative.startsWith("..") && !path.isAbsolute(relative) ? relative : p;
      })
      .join(", ");
  }
  if (request.url) return request.url;
  return input === undefined ? "" : JSON.stringify(input);
}

/**
 * "May this run?": the tool, its input and why it asks; allow once, for the session, always (project
 * or user), or no with an optional note to the model. Digits and arrows both work. A `critical`
 * command runs only when the word `yes` is typed.
 */
export function PermissionDialog({ q }: { q: PermissionQuestion }): ReactElement {
  const theme = useTheme();
  const forwardDelete = useForwardDelete();
  const typedYes = q.decision.confirm === "typed-yes";
  const choices = permissionChoices(q);
  const [selected, setSelected, selectedRef] = useCurrent(0);
  // The text being typed: the word yes, or the note that goes with a refusal.
  const [text, setText, textRef] = useCurrent<string | undefined>(typedYes ? "" : undefined);
  // Keys typed for the prompt may reach the dialog as it appears: it takes none (but Esc, which
  // refuses) until it has been on the screen a moment, and marks a choice from then on.
  const [armed, armedRef] = useArmed();

  // A paste goes into the text being typed (the word yes, or the note), if there is one.
  usePaste((pasted) => {
    const text = textRef.current;
    if (text !== undefined && armedRef.current) setText(text + pasted);
  });
  useInput((input, key) => {
    const text = textRef.current;
    const selected = selectedRef.current;
    if (key.ctrl) return; // Ctrl+C cancels the turn (the app's key)
    if (!armedRef.current && !key.escape) return;
    if (text !== undefined) {
      if (key.escape) return q.answer({ reply: "reject" });
      if (key.return) return q.answer(typedYes ? { reply: "once", typed: text } : { reply: "reject", ...(text.trim() ? { note: text.trim() } : {}) });
      // The cursor is at the text's end: Delete has nothing under it to remove.
      if (key.delete && forwardDelete()) return;
      if (key.backspace || key.delete) return setText(text.slice(0, -1));
      if (input && !key.meta) setText(text + input);
      return;
    }
    if (key.escape) return q.answer({ reply: "reject" });
    const picked = pickChoice(input, key, choices.length, selected, setSelected);
    if (picked === undefined) return;
    const choice = choices[picked]!;
    if (choice.reply === "reject") setText("");
    else q.answer({ reply: choice.reply });
  });

  const prompt = typedYes
    ? h(
        Box,
        { flexDirection: "column", marginTop: 1 },
        h(Text, { color: theme.danger }, "This command is critical. Type yes and Enter to run it once; Esc refuses."),
        armed ? h(Text, null, "> ", visibleText(text ?? ""), h(Text, { inverse: true }, " ")) : h(Text, { color: theme.dim }, DIALOG_WAIT_TEXT),
      )
    : text !== undefined
      ? h(Box, { flexDirection: "column", marginTop: 1 }, h(Text, null, "Tell the model what to do instead (Enter sends; empty: just refuse):"), h(Text, null, "> ", visibleText(text), h(Text, { inverse: true }, " ")))
      : h(Box, { flexDirection: "column" }, h(ChoiceList, { choices: choices.map((c) => c.label), selected, armed }), h(KeysHint, { armed, keys: "A digit, or ↑/↓ and Enter, picks · Esc refuses" }));

  return h(
    Box,
    { flexDirection: "column", borderStyle: "round", borderColor: typedYes ? theme.danger : theme.warning, paddingX: 1 },
    h(Text, { bold: true, color: theme.warning }, `Permission: ${visibleText(q.request.tool)}`),
    // In a short terminal, the end of a long diff or command goes before the choices would.
    h(FitZone, { priority: 1, keep: "start" }, h(Subject, { q })),
    h(Text, { color: theme.dim }, visibleText(q.decision.reason)),
    prompt,
  );
}
