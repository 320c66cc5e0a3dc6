import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { capturePrinted } from "../../test/helpers/printed.js";
import { rateAgentSession } from "../runtime/agent-sessions.js";
import { deleteSession, printSession, printSessionList } from "./sessions.js";

describe("wren sessions list", () => {
  let home: string;
  let before: string | undefined;
  beforeEach(() => {
    home = mkdtempSync(path.join(os.tmpdir(), "wren-sessions-list-"));
    before = process.env["WREN_HOME"];
    process.env["WREN_HOME"] = home;
  });
  afterEach(() => {
    if (before === undefined) delete process.env["WREN_HOME"];
    else process.env["WREN_HOME"] = before;
    vi.restoreAllMocks();
    rmSync(home, { recursive: true, force: true });
  });

  it("shows a damaged session as damaged, with its problem, rather than saying there are none", () => {
    const dir = path.join(home, "state", "sessions");
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, "broken-1.jsonl"), "garbage\n");
    const out: string[] = [];
    vi.spyOn(process.stdout, "write").mockImplementation((chunk) => (out.push(String(chunk)), true));
    printSessionList({});
    const text = out.join("");
    expect(text).not.toContain("No sessions yet");
    expect(text).toContain("broken-1");
    expect(text).toMatch(/Damaged: broken-1: Line 1 of the session transcript .* is not a valid record/);
    expect(text).toContain("wren sessions rm broken-1");
  });
});

describe("wren sessions show", () => {
  let home: string;
  beforeEach(() => {
    home = mkdtempSync(path.join(os.tmpdir(), "wren-sessions-show-"));
    vi.stubEnv("WREN_HOME", home);
  });
  afterEach(() => {
    vi.restoreAllMocks();
    vi.unstubAllEnvs();
    rmSync(home, { recursive: true, force: true });
  });

  it("says why a run ended in an error, as its end recorded it", () => {
    const dir = path.join(home, "state", "sessions");
    mkdirSync(dir, { recursive: true });
    const header = { type: "session", version: 1, id: "s-1", createdAt: "2026-01-01T00:00:00.000Z", cwd: "/p", projectRoot: "/p", model: "nope", mode: "default", system: "S", tools: [] };
    const records = [
      header,
      { type: "message", at: "2026-01-01T00:00:01.000Z", message: { role: "user", content: [{ type: "text", text: "hi" }] } },
      { type: "end", at: "2026-01-01T00:00:02.000Z", reason: "error", error: { code: "upstream_error", message: "openai answered HTTP 500: boom", hint: "Retry later." } },
      // Written by an older wren: no error recorded.
      { type: "end", at: "2026-01-01T00:00:03.000Z", reason: "error" },
      { type: "end", at: "2026-01-01T00:00:04.000Z", reason: "done" },
    ];
    writeFileSync(path.join(dir, "s-1.jsonl"), records.map((r) => `${JSON.stringify(r)}\n`).join(""));
    const printed = capturePrinted();
    printSession("s-1", {});
    expect(printed.out.split("\n").slice(-4)).toEqual(["[run ended: error: openai answered HTTP 500: boom]", "[run ended: error]", "[run ended: done]", ""]);
  });

  it("says where a torn record was skipped, in text and in --json", () => {
    const dir = path.join(home, "state", "sessions");
    mkdirSync(dir, { recursive: true });
    const header = { type: "session", version: 1, id: "s-2", createdAt: "2026-01-01T00:00:00.000Z", cwd: "/p", projectRoot: "/p", model: "m", mode: "default", system: "S", tools: [] };
    const ask = { type: "message", at: "2026-01-01T00:00:01.000Z", message: { role: "user", content: [{ type: "text", text: "hi" }] } };
    const answer = { type: "message", at: "2026-01-01T00:00:03.000Z", message: { role: "assistant", content: [{ type: "text", text: "hello" }] } };
    // Line 3: a record a failed write cut short, ended with ' [torn]' by the next write.
    const text = `${JSON.stringify(header)}\n${JSON.stringify(ask)}\n{"type":"message","at":"2026-01-01T00:00:02.000Z","mess [torn]\n${JSON.stringify(answer)}\n`;
    writeFileSync(path.join(dir, "s-2.jsonl"), text);
    const printed = capturePrinted();
    printSession("s-2", {});
    expect(printed.out.split("\n").slice(1, 4)).toEqual([
      "user: hi",
      "[a damaged record was skipped here (line 3 of the transcript): a write cut short, by a full disk or the file-size limit]",
      "assistant: hello",
    ]);
    printed.out = "";
    printSession("s-2", { json: true });
    const lines = printed.out.trimEnd().split("\n").map((l) => JSON.parse(l) as { type: string });
    expect(lines.map((l) => l.type)).toEqual(["session", "message", "skipped", "message"]);
    expect(lines[2]).toEqual({ type: "skipped", line: 3, reason: "torn" });
  });
  it("shows what the model and the tools wrote without letting the terminal act on it", () => {
    const dir = path.join(home, "state", "sessions");
    mkdirSync(dir, { recursive: true });
    const header = { type: "session", version: 1, id: "s-3", createdAt: "2026-01-01T00:00:00.000Z", cwd: "/p", projectRoot: "/p", model: "m", mode: "default", system: "S", tools: [] };
    const answer = { type: "message", at: "2026-01-01T00:00:01.000Z", message: { role: "assistant", content: [{ type: "text", text: "ok\x1b]52;c;cm0gLXJm\x07\x1b[2J" }, { type: "tool-call", toolCallId: "c", toolName: "Bash", input: { command: "ls" } }] } };
    const result = { type: "message", at: "2026-01-01T00:00:02.000Z", message: { role: "tool", content: [{ type: "tool-result", toolCallId: "c", toolName: "Bash", output: "a\rb\x1b]0;title\x07", isError: false }] } };
    writeFileSync(path.join(dir, "s-3.jsonl"), [header, answer, result].map((r) => `${JSON.stringify(r)}\n`).join(""));
    const printed = capturePrinted();
    printSession("s-3", {});
    expect(printed.out).not.toMatch(/[^\P{Cc}\n\t]/u);
    expect(printed.out).toContain("assistant: ok\n");
    expect(printed.out).toContain("← Bash: a\nb\n");
  });
});

