import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import type { AgentEvent, RunOutcome } from "../runtime/agent-types.js";
import { WrenError } from "../shared/errors.js";
import { createPrinter, type OutputFormat } from "./agent-output.js";

const usage = { inputTokens: 12, outputTokens: 3, totalTokens: 15 };
const provenance = { provider: "openai", model: "gpt-4o-mini", reason: "direct", route: "direct" };
const events: AgentEvent[] = [
  { type: "turn-start", turn: 1 },
  { type: "text-delta", turn: 1, delta: "Looking." },
  { type: "tool-call", turn: 1, id: "c1", name: "Edit", input: { file_path: "a.ts" } },
  { type: "decision", turn: 1, id: "c1", name: "Edit", action: "deny", reason: "Edit a.ts asks; no one can be asked" },
  { type: "tool-result", turn: 1, id: "c1", name: "Edit", output: "Permission denied", display: "refused", isError: true },
  { type: "turn-end", turn: 1, provenance, usage, finishReason: "tool-calls" },
  { type: "turn-start", turn: 2 },
  { type: "text-delta", turn: 2, delta: "Could not edit." },
  { type: "turn-end", turn: 2, provenance, usage, finishReason: "stop" },
];
const outcome: RunOutcome = {
  reason: "max-turns",
  result: "Could not edit.",
  turns: 2,
  toolCalls: [{ id: "c1", name: "Edit", input: { file_path: "a.ts" }, decision: "deny", reason: "Edit a.ts asks; no one can be asked", isError: true }],
  turnRecords: [
    { turn: 1, provenance, usage, finishReason: "tool-calls" },
    { turn: 2, provenance: undefined, usage, finishReason: "stop" },
  ],
  usage: { inputTokens: 24, outputTokens: 6, totalTokens: 30 },
};

function render(format: OutputFormat): { out: string; err: string } {
  const out = new PassThrough();
  const err = new PassThrough();
  const printer = createPrinter(format, out, err);
  printer.start({ id: "s1", model: "openai:gpt-4o-mini", mode: "default", cwd: "/p" });
  for (const e of events) printer.event(e);
  printer.end({ outcome, sessionId: "s1", costUsd: 0.25 });
  out.end();
  err.end();
  return { out: String(out.read() ?? ""), err: String(err.read() ?? "") };
}

