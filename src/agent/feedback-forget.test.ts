import { appendFileSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { tryFileLock } from "../models/file-lock.js";
import { feedbackFile, forgetSessionFeedback, rateLastAnswer, readFeedbackLog } from "./feedback.js";
import { Session } from "./session.js";

describe("forgetting a session's ratings (wren sessions rm)", () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(path.join(os.tmpdir(), "wren-feedback-forget-"))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const answered = (answer: string): Session => {
    const session = Session.create({ dir, cwd: dir, projectRoot: dir, model: "auto", mode: "default", system: "sys", tools: [] });
    session.push({ role: "user", content: [{ type: "text", text: "What is 2+2?" }] });
    session.push({ role: "assistant", content: [{ type: "text", text: answer }] });
    session[Symbol.dispose]();
    return session;
  };

  it("removes every rating of the session and keeps the others' lines as they were, damaged ones included", () => {
    const gone = answered("secret answer");
    const kept = answered("4");
    const file = feedbackFile(path.join(dir, "data"));
    rateLastAnswer(gone.file, { rating: "bad", correction: "4" }, { file });
    rateLastAnswer(kept.file, { rating: "good" }, { file });
    appendFileSync(file, "not json, a hand edit\n");
    rateLastAnswer(gone.file, { rating: "good" }, { file });
    const before = readFileSync(file, "utf8").split("\n");

    expect(forgetSessionFeedback(file, gone.id)).toBe(2);
    const after = readFileSync(file, "utf8");
    expect(after).not.toContain("secret answer");
    expect(after).toBe(`${before[1]}\n${before[2]}\n`);
    expect(readFeedbackLog(file).entries.map((e) => e.sessionId)).toEqual([kept.id]);
    if (process.platform !== "win32") expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(forgetSessionFeedback(file, gone.id)).toBe(0);
  });

  it("drops a torn fragment of the session's rating too, leaves the log untouched when it holds none, and copes with no log", () => {
    const gone = answered("secret answer");
    const kept = answered("4");
    const file = feedbackFile(dir);
    expect(forgetSessionFeedback(file, gone.id)).toBe(0);
    rateLastAnswer(kept.file, { rating: "good" }, { file });
    const untouched = statSync(file);
    expect(forgetSessionFeedback(file, gone.id)).toBe(0);
    expect(statSync(file).ino).toBe(untouched.ino);
    appendFileSync(file, `{"at":"x","sessionId":"${gone.id}","rating":"bad","exchange":{"system":"sys","messages":[{"role":"user","content":[{"type":"text","text":"secret`);
    expect(forgetSessionFeedback(file, gone.id)).toBe(1);
    expect(readFileSync(file, "utf8")).not.toContain("secret");
    rateLastAnswer(kept.file, { rating: "bad" }, { file });
    expect(readFeedbackLog(file)).toMatchObject({ entries: [{ rating: "good" }, { rating: "bad" }], damaged: [] });
  });

  it("rewrites the log, and appends to it, only under the log's lock, so no rating written meanwhile is lost", () => {
    const session = answered("4");
    const file = feedbackFile(dir);
    writeFileSync(file, "");
    const lock = tryFileLock(`${file}.lock`);
    if (!("held" in lock)) throw new Error("the lock should be free");
    try {
      expect(() => rateLastAnswer(session.file, { rating: "good" }, { file, lockWaitMs: 200 })).toThrow(/busy/);
      expect(() => forgetSessionFeedback(file, session.id, { lockWaitMs: 200 })).toThrow(/busy/);
    } finally {
      lock.held.release();
    }
    rateLastAnswer(session.file, { rating: "good" }, { file });
    expect(forgetSessionFeedback(file, session.id)).toBe(1);
  });
});
