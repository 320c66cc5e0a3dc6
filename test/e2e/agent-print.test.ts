import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readTranscript } from "../../src/agent/transcript.js";
import { spawn } from "node:child_process";
import { runCli, unbundledCliPath } from "../helpers/cli.js";
import { projectRoot } from "../helpers/shared-models.js";
import { startScriptedTeacher, type ChatBody, type ScriptedTeacher, type TeacherScript } from "../helpers/fake-upstreams/scripted-teacher.js";
import { teacherEnv } from "../helpers/teacher-env.js";

interface ResultJson {
  result: string;
  session_id: string;
  stop_reason: string;
  is_error: boolean;
  turns: number;
  tool_calls: Array<{ id: string; name: string; input: unknown; decision: "allow" | "deny"; rule?: string; reason: string; is_error: boolean }>;
  usage: { input_tokens: number; output_tokens: number; total_tokens: number };
  provenance: Array<{ turn: number; provider: string; model: string; reason: string; route?: string }>;
  cost: { usd: number };
}

/** The text of the tool results in a request's last message (what the model was told). */
const lastToolOutputs = (body: ChatBody): string[] => body.messages.filter((m) => m.role === "tool").slice(-1).map((m) => String(m.content));

describe("wren -p: the coding assistant driven by a scripted teacher", () => {
  let root: string;
  let home: string;
  let project: string;
  let outside: string;
  const teachers: ScriptedTeacher[] = [];

  beforeAll(() => {
    root = mkdtempSync(path.join(os.tmpdir(), "wren-agent-print-"));
    home = path.join(root, "home");
    project = path.join(root, "project");
    outside = path.join(root, "outside");
    mkdirSync(path.join(project, ".git"), { recursive: true });
    mkdirSync(path.join(project, "src"), { recursive: true });
    mkdirSync(outside);
    writeFileSync(path.join(project, "AGENTS.md"), "Always greet the wren.");
  });
  afterAll(async () => {
    for (const t of teachers) await t.close();
    rmSync(root, { recursive: true, force: true });
  });

  const teacher = async (script: TeacherScript): Promise<ScriptedTeacher> => {
    const t = await startScriptedTeacher(script);
    teachers.push(t);
    return t;
  };
  const env = (t: ScriptedTeacher) => teacherEnv(home, t.url);
  const print = (t: ScriptedTeacher, args: string[]) => runCli(["-p", "--model", "openai:gpt-4o-mini", ...args], { env: env(t), cwd: project });

  it("reads, edits (allowed by rule), runs an allowed command, is refused a critical command and a write outside the project, and finishes: disk, JSON and transcript agree", async () => {
    writeFileSync(path.join(project, "src", "app.js"), 'export const greeting = "hello";\n');
    writeFileSync(path.join(project, "check.js"), 'console.log("check: " + require("node:fs").readFileSync("src/app.js", "utf8").trim());\n');
    const escape = path.join(outside, "escape.txt");
    const t = await teacher([
      { toolCalls: [{ name: "Read", arguments: { file_path: "src/app.js" } }] },
      { toolCalls: [{ name: "Edit", arguments: { file_path: "src/app.js", old_string: '"hello"', new_string: '"hello, wren"' } }] },
      { toolCalls: [{ name: "Bash", arguments: { command: "node check.js" } }] },
      { toolCalls: [{ name: "Bash", arguments: { command: "rm -rf /" } }] },
      { toolCalls: [{ name: "Write", arguments: { file_path: escape, content: "escaped" } }] },
      { text: "Done: the greeting now names the wren." },
    ]);
    const r = await print(t, ["--output-format", "json", "--allow", "Edit(src/**)", "--allow", "Bash(node check.js)", "Greet the wren in src/app.js"]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as ResultJson;

    // The files on disk.
    expect(readFileSync(path.join(project, "src", "app.js"), "utf8")).toBe('export const greeting = "hello, wren";\n');
    expect(existsSync(escape)).toBe(false);

    // The JSON output.
    expect(out.result).toBe("Done: the greeting now names the wren.");
    expect(out.stop_reason).toBe("done");
    expect(out.is_error).toBe(false);
    expect(out.turns).toBe(6);
    expect(out.tool_calls.map((c) => [c.name, c.decision, c.is_error])).toEqual([
      ["Read", "allow", false],
      ["Edit", "allow", false],
      ["Bash", "allow", false],
      ["Bash", "deny", true],
      ["Write", "deny", true],
    ]);
    expect(out.tool_calls[1]!.rule).toBe("Edit(src/**)");
    expect(out.tool_calls[2]!.rule).toBe("Bash(node check.js)");
    expect(out.tool_calls[3]!.reason).toMatch(/critical/);
    expect(out.tool_calls[4]!.reason).toMatch(/outside the project|No one can be asked/);
    expect(out.tool_calls[2]!.input).toEqual({ command: "node check.js" });
    expect(out.provenance).toHaveLength(6);
    for (const p of out.provenance) expect(p).toMatchObject({ provider: "openai", model: "gpt-4o-mini", reason: "direct" });
    expect(out.usage.input_tokens).toBeGreaterThan(0);
    expect(out.cost).toEqual({ usd: expect.any(Number) });

    // What the model was told: the command's real output, and refusals it can act on.
    expect(lastToolOutputs(t.requests[3]!)[0]).toContain("check: export const greeting = \"hello, wren\";");
    expect(lastToolOutputs(t.requests[4]!)[0]).toMatch(/^Permission denied: Bash was not run .*critical/);
    expect(lastToolOutputs(t.requests[5]!)[0]).toMatch(/^Permission denied: Write was not run/);
    // Prefix-stable: the same system prompt (with AGENTS.md and the environment) and tools on every turn.
    const system = t.requests[0]!.messages[0]!;
    expect(system.role).toBe("system");
    expect(String(system.content)).toContain("Always greet the wren.");
    expect(String(system.content)).toContain(`Working directory: ${project}`);
    for (const body of t.requests) {
      expect(body.messages[0]).toEqual(system);
      expect(body.tools).toEqual(t.requests[0]!.tools);
    }
    expect(t.requests[0]!.tools!.map((tool) => tool.function.name)).toEqual(expect.arrayContaining(["Read", "Edit", "Write", "Bash", "ExitPlanMode"]));

    // The transcript says the same.
    const records = readTranscript(path.join(home, "state", "sessions", `${out.session_id}.jsonl`));
    const calls = records.filter((rec) => rec.type === "tool-call");
    expect(calls.map((c) => [c.name, c.decision, c.rule, c.reason, c.isError])).toEqual(out.tool_calls.map((c) => [c.name, c.decision, c.rule, c.reason, c.is_error]));
    const messages = records.filter((rec) => rec.type === "message").map((rec) => rec.message);
    expect(messages.at(-1)).toEqual({ role: "assistant", content: [{ type: "text", text: out.result }] });
    expect(records.filter((rec) => rec.type === "turn").map((rec) => rec.provenance?.provider)).toEqual(Array(6).fill("openai"));
    expect(records.at(-1)).toMatchObject({ type: "end", reason: "done" });
  });

  it("a critical command is refused even with --permission-mode bypass", async () => {
    const t = await teacher([{ toolCalls: [{ name: "Bash", arguments: { command: "rm -rf /" } }] }, { text: "I will not." }]);
    const r = await print(t, ["--output-format", "json", "--permission-mode", "bypass", "clean up everything"]);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as ResultJson;
    expect(out.tool_calls).toEqual([expect.objectContaining({ name: "Bash", decision: "deny", is_error: true, reason: expect.stringMatching(/critical/) })]);
  });

  it("plan mode refuses every write and command; ExitPlanMode's plan is the result", async () => {
    writeFileSync(path.join(project, "src", "plan.txt"), "before\n");
    const t = await teacher([
      { toolCalls: [{ name: "Edit", arguments: { file_path: "src/plan.txt", old_string: "before", new_string: "after" } }, { name: "Bash", arguments: { command: "node check.js" } }] },
      { toolCalls: [{ name: "ExitPlanMode", arguments: { plan: "1. Change before to after in src/plan.txt." } }] },
      { text: "never asked for" },
    ]);
    const r = await print(t, ["--output-format", "json", "--permission-mode", "plan", "--allow", "Edit(src/**)", "--allow", "Bash(node check.js)", "change it"]);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as ResultJson;
    expect(out.stop_reason).toBe("plan");
    expect(out.result).toBe("1. Change before to after in src/plan.txt.");
    expect(out.tool_calls.map((c) => [c.name, c.decision])).toEqual([["Edit", "deny"], ["Bash", "deny"], ["ExitPlanMode", "allow"]]);
    expect(readFileSync(path.join(project, "src", "plan.txt"), "utf8")).toBe("before\n");
    expect(lastToolOutputs(t.requests[1]!)[0]).toMatch(/Plan mode is on.*ExitPlanMode/);
    expect(t.requests).toHaveLength(2);
  });

  it("stops at --max-turns with a non-zero exit", async () => {
    const t = await teacher(() => ({ toolCalls: [{ name: "Read", arguments: { file_path: "src/app.js" } }] }));
    const r = await print(t, ["--output-format", "json", "--max-turns", "2", "loop"]);
    expect(r.code).toBe(1);
    const out = JSON.parse(r.stdout) as ResultJson;
    expect(out).toMatchObject({ stop_reason: "max-turns", is_error: true, turns: 2 });
    expect(t.requests).toHaveLength(2);
  });

  it("stream-json prints one event per line as they happen, ending with the result", async () => {
    const t = await teacher([{ toolCalls: [{ name: "Read", arguments: { file_path: "src/app.js" } }] }, { text: "It greets." }]);
    const r = await print(t, ["--output-format", "stream-json", "what does app.js do?"]);
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split("\n").map((l) => JSON.parse(l) as { type: string; [k: string]: unknown });
    expect(lines.map((l) => l.type)).toEqual(["session", "turn_start", "tool_call", "decision", "tool_result", "turn_end", "turn_start", "text", "turn_end", "result"]);
    expect(lines[3]).toMatchObject({ name: "Read", decision: "allow" });
    expect(lines[5]).toMatchObject({ provenance: { provider: "openai", model: "gpt-4o-mini", reason: "direct" } });
    expect(lines.at(-1)).toMatchObject({ result: "It greets.", session_id: lines[0]!["session_id"] });
  });

  it("text output streams the answer on stdout; --continue and --resume carry the conversation on; sessions list, show and rm", async () => {
    const t = await teacher([{ text: "First answer." }, { text: "Second answer." }, { text: "Third answer." }]);
    const first = await print(t, ["first question"]);
    expect(first.code).toBe(0);
    expect(first.stdout).toBe("First answer.\n");
    const second = await print(t, ["--continue", "second question"]);
    expect(second.stderr).toBe("");
    expect(second.stdout).toBe("Second answer.\n");
    const texts = t.requests[1]!.messages.map((m) => `${m.role}:${String(m.content)}`);
    expect(texts.slice(1)).toEqual(["user:first question", "assistant:First answer.", "user:second question"]);

    const list = await runCli(["sessions", "list", "--json"], { env: env(t), cwd: project });
    const sessions = JSON.parse(list.stdout) as Array<{ id: string; title: string; messages: number }>;
    expect(sessions[0]).toMatchObject({ title: "first question", messages: 4 });
    const id = sessions[0]!.id;
    const third = await print(t, ["--resume", id, "--output-format", "json", "third question"]);
    expect((JSON.parse(third.stdout) as ResultJson).session_id).toBe(id);
    expect(t.requests[2]!.messages).toHaveLength(1 + 5);

    const show = await runCli(["sessions", "show", id], { env: env(t), cwd: project });
    expect(show.code).toBe(0);
    expect(show.stdout).toContain("user: second question\nassistant: Second answer.");
    const rm = await runCli(["sessions", "rm", id], { env: env(t), cwd: project });
    expect(rm.code).toBe(0);
    const gone = await runCli(["sessions", "show", id], { env: env(t), cwd: project });
    expect(gone.code).not.toBe(0);
    expect(gone.stderr).toMatch(/There is no session ".*"\. See `wren sessions list`/);
  });

  it("text: a failed run prints the error on stderr with its hint on a line of its own", async () => {
    // A script with no replies: every request is answered HTTP 500.
    const t = await teacher([]);
    const r = await print(t, ["hi"]);
    expect(r.code).toBe(4);
    expect(r.stdout).toBe("");
    // The one target named (route direct) fails in its own words, not summed up as a route's.
    expect(r.stderr).toMatch(/^wren: openai answered HTTP 500: the script has no reply #\d+\n {2}openai failed; retry later or add a fallback target\.\n$/);
  });

  it("json and stream-json: a start-up error (a damaged session to resume, a bad flag) is the same JSON result on stdout, with the text on stderr and the same exit status", async () => {
    const t = await teacher([{ text: "Saved." }]);
    const first = await print(t, ["--output-format", "json", "save this"]);
    const id = (JSON.parse(first.stdout) as ResultJson).session_id;
    const file = path.join(home, "state", "sessions", `${id}.jsonl`);
    const lines = readFileSync(file, "utf8").split("\n");
    writeFileSync(file, [lines[0], "not a record", ...lines.slice(1)].join("\n"));

    for (const [format, args] of [
      ["json", ["--resume", id]],
      ["stream-json", ["--resume", id]],
      ["json", ["--max-turns", "0"]],
    ] as const) {
      const r = await print(t, ["--output-format", format, ...args, "go on"]);
      expect(r.code).toBe(2);
      const out = r.stdout.trim().split("\n").map((l) => JSON.parse(l) as Record<string, unknown>);
      expect(out).toHaveLength(1);
      const error = out[0]!["error"] as { code: string; message: string; hint?: string };
      expect(out[0]).toEqual({
        ...(format === "stream-json" ? { type: "result" } : {}),
        result: "",
        session_id: null,
        stop_reason: "error",
        is_error: true,
        turns: 0,
        tool_calls: [],
        usage: { input_tokens: 0, output_tokens: 0, total_tokens: 0 },
        provenance: [],
        cost: { usd: 0 },
        error: { code: expect.any(String), message: expect.any(String), hint: expect.any(String) },
      });
      expect(error.message).toMatch(args[0] === "--resume" ? /is not a valid record/ : /--max-turns must be a positive whole number/);
      expect(r.stderr).toBe(`wren: ${error.message}\n  ${error.hint}\n`);
    }
    expect(t.requests).toHaveLength(1);
  });

  it("bad flags are usage errors that say what to do", async () => {
    const t = await teacher([]);
    const rule = await print(t, ["--allow", "Edit(", "x"]);
    expect(rule.code).toBe(2);
    expect(rule.stderr).toMatch(/^wren: .*Edit\(/);
    const turns = await print(t, ["--max-turns", "0", "x"]);
    expect(turns.code).toBe(2);
    expect(turns.stderr).toMatch(/--max-turns must be a positive whole number/);
    const resume = await print(t, ["--resume", "../../etc/passwd", "x"]);
    expect(resume.code).toBe(2);
    expect(resume.stderr).toMatch(/is not a session id/);
    expect(t.requests).toHaveLength(0);
  });

  it("a run a teacher answers loads no other provider's SDK and no tool's dependency before its first request (start-up stays light)", async () => {
    const trace = path.join(root, "trace.txt");
    // What the process had loaded when its first request reached the model.
    let loadedBeforeRequest: string[] | undefined;
    const t = await teacher(() => {
      loadedBeforeRequest ??= readFileSync(trace, "utf8").split("\n");
      return { text: "Light." };
    });
    const code = await new Promise<number | null>((resolve) => {
      const child = spawn(process.execPath, ["--import", path.join(projectRoot, "test/helpers/trace-imports.mjs"), unbundledCliPath, "-p", "--model", "openai:gpt-4o-mini", "hi"], {
        cwd: project,
        env: { ...process.env, ...env(t), WREN_TRACE_IMPORTS: trace },
        stdio: ["ignore", "ignore", "inherit"],
      });
      child.on("close", resolve);
    });
    expect(code).toBe(0);
    expect(t.requests).toHaveLength(1);
    // The teacher is reached over undici (the OpenAI-compatible providers' client): the trace saw the request path load.
    expect(loadedBeforeRequest).toContain("undici");
    const heavy = [
      "node-llama-cpp",
      "@modelcontextprotocol/sdk/client/index.js",
      "web-tree-sitter",
      // Providers this run does not call.
      "@anthropic-ai/sdk",
      "@google/genai",
      "ollama",
      // Tools' dependencies: loaded by the first call that needs them, and this run calls no tool.
      "globby",
      "node-html-markdown",
      "diff",
      "image-size",
      "re2js",
    ];
    expect(heavy.filter((name) => loadedBeforeRequest!.includes(name))).toEqual([]);
    const loaded = readFileSync(trace, "utf8").split("\n");
    expect(heavy.filter((name) => loaded.includes(name))).toEqual([]);
  });
});