describe("wren -p output formats", () => {
  it("text: the answer on stdout, one line per turn; decisions and the max-turns stop on stderr", () => {
    const { out, err } = render("text");
    expect(out).toBe("Looking.\nCould not edit.\n");
    expect(err).toBe("wren: Edit refused: Edit a.ts asks; no one can be asked\nwren: stopped after 2 turns (--max-turns); resume with --resume s1\n");
  });

  it("text: stdout and stderr on one terminal (or 2>&1): a turn's words end their line before a decision's line starts, and stdout's bytes stay the same", () => {
    const both: string[] = [];
    const out = new PassThrough();
    const err = new PassThrough();
    out.on("data", (d: Buffer) => both.push(String(d)));
    err.on("data", (d: Buffer) => both.push(String(d)));
    const printer = createPrinter("text", out, err);
    printer.start({ id: "s1", model: "openai:gpt-4o-mini", mode: "default", cwd: "/p" });
    for (const e of events) printer.event(e);
    printer.end({ outcome: { ...outcome, reason: "done" }, sessionId: "s1", costUsd: 0 });
    expect(both.join("")).toBe("Looking.\nwren: Edit refused: Edit a.ts asks; no one can be asked\nCould not edit.\n");
    expect(render("text").out).toBe("Looking.\nCould not edit.\n");
  });

  it("text: an answer the model's output limit or a content filter cut short is said to be so on stderr, not passed off as whole", () => {
    const out = new PassThrough();
    const err = new PassThrough();
    const printer = createPrinter("text", out, err);
    printer.start({ id: "s1", model: "openai:gpt-4o-mini", mode: "default", cwd: "/p" });
    for (const [turn, finishReason] of [[1, "length"], [2, "content-filter"], [3, "stop"]] as const) {
      printer.event({ type: "turn-start", turn });
      printer.event({ type: "text-delta", turn, delta: `Part ${turn}` });
      printer.event({ type: "turn-end", turn, provenance, usage, finishReason });
    }
    printer.end({ outcome: { ...outcome, reason: "done" }, sessionId: "s1", costUsd: 0 });
    out.end();
    err.end();
    expect(String(out.read())).toBe("Part 1\nPart 2\nPart 3\n");
    expect(String(err.read())).toBe(
      "wren: the answer stopped at the model's output limit (finish reason length): it may be incomplete\n" +
        "wren: the provider's content filter stopped the answer (finish reason content-filter): it may be incomplete\n",
    );
  });

  it("json: one object with snake_case fields, a turn's missing provenance as nulls", () => {
    const { out, err } = render("json");
    expect(err).toBe("");
    expect(JSON.parse(out)).toEqual({
      result: "Could not edit.",
      session_id: "s1",
      stop_reason: "max-turns",
      is_error: true,
      turns: 2,
      tool_calls: [{ id: "c1", name: "Edit", input: { file_path: "a.ts" }, decision: "deny", reason: "Edit a.ts asks; no one can be asked", is_error: true }],
      usage: { input_tokens: 24, output_tokens: 6, total_tokens: 30 },
      provenance: [
        { turn: 1, ...provenance },
        { turn: 2, provider: null, model: null, reason: null },
      ],
      cost: { usd: 0.25 },
    });
  });

  it("json and stream-json: a usage's cache reads (and of those, the ones a local model restored from saved prompt states) and writes, where the turns stated them, beside its input tokens", () => {
    const cachedUsage = { inputTokens: 5212, cachedInputTokens: 5000, restoredInputTokens: 1200, cacheWriteInputTokens: 200, outputTokens: 5, totalTokens: 5217 };
    for (const format of ["json", "stream-json"] as const) {
      const out = new PassThrough();
      const printer = createPrinter(format, out, new PassThrough());
      printer.event({ type: "turn-end", turn: 1, provenance, usage: cachedUsage, finishReason: "stop" });
      printer.end({ outcome: { ...outcome, usage: cachedUsage }, sessionId: "s1", costUsd: 0 });
      out.end();
      const lines = String(out.read() ?? "").trim().split("\n").map((l) => JSON.parse(l) as { type?: string; usage: unknown });
      const usageJson = { input_tokens: 5212, cached_input_tokens: 5000, restored_input_tokens: 1200, cache_write_input_tokens: 200, output_tokens: 5, total_tokens: 5217 };
      expect(lines.at(-1)!.usage).toEqual(usageJson);
      if (format === "stream-json") expect(lines.find((l) => l.type === "turn_end")!.usage).toEqual(usageJson);
    }
  });

  it("stream-json: the session, every event and the result, one JSON object per line", () => {
    const lines = render("stream-json").out.trim().split("\n").map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.map((l) => l["type"])).toEqual(["session", "turn_start", "text", "tool_call", "decision", "tool_result", "turn_end", "turn_start", "text", "turn_end", "result"]);
    expect(lines[0]).toEqual({ type: "session", session_id: "s1", model: "openai:gpt-4o-mini", mode: "default", cwd: "/p" });
    expect(lines[4]).toEqual({ type: "decision", turn: 1, id: "c1", name: "Edit", decision: "deny", reason: "Edit a.ts asks; no one can be asked" });
    expect(lines[6]).toMatchObject({ type: "turn_end", usage: { input_tokens: 12 }, finish_reason: "tool-calls", provenance });
    expect(lines.at(-1)).toMatchObject({ type: "result", stop_reason: "max-turns", cost: { usd: 0.25 } });
  });

  describe("a run that fails before it ends", () => {
    const failure = new WrenError("bad_request", '"x" is not a session id.', { hint: "Session ids are listed by `wren sessions list`." });
    const fail = (format: OutputFormat, then?: "end"): { out: string; err: string } => {
      const out = new PassThrough();
      const err = new PassThrough();
      const printer = createPrinter(format, out, err);
      if (then === "end") printer.end({ outcome, sessionId: "s1", costUsd: 0 });
      printer.failed(failure, null);
      out.end();
      err.end();
      return { out: String(out.read() ?? ""), err: String(err.read() ?? "") };
    };
    const expected = {
      result: "",
      session_id: null,
      stop_reason: "error",
      is_error: true,
      turns: 0,
      tool_calls: [],
      usage: { input_tokens: 0, output_tokens: 0, total_tokens: 0 },
      provenance: [],
      cost: { usd: 0 },
      error: { code: "bad_request", message: '"x" is not a session id.', hint: "Session ids are listed by `wren sessions list`." },
    };

    it("json and stream-json print the result object with the error, as a failed run's", () => {
      expect(JSON.parse(fail("json").out)).toEqual(expected);
      expect(fail("stream-json").out.trim().split("\n").map((l) => JSON.parse(l) as unknown)).toEqual([{ type: "result", ...expected }]);
    });

    it("prints one result only, and nothing in text (the error goes to stderr as any other)", () => {
      expect(fail("json", "end").out.trim().split("\n")).toHaveLength(1);
      expect(fail("stream-json", "end").out.trim().split("\n")).toHaveLength(1);
      expect(fail("text")).toEqual({ out: "", err: "" });
    });
  });
});

describe("wren -p text output: what a tool or an MCP server named reaches stderr as text, never as terminal instructions", () => {
  it("a decision's tool name and reason show their control characters written out", () => {
    const out = new PassThrough();
    const err = new PassThrough();
    const printer = createPrinter("text", out, err);
    printer.event({ type: "decision", turn: 1, id: "c1", name: "mcp__s__t\x1b]52;c;eA==\x07", action: "allow", reason: "Bash(ls\r\x1b[2Krm -rf ~) allowed by rule" });
    const text = String(err.read() ?? "");
    expect(text).toBe("wren: mcp__s__t\\x1b]52;c;eA==\\x07 allowed: Bash(ls\\r\\x1b[2Krm -rf ~) allowed by rule\n");
  });

  it("an MCP server left out: its name and error cannot move the cursor or set the title", () => {
    const out = new PassThrough();
    const err = new PassThrough();
    const printer = createPrinter("text", out, err);
    const error = { code: "upstream_error", message: "spawn failed\x1b]0;pwned\x07\x1b[1A\x1b[2K", isRetryable: false } as never;
    printer.start({ id: "s", model: "m", mode: "default", cwd: "/", mcpFailures: [{ server: "srv\x1b[31m", error }] });
    const text = String(err.read() ?? "");
    expect(text).not.toMatch(/[^\P{Cc}\n\t]/u);
    expect(text).toContain("srv\\x1b[31m");
  });

  it("leaves the answer on stdout as the model wrote it", () => {
    const out = new PassThrough();
    const printer = createPrinter("text", out, new PassThrough());
    printer.event({ type: "text-delta", turn: 1, delta: "raw \x1b[1mbold\x1b[0m\n" });
    expect(String(out.read())).toBe("raw \x1b[1mbold\x1b[0m\n");
  });
});
