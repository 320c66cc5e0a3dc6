import { Box, Text, useInput } from "ink";
import { createElement as h, type ReactElement } from "react";
import { printableText } from "../../../shared/visible-text.js";
import type { AskUserAnswer } from "../../../runtime/agent-types.js";
import { usePaste } from "../input/use-paste.js";
import type { Question } from "../view-state.js";
import { useForwardDelete } from "../input/use-forward-delete.js";
import { useTheme } from "./theme.js";
import { KeysHint, useArmed } from "./use-armed.js";
import { useCurrent } from "./use-current.js";

/**
 * The model's questions (AskUser), one at a time: a digit or Enter picks a choice; in a
 * multi-select question digits (or Space) tick choices and Enter confirms; the last choice is
 * always "your own words".
 */
export function AskUserDialog({ q }: { q: Extract<Question, { kind: "ask-user" }> }): ReactElement {
  const theme = useTheme();
  const forwardDelete = useForwardDelete();
  const [index, setIndex, indexRef] = useCurrent(0);
  const [answers, setAnswers, answersRef] = useCurrent<AskUserAnswer[]>([]);
  const [selected, setSelected, selectedRef] = useCurrent(0);
  const [ticked, setTicked, tickedRef] = useCurrent<readonly number[]>([]);
  const [other, setOther, otherRef] = useCurrent<string | undefined>(undefined);
  const question = q.questions[index]!;
  const count = question.options.length + 1;
  // Keys typed for the prompt may reach the dialog as it appears: it takes none until it has been on
  // the screen a moment (Esc, the app's key, still cancels the turn), and marks a choice from then on.
  const [armed, armedRef] = useArmed();

  const next = (answer: AskUserAnswer): void => {
    const all = [...answersRef.current, answer];
    if (all.length === q.questions.length) return q.answer(all);
    setAnswers(all);
    setIndex(indexRef.current + 1);
    setSelected(0);
    setTicked([]);
    setOther(undefined);
  };

  // A paste goes into the answer being typed, if one is.
  usePaste((text) => {
    const typed = otherRef.current;
    if (typed !== undefined && armedRef.current) setOther(typed + text);
  });
  useInput((input, key) => {
    if (key.ctrl || key.escape) return; // Ctrl+C and Esc cancel the turn (the app's keys)
    if (!armedRef.current) return;
    const current = q.questions[indexRef.current]!;
    const labels = current.options.map((o) => o.label);
    const picked = (): string[] => tickedRef.current.map((i) => labels[i]!).filter(Boolean);
    const typed = otherRef.current;
    if (typed !== undefined) {
      if (key.return) return next({ selected: current.multiSelect ? picked() : [], other: typed });
      // The cursor is at the text's end: Delete has nothing under it to remove.
      if (key.delete && forwardDelete()) return;
      if (key.backspace || key.delete) return setOther(typed.slice(0, -1));
      if (input && !key.meta) setOther(typed + input);
      return;
    }
    const choose = (i: number): void => {
      if (i === labels.length) return setOther("");
      if (!current.multiSelect) return next({ selected: [labels[i]!] });
      const t = tickedRef.current;
      setTicked(t.includes(i) ? t.filter((x) => x !== i) : [...t, i]);
    };
    if (/^[1-9]$/.test(input) && Number(input) <= count) return choose(Number(input) - 1);
    if (key.upArrow) return setSelected((selectedRef.current + count - 1) % count);
    if (key.downArrow) return setSelected((selectedRef.current + 1) % count);
    if (input === " " && current.multiSelect) return choose(selectedRef.current);
    if (key.return) {
      if (current.multiSelect && selectedRef.current < labels.length) return next({ selected: picked() });
      choose(selectedRef.current);
    }
  });

  const rows = [...question.options.map((o) => printableText(`${o.label}${o.description ? ` — ${o.description}` : ""}`)), "Something else (type it)"];
  return h(
    Box,
    { flexDirection: "column", borderStyle: "round", borderColor: theme.accent, paddingX: 1 },
    h(Text, { bold: true, color: theme.accent }, `${printableText(question.header ?? "Question")}${q.questions.length > 1 ? ` (${index + 1} of ${q.questions.length})` : ""}`),
    h(Text, null, printableText(question.question)),
    h(
      Box,
      { flexDirection: "column", marginTop: 1 },
      ...rows.map((row, i) =>
        h(Text, { key: i, color: armed && i === selected ? theme.accent : undefined }, `${armed && i === selected ? "❯" : " "} ${question.multiSelect && i < question.options.length ? (ticked.includes(i) ? "[x] " : "[ ] ") : ""}${i + 1}. ${row}`),
      ),
    ),
    other !== undefined ? h(Box, { flexDirection: "column" }, h(Text, null, "Your answer (Enter sends):"), h(Text, null, "> ", other, h(Text, { inverse: true }, " "))) : null,
    h(KeysHint, { armed, keys: question.multiSelect ? "Digits or Space tick, Enter confirms · Esc cancels the turn" : "A digit or Enter picks · Esc cancels the turn" }),
    answers.length > 0 ? h(Text, { color: theme.dim }, `Answered: ${answers.length}`) : null,
  );
}
