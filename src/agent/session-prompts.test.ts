import { appendFileSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { userText } from "../protocol/index.js";
import { Session } from "./session.js";

/** What "Continuing session X (N earlier prompts …)" counts: every prompt on record, and those the model no longer sees. */
describe("a reopened session's earlier prompts", () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(path.join(os.tmpdir(), "wren-session-prompts-"))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const answer = (text: string) => ({ role: "assistant" as const, content: [{ type: "text" as const, text }] });

  it("counts every prompt of the transcript, failed ones and ones compacted away too, and says how many failed", () => {
    const first = Session.create({ dir, cwd: dir, projectRoot: dir, model: "auto", mode: "default", system: "s", tools: [] });
    expect(first.earlierPrompts).toEqual({ total: 0, failed: 0 });
    first.push(userText("one"));
    first.push(answer("First."));
    first.end("done");
    first.push(userText("two"));
    first.end("error", { code: "upstream_error", message: "HTTP 500" });
    first.push(userText("three"));
    first.push(answer("Third."));
    first.end("done");
    first[Symbol.dispose]();

    const reopened = Session.open(dir, first.id);
    // Three were typed (one, two, three); the model sees two: two failed before an answer.
    expect(reopened.messages.filter((m) => m.role === "user")).toHaveLength(2);
    expect(reopened.earlierPrompts).toEqual({ total: 3, failed: 1 });
    reopened.replaceMessages("The user counted.", [userText("Summary: one, three."), answer("Noted.")]);
    reopened.push(userText("four"));
    reopened.push(answer("Fourth."));
    reopened.end("done");
    reopened[Symbol.dispose]();

    using again = Session.open(dir, first.id);
    expect(again.messages.filter((m) => m.role === "user")).toHaveLength(2);
    expect(again.earlierPrompts).toEqual({ total: 4, failed: 1 });
  });

  it("counts the damaged records it skipped (a write torn and ended with ' [torn]') and goes on without them", () => {
    const first = Session.create({ dir, cwd: dir, projectRoot: dir, model: "auto", mode: "default", system: "s", tools: [] });
    first.push(userText("one"));
    first.push(answer("First."));
    first.end("done");
    first[Symbol.dispose]();
    // A record a full disk cut short, which the writer could not cut off the file again.
    appendFileSync(first.file, `{"type":"message","message":{"role":"user","content":[{"type":"te [torn]\n`);

    const reopened = Session.open(dir, first.id);
    expect(reopened.damagedRecords).toBe(1);
    expect(reopened.earlierPrompts).toEqual({ total: 1, failed: 0 });
    expect(reopened.messages.map((m) => m.role)).toEqual(["user", "assistant"]);
    reopened[Symbol.dispose]();
    expect(first.damagedRecords).toBe(0);
  });
});
