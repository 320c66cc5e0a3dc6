import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { feedbackFile, rateLastAnswer, readFeedback, readFeedbackLog } from "./feedback.js";
import { Session } from "./session.js";
import { readTranscript } from "./transcript.js";

describe("feedback and transcripts on disk", () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(path.join(os.tmpdir(), "wren-feedback-"))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const answered = (): Session => {
    const session = Session.create({ dir, cwd: dir, projectRoot: dir, model: "auto", mode: "default", system: "sys", tools: [] });
    session.push({ role: "user", content: [{ type: "text", text: "old question" }] });
    session.push({ role: "assistant", content: [{ type: "text", text: "old answer" }] });
    session.push({ role: "user", content: [{ type: "text", text: "What is 2+2?" }] });
    session.push({ role: "assistant", content: [{ type: "text", text: "5" }] });
    session.recordTurn({ turn: 1, provenance: { provider: "local", model: "tiny", reason: "local", route: "default" }, usage: { inputTokens: 5, outputTokens: 1, totalTokens: 6 }, finishReason: "stop" });
    session[Symbol.dispose]();
    return session;
  };

  it("rates the last answer with the exchange, who answered and the weight (corrected 10, bad 3, good 1, or configured)", () => {
    const session = answered();
    const file = feedbackFile(path.join(dir, "data"));
    const corrected = rateLastAnswer(session.file, { rating: "bad", note: "wrong sum", correction: "4" }, { file });
    rateLastAnswer(session.file, { rating: "bad" }, { file });
    rateLastAnswer(session.file, { rating: "good" }, { file, weights: { corrected: 20, bad: 5, good: 2 } });
    expect(corrected.exchange.messages.map((m) => m.role)).toEqual(["user", "assistant"]);
    const entries = readFeedback(file);
    expect(entries.map((e) => [e.rating, e.weight])).toEqual([["bad", 10], ["bad", 3], ["good", 2]]);
    expect(entries[0]).toMatchObject({ sessionId: session.id, note: "wrong sum", correction: "4", provenance: { provider: "local", model: "tiny" }, exchange: { system: "sys" } });
    expect(readFileSync(file, "utf8").endsWith("\n")).toBe(true);
  });

  it("rates the last answer when a later prompt failed before any answer", () => {
    const session = Session.open(dir, answered().id);
    session.push({ role: "user", content: [{ type: "text", text: "And 3+3?" }] });
    session.end("error", { code: "upstream_error", message: "HTTP 500", isRetryable: true });
    session[Symbol.dispose]();
    const entry = rateLastAnswer(session.file, { rating: "bad", correction: "4" }, { file: feedbackFile(dir) });
    expect(entry.exchange.messages.map((m) => m.content)).toEqual([[{ type: "text", text: "What is 2+2?" }], [{ type: "text", text: "5" }]]);
  });

  it("refuses what cannot be rated, saying why", () => {
    const session = Session.create({ dir, cwd: dir, projectRoot: dir, model: "auto", mode: "default", system: "sys", tools: [] });
    session[Symbol.dispose]();
    const file = feedbackFile(dir);
    expect(() => rateLastAnswer(session.file, { rating: "good" }, { file })).toThrow(/has no answer to rate yet/);
    expect(() => rateLastAnswer(answered().file, { rating: "good", correction: "x" }, { file })).toThrow(/A correction goes with a bad rating/);
  });

  it("a torn last line (a writer killed mid-write) is left out by readers and never merges with the next record", () => {
    const session = answered();
    appendFileSync(session.file, '{"type":"message","at":"x","mess');
    expect(readTranscript(session.file).at(-1)).toMatchObject({ type: "turn" });
    const reopened = Session.open(dir, session.id);
    reopened.push({ role: "user", content: [{ type: "text", text: "again" }] });
    reopened[Symbol.dispose]();
    const lines = readFileSync(session.file, "utf8").trim().split("\n");
    expect(lines.every((l) => JSON.parse(l) !== undefined)).toBe(true);
    expect(readTranscript(session.file).at(-1)).toMatchObject({ type: "message" });

    const file = feedbackFile(dir);
    writeFileSync(file, '{"rating":"go');
    expect(readFeedback(file)).toEqual([]);
    rateLastAnswer(answered().file, { rating: "good" }, { file });
    expect(readFeedback(file).map((e) => e.rating)).toEqual(["good"]);
    expect(readFileSync(file, "utf8").split("\n")[0]).toBe('{"rating":"go');
  });

  it("reads a feedback log piece by piece (a log past JavaScript's longest string still reads), lines across pieces whole", () => {
    const file = feedbackFile(path.join(dir, "data"));
    const session = answered();
    for (let i = 0; i < 3; i++) rateLastAnswer(session.file, { rating: i === 1 ? "bad" : "good", note: `é ${"x".repeat(50 * i)}` }, { file });
    appendFileSync(file, '\n{"not": "a rating"}\n{"rating":"go');
    const whole = readFeedbackLog(file);
    expect(whole.entries.map((e) => e.rating)).toEqual(["good", "bad", "good"]);
    expect(whole.damaged).toEqual([5]);
    // Pieces of a few bytes split lines, and the two bytes of 'é', everywhere.
    for (const chunkBytes of [1, 7, 64, 1000]) expect(readFeedbackLog(file, { chunkBytes })).toEqual(whole);
  });

  it("a damaged line in the middle of a transcript is an error naming the line", () => {
    const session = answered();
    const lines = readFileSync(session.file, "utf8").split("\n");
    lines[2] = "not json";
    writeFileSync(session.file, lines.join("\n"));
    expect(() => readTranscript(session.file)).toThrow(/Line 3 of the session transcript .* is not a valid record/);
  });
});
