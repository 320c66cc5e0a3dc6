import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { feedbackFile, rateLastAnswer, readFeedback, readFeedbackLog, type Rating } from "../../agent/feedback.js";
import { Session } from "../../agent/session.js";
import type { Message } from "../../protocol/index.js";
import type { WrenError } from "../../shared/errors.js";
import { exportTrainingData } from "./export.js";
import type { DatasetExample } from "./export-dataset.js";

const PLANTED_KEY = "sk-proj-Zx81kQv3Lm0Pn7Rt2Yw5Uc9Ea4Hb6Jd";

describe("wren train export", () => {
  let dir: string;
  let project: string;
  let feedback: string;
  let out: string;
  let env: Record<string, string>;
  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), "wren-train-export-"));
    project = path.join(dir, "project");
    feedback = feedbackFile(path.join(dir, "data"));
    out = path.join(dir, "dataset");
    env = { WREN_HOME: path.join(dir, "home") };
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  /** A session whose last exchange is `messages` (after an older one), rated through the agent's API. */
  const rate = (messages: Message[], rating: Rating): void => {
    const session = Session.create({ dir: path.join(dir, "sessions"), cwd: project, projectRoot: project, model: "auto", mode: "default", system: "You are wren.", tools: [] });
    session.push({ role: "user", content: [{ type: "text", text: "earlier question" }] });
    session.push({ role: "assistant", content: [{ type: "text", text: "earlier answer" }] });
    for (const m of messages) session.push(m);
    session[Symbol.dispose]();
    rateLastAnswer(session.file, rating, { file: feedback });
  };
  const qa = (question: string, answer: string): Message[] => [
    { role: "user", content: [{ type: "text", text: question }] },
    { role: "assistant", content: [{ type: "text", text: answer }] },
  ];
  const run = (options: { since?: string; minWeight?: number } = {}) => exportTrainingData({ out, feedback, projectRoot: project, env, ...options });
  const read = (file: string): DatasetExample[] =>
    readFileSync(file, "utf8")
      .split("\n")
      .filter(Boolean)
      .map((l) => JSON.parse(l) as DatasetExample);
  const all = (r: { trainFile: string; evalFile: string }): DatasetExample[] => [...read(r.trainFile), ...read(r.evalFile)];

  it("weighs examples by kind: a correction replaces the bad answer (10), bad 3 as a negative example, good 1", async () => {
    rate(qa("What is 2+2?", "5"), { rating: "bad", correction: "4" });
    rate(qa("Capital of France?", "Berlin"), { rating: "bad", note: "wrong" });
    rate(qa("Say hi", "hi"), { rating: "good" });
    const result = await run();
    expect(result.summary.byKind).toEqual({ corrected: 1, bad: 1, good: 1, teacher: 0 });
    const examples = all(result);
    const byQuestion = (q: string) => examples.find((e) => e.messages.some((m) => m.role === "user" && m.content === q));
    expect(byQuestion("What is 2+2?")).toMatchObject({ weight: 10, kind: "corrected", label: true, messages: [{ role: "system", content: "You are wren." }, { role: "user" }, { role: "assistant", content: "4" }] });
    expect(byQuestion("Capital of France?")).toMatchObject({ weight: 3, kind: "bad", label: false });
    expect(byQuestion("Say hi")).toMatchObject({ weight: 1, kind: "good", label: true });
  });

  it("keeps tool calls as calls, and deduplicates repeats keeping the larger weight", async () => {
    const withTool: Message[] = [
      { role: "user", content: [{ type: "text", text: "List the files" }] },
      { role: "assistant", content: [{ type: "tool-call", toolCallId: "c1", toolName: "list_files", input: { path: "." } }] },
      { role: "tool", content: [{ type: "tool-result", toolCallId: "c1", toolName: "list_files", output: "a.ts\nb.ts" }] },
      { role: "assistant", content: [{ type: "text", text: "a.ts and b.ts" }] },
    ];
    rate(withTool, { rating: "good" });
    rate(withTool, { rating: "good" });
    rate(withTool, { rating: "bad" });
    const result = await run();
    expect(result.summary.skipped.duplicate).toBe(2);
    const examples = all(result);
    expect(examples).toHaveLength(1);
    expect(examples[0]).toMatchObject({ weight: 3, kind: "bad" });
    expect(examples[0]!.messages.slice(1)).toEqual([
      { role: "user", content: "List the files" },
      { role: "assistant", content: "", tool_calls: [{ id: "c1", type: "function", function: { name: "list_files", arguments: '{"path":"."}' } }] },
      { role: "tool", tool_call_id: "c1", name: "list_files", content: "a.ts\nb.ts" },
      { role: "assistant", content: "a.ts and b.ts" },
    ]);
  });

  it("keeps a planted API key, .env values and a file from outside the project out of the dataset", async () => {
    const outsideFile = path.join(dir, "elsewhere", "notes.txt");
    rate(
      [
        { role: "user", content: [{ type: "text", text: `My key is ${PLANTED_KEY}, read my notes and .env` }] },
        {
          role: "assistant",
          content: [
            { type: "tool-call", toolCallId: "r1", toolName: "read_file", input: { path: outsideFile } },
            { type: "tool-call", toolCallId: "r2", toolName: "read_file", input: { path: ".env" } },
            { type: "tool-call", toolCallId: "r3", toolName: "read_file", input: { path: "src/app.ts" } },
          ],
        },
        {
          role: "tool",
          content: [
            { type: "tool-result", toolCallId: "r1", toolName: "read_file", output: "diary: the vault code is 7731" },
            { type: "tool-result", toolCallId: "r2", toolName: "read_file", output: "DATABASE_URL=postgres://u:hunter2@db/x\nPORT=8080" },
            { type: "tool-result", toolCallId: "r3", toolName: "read_file", output: "export const port = 8080;" },
          ],
        },
        { role: "assistant", content: [{ type: "text", text: `Done; I used ${PLANTED_KEY}.` }] },
      ],
      { rating: "good" },
    );
    // The one example's id hashes the outside file's path, which is new every run: with the default
    // evaluation slice, one run in ten held it back and refused to export nothing to train on.
    const result = await exportTrainingData({ out, feedback, projectRoot: project, env: { ...env, WREN_TRAIN_EVAL_FRACTION: "0" } });
    const text = readFileSync(result.trainFile, "utf8") + readFileSync(result.evalFile, "utf8");
    expect(text).not.toContain(PLANTED_KEY);
    expect(text).not.toContain("vault code");
    expect(text).not.toContain("hunter2");
    expect(text).not.toContain("8080\\n");
    expect(text).toContain("[REDACTED:openai-key]");
    expect(text).toContain("[REDACTED: a file outside the project]");
    expect(text).toContain("DATABASE_URL=[REDACTED:env]");
    expect(text).toContain("export const port = 8080;");
    expect(result.summary.redacted).toEqual({ secrets: 4, outsideFiles: 1 });
  });

  it("holds back a stable evaluation slice, apart from the training examples", async () => {
    for (let i = 0; i < 40; i++) rate(qa(`Question ${i}?`, `Answer ${i}.`), { rating: "good" });
    const first = await run();
    const ids = (file: string): string[] => read(file).map((e) => e.id);
    const train = ids(first.trainFile);
    const held = ids(first.evalFile);
    expect(train.length + held.length).toBe(40);
    expect(held.length).toBeGreaterThan(0);
    expect(held.length).toBeLessThan(12);
    expect(train.filter((id) => held.includes(id))).toEqual([]);
    await run();
    expect(ids(first.evalFile)).toEqual(held);
    expect(ids(first.trainFile)).toEqual(train);
  });

  it("--since and --min-weight leave examples out and say so", async () => {
    rate(qa("one?", "1"), { rating: "good" });
    rate(qa("two?", "2"), { rating: "bad" });
    rate(qa("three?", "3"), { rating: "bad", correction: "three" });
    const entries = readFeedback(feedback);
    const since = entries[1]!.at;
    const expected = entries.filter((e) => e.at >= since).length;
    const recent = await run({ since });
    expect(recent.summary.kept.train + recent.summary.kept.eval).toBe(expected);
    expect(recent.summary.skipped.beforeSince).toBe(3 - expected);
    // Nothing left: refused, saying why, and the dataset written before stays as it was.
    const before = readFileSync(recent.trainFile, "utf8");
    await expect(run({ since: "2999-01-01" })).rejects.toThrow(/No example to export: all 3 feedback entries were left out \(3 older than --since\)/);
    expect(readFileSync(recent.trainFile, "utf8")).toBe(before);
    const heavy = await run({ minWeight: 3 });
    expect(all(heavy).map((e) => e.kind).sort()).toEqual(["bad", "corrected"]);
    expect(heavy.summary.skipped.belowMinWeight).toBe(1);
    await expect(run({ since: "last tuesday" })).rejects.toThrow(/--since must be a date/);
  });

  it("with no feedback yet, refuses to write an empty dataset and says how to rate answers", async () => {
    const error = await run().then(
      () => undefined,
      (e: unknown) => e as WrenError,
    );
    expect(error?.message).toMatch(/No feedback to export yet: .*feedback\.jsonl has no ratings/);
    expect(error?.hint).toContain("wren sessions rate");
    expect(existsSync(path.join(out, "train.jsonl"))).toBe(false);
  });

  it("leaves damaged feedback lines out, counting them and naming their line numbers, instead of failing on them", async () => {
    rate(qa("one?", "1"), { rating: "good" });
    const good = readFileSync(feedback, "utf8");
    const other = good.replace('"1"', '"uno"');
    // A fragment of a killed write, a hand edit that broke JSON, and JSON lines that are no rating.
    writeFileSync(feedback, `${good}{"at":"2026-11-0\nnot json at all\n${other}{"x":1}\nnull\n{"at":"x","rating":"good","exchange":{"system":"","messages":"oops"}}\n`);
    const result = await run();
    expect(result.summary.read).toBe(2);
    expect(result.summary.damaged).toEqual({ count: 5, lines: [2, 3, 5, 6, 7] });
    expect(all(result)).toHaveLength(2);
    expect(readFeedbackLog(feedback).damaged).toEqual([2, 3, 5, 6, 7]);
  });

  it("with train.collectTeacher, adds a teacher's answers after the local model failed or was escalated from (weight 5)", async () => {
    const sessions = path.join(dir, "sessions");
    const turn = (question: string, answer: string, provider: string, reason: string): void => {
      const session = Session.create({ dir: sessions, cwd: project, projectRoot: project, model: "auto", mode: "default", system: "You are wren.", tools: [] });
      for (const m of qa(question, answer)) session.push(m);
      session.recordTurn({ turn: 1, provenance: { provider, model: "m", reason, route: "default" }, usage: { inputTokens: 5, outputTokens: 1, totalTokens: 6 }, finishReason: "stop" });
      session[Symbol.dispose]();
    };
    turn("after a local failure?", "teacher fallback answer", "openai", "fallback");
    turn("too long for local?", "teacher context answer", "anthropic", "context");
    turn("teacher first?", "primary answer", "openai", "primary");
    turn("local answered?", "local answer", "local", "local");
    rate(qa("rated?", "yes"), { rating: "good" });
    const off = await exportTrainingData({ out, feedback, projectRoot: project, env, sessionsDir: sessions });
    expect(off.summary.byKind.teacher).toBe(0);
    const on = await exportTrainingData({ out, feedback, projectRoot: project, env: { ...env, WREN_TRAIN_COLLECT_TEACHER: "true" }, sessionsDir: sessions });
    const teacher = all(on).filter((e) => e.kind === "teacher");
    expect(teacher.map((e) => e.messages.at(-1)?.content).sort()).toEqual(["teacher context answer", "teacher fallback answer"]);
    expect(teacher.every((e) => e.weight === 5 && e.label)).toBe(true);
    expect(on.summary.byKind).toMatchObject({ good: 1, teacher: 2 });
  });
});