describe("wren sessions rm", () => {
  let home: string;
  beforeEach(() => {
    home = mkdtempSync(path.join(os.tmpdir(), "wren-sessions-rm-cli-"));
    vi.stubEnv("WREN_HOME", home);
  });
  afterEach(() => {
    vi.restoreAllMocks();
    vi.unstubAllEnvs();
    rmSync(home, { recursive: true, force: true });
  });

  const rated = (id: string): void => {
    const dir = path.join(home, "state", "sessions");
    mkdirSync(dir, { recursive: true });
    const header = { type: "session", version: 1, id, createdAt: "2026-01-01T00:00:00.000Z", cwd: "/p", projectRoot: "/p", model: "m", mode: "default", system: "S", tools: [] };
    const ask = { type: "message", at: "2026-01-01T00:00:01.000Z", message: { role: "user", content: [{ type: "text", text: "hi" }] } };
    const answer = { type: "message", at: "2026-01-01T00:00:02.000Z", message: { role: "assistant", content: [{ type: "text", text: "hello" }] } };
    writeFileSync(path.join(dir, `${id}.jsonl`), [header, ask, answer].map((r) => `${JSON.stringify(r)}\n`).join(""));
    rateAgentSession(id, { rating: "good" }, { corrected: 10, bad: 3, good: 1 });
  };

  it("says how many ratings went with the session, or that --keep-ratings kept them", () => {
    rated("s-1");
    rated("s-2");
    const printed = capturePrinted();
    deleteSession("s-1", {});
    deleteSession("s-2", { keepRatings: true });
    expect(printed.err).toBe("wren: removed session s-1 and its 1 rating from the feedback log\nwren: removed session s-2; its ratings stay in the feedback log (--keep-ratings)\n");
  });
});
