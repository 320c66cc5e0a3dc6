import { spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cliPath, runCli } from "../helpers/cli.js";
import { startScriptedTeacher, type ScriptedTeacher, type TeacherScript } from "../helpers/fake-upstreams/scripted-teacher.js";
import { teacherEnv } from "../helpers/teacher-env.js";

interface ResultJson {
  session_id: string;
  stop_reason: string;
  tool_calls: Array<{ name: string; decision: "allow" | "deny"; reason: string; is_error: boolean }>;
}

/** What a `wren -p` run may do is what its own command line (and the rules) allow, whatever an earlier run on the session was given. */
describe("wren -p: consent is given per run", () => {
  let root: string;
  let home: string;
  let project: string;
  const teachers: ScriptedTeacher[] = [];

  beforeAll(() => {
    root = mkdtempSync(path.join(os.tmpdir(), "wren-agent-consent-"));
    home = path.join(root, "home");
    project = path.join(root, "project");
    mkdirSync(path.join(project, ".git"), { recursive: true });
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
  const print = (t: ScriptedTeacher, args: string[]) => runCli(["-p", "--model", "openai:gpt-4o-mini", ...args], { env: teacherEnv(home, t.url), cwd: project });

  it("a session started with --permission-mode bypass, continued or resumed without it, runs in the default mode: nothing runs unasked", async () => {
    const t = await teacher([
      { text: "Set up." },
      { toolCalls: [{ name: "Bash", arguments: { command: "echo hi > continued.txt" } }] },
      { text: "Could not." },
      { toolCalls: [{ name: "Bash", arguments: { command: "echo hi > resumed.txt" } }] },
      { text: "Could not either." },
      { toolCalls: [{ name: "Bash", arguments: { command: "echo hi > bypassed.txt" } }] },
      { text: "Done." },
    ]);
    const first = await print(t, ["--output-format", "json", "--permission-mode", "bypass", "set up"]);
    expect(first.code).toBe(0);
    const id = (JSON.parse(first.stdout) as ResultJson).session_id;

    const continued = await print(t, ["--output-format", "json", "--continue", "write it"]);
    expect(continued.code).toBe(0);
    expect(existsSync(path.join(project, "continued.txt"))).toBe(false);
    const out = JSON.parse(continued.stdout) as ResultJson;
    expect(out.session_id).toBe(id);
    expect(out.tool_calls).toEqual([expect.objectContaining({ name: "Bash", decision: "deny", is_error: true, reason: expect.stringMatching(/No one can be asked/) })]);

    const resumed = await print(t, ["--output-format", "stream-json", "--resume", id, "write it"]);
    expect(resumed.code).toBe(0);
    expect(existsSync(path.join(project, "resumed.txt"))).toBe(false);
    const lines = resumed.stdout.trim().split("\n").map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines[0]).toMatchObject({ type: "session", session_id: id, mode: "default" });

    // Given again, the flag holds for that run.
    const bypassed = await print(t, ["--output-format", "json", "--resume", id, "--permission-mode", "bypass", "write it"]);
    expect(bypassed.code).toBe(0);
    expect(existsSync(path.join(project, "bypassed.txt"))).toBe(true);
    expect(t.requests).toHaveLength(7);
  });

  it("an allowed cd out of the project does not leave the run unable to run any command: the next one runs in the project", async () => {
    const t = await teacher([
      { toolCalls: [{ name: "Bash", arguments: { command: "cd .." } }] },
      { toolCalls: [{ name: "Bash", arguments: { command: "pwd" } }] },
      { text: "Done." },
    ]);
    const r = await print(t, ["--output-format", "json", "--allow", "Bash(cd *)", "--allow", "Bash(pwd)", "where am I?"]);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as ResultJson;
    expect(out.tool_calls.map((c) => [c.name, c.decision, c.is_error])).toEqual([
      ["Bash", "allow", false],
      ["Bash", "allow", false],
    ]);
    const told = t.requests[2]!.messages.filter((m) => m.role === "tool").map((m) => String(m.content));
    expect(told[0]).toMatch(/working directory is back to /);
    expect(told[1]).toBe(project);
  });

  it("a refusal says how to allow the call in a run like this one: the --allow flag of the rule that would, or bypass where no rule can", async () => {
    const outside = path.join(root, "outside.txt");
    const t = await teacher([
      { toolCalls: [{ name: "Bash", arguments: { command: "touch made.txt" } }] },
      { toolCalls: [{ name: "Bash", arguments: { command: `touch '${outside}'` } }] },
      { text: "Could not." },
    ]);
    const r = await print(t, ["--allow", "Bash(cd *)", "make them"]);
    expect(r.code).toBe(0);
    expect(existsSync(path.join(project, "made.txt"))).toBe(false);
    expect(existsSync(outside)).toBe(false);
    const lines = r.stderr.trim().split("\n");
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^wren: Bash refused: .*No one can be asked in this run, so it is refused\. To allow it, run with --allow "Bash\(touch made\.txt\)"\.$/);
    expect(lines[1]).toMatch(/^wren: Bash refused: .*outside the project; that always asks\. No one can be asked in this run, so it is refused\. No rule allows it: only --permission-mode bypass runs it\.$/);

    // A rule the shell would expand inside double quotes is quoted so that, pasted, it allows the call.
    const quoted = await teacher([{ toolCalls: [{ name: "Bash", arguments: { command: "touch 'cost$1.txt'" } }] }, { text: "Could not." }, { toolCalls: [{ name: "Bash", arguments: { command: "touch 'cost$1.txt'" } }] }, { text: "Made." }]);
    const refused = await print(quoted, ["make it"]);
    const flag = /To allow it, run with (--allow '.*')\.$/.exec(refused.stderr.trim())?.[1];
    expect(flag).toBe("--allow 'Bash(touch cost$1.txt)'");
    // Pasted into a shell command line as it is.
    const script = `"$0" "$1" -p --model openai:gpt-4o-mini ${flag} "make it"`;
    const allowed = await new Promise<number | null>((resolve) => {
      const child = spawn("/bin/sh", ["-c", script, process.execPath, cliPath], { cwd: project, env: { ...process.env, ...teacherEnv(home, quoted.url) }, stdio: "ignore" });
      child.on("close", resolve);
    });
    expect(allowed).toBe(0);
    expect(existsSync(path.join(project, "cost$1.txt"))).toBe(true);
  });
});
