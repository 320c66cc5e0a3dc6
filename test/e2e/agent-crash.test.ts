import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readFeedback } from "../../src/agent/feedback.js";
import { readTranscript } from "../../src/agent/transcript.js";
import { runCli, spawnCli } from "../helpers/cli.js";
import { mcpFixtures, mcpServerToml } from "../helpers/mcp-fixtures.js";
import { killAndAwaitGone, untilGone } from "../helpers/processes.js";
import { startScriptedTeacher, type ScriptedTeacher, type TeacherScript } from "../helpers/fake-upstreams/scripted-teacher.js";
import { teacherEnv } from "../helpers/teacher-env.js";

const pause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe("wren -p killed or cancelled mid-session", () => {
  let root: string;
  let home: string;
  let project: string;
  const teachers: ScriptedTeacher[] = [];

  beforeAll(() => {
    root = mkdtempSync(path.join(os.tmpdir(), "wren-agent-crash-"));
    home = path.join(root, "home");
    project = path.join(root, "project");
    mkdirSync(project);
    writeFileSync(path.join(project, "notes.txt"), "remember the wren\n");
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
  const args = (rest: string[]) => ["-p", "--model", "openai:gpt-4o-mini", ...rest];
  const exited = (child: ReturnType<typeof spawnCli>) =>
    new Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string }>((resolve) => {
      let stdout = "";
      child.stdout?.setEncoding("utf8").on("data", (d: string) => (stdout += d));
      child.on("close", (code, signal) => resolve({ code, signal, stdout }));
    });

  it("kill -9 during a turn leaves a transcript and a feedback file that parse, and the session carries on", async () => {
    const first = await teacher([{ text: "First answer." }]);
    const done = await runCli(args(["--output-format", "json", "one"]), { env: env(first), cwd: project });
    expect(done.code).toBe(0);
    const id = (JSON.parse(done.stdout) as { session_id: string }).session_id;
    const rated = await runCli(["sessions", "rate", id, "bad", "--correction", "A better answer."], { env: env(first), cwd: project });
    expect(rated.code).toBe(0);
    expect(rated.stderr).toMatch(/weight 10/);

    const hanging = await teacher([{ toolCalls: [{ name: "Read", arguments: { file_path: "notes.txt" } }] }, { hang: true }]);
    const child = spawnCli(args(["--continue", "two"]), { env: env(hanging), cwd: project });
    const end = exited(child);
    child.stdin?.end();
    // The second request is in flight: the first turn (the Read and its result) has been synced.
    await hanging.waitForRequests(2);
    child.kill("SIGKILL");
    expect((await end).signal).toBe("SIGKILL");

    const file = path.join(home, "state", "sessions", `${id}.jsonl`);
    for (const line of readFileSync(file, "utf8").split("\n").filter(Boolean)) expect(() => JSON.parse(line) as unknown).not.toThrow();
    const records = readTranscript(file);
    const messages = records.filter((r) => r.type === "message").map((r) => r.message);
    expect(messages.map((m) => m.role)).toEqual(["user", "assistant", "user", "assistant", "tool"]);
    expect(JSON.stringify(messages.at(-1))).toContain("remember the wren");
    expect(records.filter((r) => r.type === "end")).toHaveLength(1);

    const feedbackFile = path.join(home, "data", "feedback.jsonl");
    for (const line of readFileSync(feedbackFile, "utf8").split("\n").filter(Boolean)) expect(() => JSON.parse(line) as unknown).not.toThrow();
    expect(readFeedback(feedbackFile)).toEqual([expect.objectContaining({ sessionId: id, rating: "bad", weight: 10, correction: "A better answer." })]);

    // The killed session continues: the next request carries everything up to the kill.
    const after = await teacher([{ text: "Third answer." }]);
    const third = await runCli(args(["--continue", "three"]), { env: env(after), cwd: project });
    expect(third.code).toBe(0);
    expect(third.stdout).toBe("Third answer.\n");
    expect(after.requests[0]!.messages.map((m) => m.role)).toEqual(["system", "user", "assistant", "user", "assistant", "tool", "user"]);
    expect(readdirSync(path.join(home, "state", "sessions"))).toEqual([`${id}.jsonl`]);
  });

  it("Ctrl+C cancels the model's answer: exit 130, and the run is recorded as cancelled", async () => {
    const t = await teacher([{ hang: true }]);
    const child = spawnCli(args(["--output-format", "json", "wait for it"]), { env: env(t), cwd: project });
    const end = exited(child);
    child.stdin?.end();
    await t.waitForRequests(1);
    child.kill("SIGINT");
    // The cancellation reaches the model: its request is dropped, not left to run on.
    await t.waitForHangUps(1);
    const result = await end;
    expect(result.code).toBe(130);
    const out = JSON.parse(result.stdout) as { session_id: string; stop_reason: string; turns: number };
    expect(out).toMatchObject({ stop_reason: "cancelled", turns: 1 });
    const records = readTranscript(path.join(home, "state", "sessions", `${out.session_id}.jsonl`));
    expect(records.at(-1)).toMatchObject({ type: "end", reason: "cancelled" });
  });

  it.each([
    ["SIGTERM", 143],
    ["SIGHUP", 129],
  ] as const)("%s cancels like Ctrl+C: the tool's processes are killed, its temporary folder removed, the result and the transcript say cancelled, exit %i", async (signal, status) => {
    const tmp = mkdtempSync(path.join(root, `tmp-${signal}-`));
    const pids = path.join(project, `${signal}.pids`);
    // Two background children and the shell itself, each writing its pid, then waiting on them.
    const command = `sleep 301 & echo $! >> ${signal}.pids; sleep 302 & echo $! >> ${signal}.pids; echo $$ >> ${signal}.pids; wait`;
    const t = await teacher([{ toolCalls: [{ name: "Bash", arguments: { command } }] }, { text: "never asked for" }]);
    const child = spawnCli(args(["--output-format", "json", "--permission-mode", "bypass", "run it"]), { env: { ...env(t), TMPDIR: tmp }, cwd: project });
    const end = exited(child);
    child.stdin?.end();
    while (!existsSync(pids) || readFileSync(pids, "utf8").trim().split("\n").length < 3) await pause(20);
    const started = readFileSync(pids, "utf8").trim().split("\n").map(Number);
    expect(readdirSync(tmp).filter((name) => name.startsWith("wren-shell-"))).toHaveLength(1);
    child.kill(signal);
    const result = await end;

    expect(result).toMatchObject({ code: status, signal: null });
    const out = JSON.parse(result.stdout) as { session_id: string; stop_reason: string; is_error: boolean; tool_calls: Array<{ name: string; is_error: boolean }> };
    expect(out).toMatchObject({ stop_reason: "cancelled", is_error: true, tool_calls: [{ name: "Bash", is_error: true }] });
    expect(t.requests).toHaveLength(1);
    const records = readTranscript(path.join(home, "state", "sessions", `${out.session_id}.jsonl`));
    expect(records.at(-1)).toMatchObject({ type: "end", reason: "cancelled" });
    expect(readdirSync(tmp).filter((name) => name.startsWith("wren-shell-"))).toEqual([]);
    // Killed as the run ended.
    await untilGone(started);
  });

  it.runIf(process.platform !== "win32")("kill -9 mid-turn leaves no MCP server behind, even one that ignores its stdin closing and SIGTERM, nor what it started", async () => {
    const stubbornHome = path.join(root, "home-stubborn-mcp");
    mkdirSync(stubbornHome, { recursive: true });
    const pidFile = path.join(root, "stubborn-mcp.pids");
    writeFileSync(path.join(stubbornHome, "config.toml"), mcpServerToml("stubborn", [mcpFixtures.stubborn], { WREN_TEST_PIDS: pidFile }));
    const t = await teacher([{ hang: true }]);
    const child = spawnCli(args(["--output-format", "json", "hello"]), { env: teacherEnv(stubbornHome, t.url), cwd: project });
    child.stdin?.end();
    await t.waitForRequests(1);
    expect(t.requests[0]!.tools?.map((tool) => tool.function.name)).toContain("mcp__stubborn__echo");
    const pids = readFileSync(pidFile, "utf8").trim().split(" ").map(Number);
    // Its watchdog's SIGTERM is ignored; its SIGKILL follows 2 s later.
    expect(await killAndAwaitGone(child, pids)).toMatchObject({ signal: "SIGKILL" });
  });

  it.runIf(process.platform !== "win32")("kill -9 mid-command leaves none of the Bash tool's processes behind, nor its temporary folder", async () => {
    const tmp = mkdtempSync(path.join(root, "tmp-kill-9-"));
    const pids = path.join(project, "kill-9.pids");
    // A job left in the background by an earlier command, then a command still running when wren is killed.
    const first = `nohup sleep 311 > /dev/null 2>&1 & echo $! >> kill-9.pids`;
    const second = `sleep 312 & echo $! >> kill-9.pids; echo $$ >> kill-9.pids; wait`;
    const t = await teacher([{ toolCalls: [{ name: "Bash", arguments: { command: first } }] }, { toolCalls: [{ name: "Bash", arguments: { command: second } }] }, { text: "never asked for" }]);
    const child = spawnCli(args(["--output-format", "json", "--permission-mode", "bypass", "run it"]), { env: { ...env(t), TMPDIR: tmp }, cwd: project });
    child.stdin?.end();
    while (!existsSync(pids) || readFileSync(pids, "utf8").trim().split("\n").length < 3) await pause(20);
    const started = readFileSync(pids, "utf8").trim().split("\n").map(Number);
    expect(readdirSync(tmp).filter((name) => name.startsWith("wren-shell-"))).toHaveLength(1);
    expect(await killAndAwaitGone(child, started)).toMatchObject({ signal: "SIGKILL" });
    // Removed once the shell's exit trap (run on the watchdog's SIGTERM) is done writing there: within its 2 s grace.
    const deadline = Date.now() + 10_000;
    while (readdirSync(tmp).some((name) => name.startsWith("wren-shell-")) && Date.now() < deadline) await pause(20);
    expect(readdirSync(tmp).flatMap((name) => (name.startsWith("wren-shell-") ? [`${name}: ${readdirSync(path.join(tmp, name)).join(", ")}`] : []))).toEqual([]);
  });

  it("SIGTERM while an MCP server is still starting: the start is cancelled, the result says so, exit 143", async () => {
    const hangHome = path.join(root, "home-hanging-mcp");
    mkdirSync(hangHome, { recursive: true });
    const started = path.join(root, "hanging-mcp.pid");
    // A server that never answers its initialize request: the run waits on it until cancelled.
    const server = path.join(root, "hanging-mcp.mjs");
    writeFileSync(server, `import { writeFileSync } from "node:fs";\nwriteFileSync(${JSON.stringify(started)}, String(process.pid));\nsetInterval(() => undefined, 60_000);\n`);
    writeFileSync(path.join(hangHome, "config.toml"), mcpServerToml("hangs", [server]));
    const t = await teacher([{ text: "never asked for" }]);
    const child = spawnCli(args(["--output-format", "json", "hello"]), { env: teacherEnv(hangHome, t.url), cwd: project });
    const end = exited(child);
    child.stdin?.end();
    while (!existsSync(started)) await pause(20);
    child.kill("SIGTERM");
    const result = await end;
    expect(result).toMatchObject({ code: 143, signal: null });
    expect(JSON.parse(result.stdout)).toMatchObject({ is_error: true, error: { code: "aborted" } });
    expect(t.requests).toHaveLength(0);
    const pid = Number(readFileSync(started, "utf8"));
    await untilGone([pid]);
  });
});
