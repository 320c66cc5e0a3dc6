import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { runUnderFileSizeLimit } from "../../test/helpers/file-size-limit.js";
import type { Message } from "../protocol/index.js";
import { Session } from "./session.js";
import { readTranscript } from "./transcript.js";

const session = fileURLToPath(new URL("./session.ts", import.meta.url));
const protocol = fileURLToPath(new URL("../protocol/index.ts", import.meta.url));
const agentSession = fileURLToPath(new URL("../runtime/agent-session.ts", import.meta.url));
const agent = fileURLToPath(new URL("./agent.ts", import.meta.url));
const zod = createRequire(import.meta.url).resolve("zod");

/**
 * A transcript write that fails part-way (the disk full, the file at its size limit) must leave the
 * conversation in memory and the file on disk alike. The child process runs under a real file-size
 * limit (`ulimit -f`), a failure an open transcript meets for real without root (a file made
 * unwritable or a folder removed does not stop writes to a file already open): past the limit a
 * write is cut short, then refused (EFBIG, SIGXFSZ ignored), as on a disk that fills up (ENOSPC).
 */
describe.skipIf(process.platform === "win32")("a transcript write that fails", () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(path.join(os.tmpdir(), "wren-session-write-"))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("leaves the message out of the conversation and the file, says why, and the next message is recorded whole", () => {
    const out = runUnderFileSizeLimit({
      dir,
      kib: 8,
      timeoutMs: 60_000,
      script: `import { Session } from ${JSON.stringify(session)};
import { userText } from ${JSON.stringify(protocol)};
const s = Session.create({ dir: ${JSON.stringify(path.join(dir, "sessions"))}, cwd: "/", projectRoot: "/", model: "auto", mode: "default", system: "s", tools: [] });
s.push(userText("one"));
let error = "";
try {
  s.push(userText("x".repeat(12000)));
} catch (e) {
  error = e instanceof Error ? e.message : String(e);
}
s.push({ role: "assistant", content: [{ type: "text", text: "two" }] });
s.sync();
s[Symbol.dispose]();
process.stdout.write(JSON.stringify({ file: s.file, error, messages: s.messages }));
`,
    }) as { file: string; error: string; messages: Message[] };
    expect(out.error).toMatch(/^Cannot write to the session transcript .*: the file has reached the largest size this process may write/);
    expect(out.messages).toEqual([
      { role: "user", content: [{ type: "text", text: "one" }] },
      { role: "assistant", content: [{ type: "text", text: "two" }] },
    ]);
    // The file holds what the conversation holds, every line whole.
    const records = readTranscript(out.file);
    expect(records.flatMap((r) => (r.type === "message" ? [r.message] : []))).toEqual(out.messages);
  });

  /** Runs `body` in a child under `ulimit -f 8` (8 KiB) with Session, userText and fill(s, room) in scope; returns what it prints. */
  const runChild = (body: string): unknown =>
    runUnderFileSizeLimit({
      dir,
      kib: 8,
      timeoutMs: 60_000,
      script: `import { statSync } from "node:fs";
import { Session } from ${JSON.stringify(session)};
import { userText } from ${JSON.stringify(protocol)};
import { openSession } from ${JSON.stringify(agentSession)};
import { Agent } from ${JSON.stringify(agent)};
import { z } from ${JSON.stringify(zod)};
const LIMIT = 8 * 1024;
const newSession = (id: string, mode: "default" | "bypass" = "default") => Session.create({ id, dir: ${JSON.stringify(path.join(dir, "state", "sessions"))}, cwd: "/", projectRoot: "/", model: "auto", mode, system: "s", tools: [] });
// A user message that leaves the file room bytes short of the limit.
const fill = (s: Session, room: number) => {
  const overhead = Buffer.byteLength(JSON.stringify({ type: "message", at: new Date().toISOString(), message: userText("") })) + 1;
  s.push(userText("x".repeat(LIMIT - room - statSync(s.file).size - overhead)));
  if (statSync(s.file).size !== LIMIT - room) throw new Error("fill missed: " + statSync(s.file).size);
};
const failure = (f: () => void) => {
  try {
    f();
    return "";
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
};
${body}
`,
    });

  it("leaves a mode change, a turn and a run's end out of the session in memory when the transcript refuses them, as a reopened session has it", () => {
    const out = runChild(`
const states: unknown[] = [];
for (const [id, change] of [
  ["mode", (s: Session) => s.setMode("plan")],
  ["turn", (s: Session) => s.recordTurn({ turn: 1, provenance: { provider: "openai", model: "gpt", reason: "route" }, usage: { inputTokens: 1, outputTokens: 1 }, finishReason: "stop" })],
  ["end", (s: Session) => s.end("error", { code: "internal", message: "boom" })],
] as const) {
  const s = newSession(id);
  fill(s, 5);
  const error = failure(() => change(s));
  const size = statSync(s.file).size;
  states.push({ id, error, size, mode: s.mode, answered: s.answered, lastProvenance: s.lastProvenance ?? null, lastEnd: s.lastEnd ?? null, messages: s.messages.length });
  s[Symbol.dispose]();
}
process.stdout.write(JSON.stringify(states));
`) as Array<{ id: string; error: string; size: number; mode: string; answered: boolean; lastProvenance: unknown; lastEnd: unknown; messages: number }>;
    expect(out.map((s) => s.id)).toEqual(["mode", "turn", "end"]);
    for (const state of out) {
      expect(state.error, state.id).toMatch(/^Cannot write to the session transcript .*: the file has reached the largest size this process may write/);
      // The file as it was, and the session in memory as the file has it.
      expect.soft(state, state.id).toMatchObject({ size: 8 * 1024 - 5, mode: "default", answered: false, lastProvenance: null, lastEnd: null, messages: 1 });
      using reopened = Session.open(path.join(dir, "state", "sessions"), state.id);
      expect.soft({ mode: reopened.mode, answered: reopened.answered, lastProvenance: reopened.lastProvenance ?? null, messages: reopened.messages.length }, state.id).toEqual({
        mode: state.mode,
        answered: state.answered,
        lastProvenance: state.lastProvenance,
        messages: state.messages,
      });
    }
  });

  it("a turn whose tool results the transcript refuses leaves no trace of who answered it, and its calls are answered as of unknown fate before the next prompt, as a reopened session has them", () => {
    const out = runChild(`
const s = newSession("tools");
// Answers first with a call of Big, whose result is larger than the file may grow, then with text.
const requests: unknown[] = [];
const model = {
  provider: "p",
  modelId: "m",
  doGenerate: () => Promise.reject(new Error("not used")),
  async *doStream(request: { messages: unknown[] }) {
    requests.push(request.messages);
    if (requests.length > 1) {
      yield { type: "text-start", id: "0" };
      yield { type: "text-delta", id: "0", delta: "ok" };
      yield { type: "text-end", id: "0" };
      yield { type: "finish", finishReason: "stop", usage: { inputTokens: 1, outputTokens: 1 } };
      return;
    }
    yield { type: "tool-call", toolCallId: "c1", toolName: "Big", input: "{}" };
    yield { type: "finish", finishReason: "tool-calls", usage: { inputTokens: 1, outputTokens: 1 }, provenance: { provider: "openai", model: "gpt", reason: "route" } };
  },
};
const big = { name: "Big", description: "d", parameters: z.object({}), readOnly: true, permission: () => ({ tool: "Big", effect: "read" }), execute: async () => ({ llmContent: "x".repeat(10000), display: "big", isError: false }) };
const agent = new Agent(s, { model, tools: [big], permissions: { decide: () => ({ action: "allow", reason: "test" }) } });
const drain = async (prompt: string) => {
  const events = agent.run(prompt);
  for (;;) {
    const next = await events.next();
    if (next.done) return next.value;
  }
};
const outcome = await drain("go");
const state = { reason: outcome.reason, answered: s.answered, lastProvenance: s.lastProvenance ?? null };
// The next prompt in this process: its request is the conversation a reopened session would send.
const again = await drain("again");
s[Symbol.dispose]();
process.stdout.write(JSON.stringify({ ...state, again: again.reason, sent: requests[1] }));
`) as { reason: string; answered: boolean; lastProvenance: unknown; again: string; sent: Message[] };
    expect(out.reason).toBe("error");
    using reopened = Session.open(path.join(dir, "state", "sessions"), "tools");
    expect({ reason: out.reason, answered: out.answered, lastProvenance: out.lastProvenance }).toEqual({ reason: "error", answered: false, lastProvenance: null });
    // The call whose result was not recorded is answered as of unknown fate before the next prompt, as a reopened session answers it.
    expect(out.again).toBe("done");
    expect(out.sent.slice(1).map((m) => m.role)).toEqual(["user", "assistant", "tool", "user"]);
    expect(out.sent.slice(1, 4)).toEqual(reopened.messages.slice(0, 3));
    expect(JSON.stringify(out.sent[3])).toContain("before its result was recorded");
  });

  it("a record cut short that cannot be cut off again is skipped when read, and the records after it are kept", () => {
    // The disk takes part of a record and refuses the rest (ENOSPC, in one call, which says
    // nothing of the part written), and refuses to cut the part off again (EIO): stood in for by
    // wrapping node:fs before the session's modules load.
    const script = path.join(dir, "torn.mts");
    writeFileSync(
      script,
      `import { createRequire, syncBuiltinESMExports } from "node:module";
const fs = createRequire(import.meta.url)("node:fs");
const { writeSync, ftruncateSync } = fs;
let keep: ((length: number) => number) | undefined;
fs.writeSync = (fd: number, buffer: Buffer, offset: number, ...rest: unknown[]) => {
  if (!keep) return writeSync(fd, buffer, offset, ...rest);
  const n = keep(buffer.length - offset);
  keep = undefined;
  writeSync(fd, buffer, offset, n);
  throw Object.assign(new Error("ENOSPC: no space left on device, write"), { code: "ENOSPC" });
};
fs.ftruncateSync = (...args: unknown[]) => {
  if (refuseCut) throw Object.assign(new Error("EIO: i/o error, ftruncate"), { code: "EIO" });
  return ftruncateSync(...args);
};
let refuseCut = false;
syncBuiltinESMExports();
const { Session } = await import(${JSON.stringify(session)});
const { userText } = await import(${JSON.stringify(protocol)});
const s = Session.create({ dir: ${JSON.stringify(path.join(dir, "sessions"))}, cwd: "/", projectRoot: "/", model: "auto", mode: "default", system: "s", tools: [] });
const errors: string[] = [];
const torn = (text: string, length: (rest: number) => number) => {
  keep = length;
  refuseCut = true;
  try {
    s.push(userText(text));
  } catch (e) {
    errors.push(e instanceof Error ? e.message : String(e));
  }
  refuseCut = false;
};
s.push(userText("one"));
torn("two", () => 10);
s.push(userText("three"));
// All but the newline that ends the record: whole, yet not written.
torn("four", (rest) => rest - 1);
s.push(userText("five"));
torn("six", () => 1);
torn("seven", () => 20);
s.setMode("plan");
s[Symbol.dispose]();
process.stdout.write(JSON.stringify({ file: s.file, id: s.id, errors, messages: s.messages, mode: s.mode }));
`,
    );
    const tsx = path.resolve(fileURLToPath(new URL("../../node_modules/.bin/tsx", import.meta.url)));
    const run = spawnSync(tsx, [script], { stdio: ["ignore", "pipe", "pipe"], encoding: "utf8", timeout: 60_000 });
    expect(run.stderr).toBe("");
    const out = JSON.parse(run.stdout) as { file: string; id: string; errors: string[]; messages: Message[]; mode: string };
    expect(out.errors).toHaveLength(4);
    for (const error of out.errors) expect(error).toMatch(/^Cannot write to the session transcript .*: there is no space left on the disk/);
    expect(out.messages.map((m) => (m.content[0] as { text: string }).text)).toEqual(["one", "three", "five"]);
    // Each torn line is on a line of its own, skipped: what the file holds is what the session held.
    const records = readTranscript(out.file);
    expect(records.flatMap((r) => (r.type === "message" ? [r.message] : []))).toEqual(out.messages);
    using reopened = Session.open(path.join(dir, "sessions"), out.id);
    expect(reopened.messages).toEqual(out.messages);
    expect(reopened.mode).toBe("plan");
  });

  it("a session whose header the transcript refuses leaves no file behind, and the next one starts", () => {
    const sessions = path.join(dir, "state", "sessions");
    const out = runChild(`
import { readdirSync } from "node:fs";
// A system prompt larger than the limit: the header is cut short at it, then refused, and cut back.
const big = failure(() => Session.create({ id: "big", dir: ${JSON.stringify(sessions)}, cwd: "/", projectRoot: "/", model: "auto", mode: "default", system: "x".repeat(LIMIT + 100), tools: [] }));
const left = readdirSync(${JSON.stringify(sessions)}).filter((name) => name.endsWith(".jsonl"));
const next = newSession("next");
next[Symbol.dispose]();
process.stdout.write(JSON.stringify({ big, left }));
`) as { big: string; left: string[] };
    expect(out.big).toMatch(/^Cannot write to the session transcript .*big\.jsonl: the file has reached the largest size this process may write/);
    expect(out.left).toEqual([]);
    expect(readTranscript(path.join(sessions, "next.jsonl"))[0]).toMatchObject({ type: "session", id: "next" });
  });

  it("resuming a session whose mode change the transcript refuses says why and leaves the session free to open again", () => {
    const out = runChild(`
const s = newSession("resumed", "bypass");
fill(s, 5);
s[Symbol.dispose]();
// Resumed without --permission-mode, a session left in bypass goes back to the default mode, a change it must record.
const error = await openSession({ cwd: "/", resume: "resumed", model: "auto", tools: [], env: { WREN_HOME: ${JSON.stringify(dir)} } }).then(
  () => "",
  (e: unknown) => (e instanceof Error ? e.message : String(e)),
);
const again = failure(() => Session.open(${JSON.stringify(path.join(dir, "state", "sessions"))}, "resumed")[Symbol.dispose]());
process.stdout.write(JSON.stringify({ error, again }));
`) as { error: string; again: string };
    expect(out.error).toMatch(/^Cannot write to the session transcript .*: the file has reached the largest size this process may write/);
    expect(out.again).toBe("");
  });
});
