import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli.js";
import { startWrenPty } from "../helpers/pty-terminal.js";
import { startScriptedTeacher, type ScriptedTeacher } from "../helpers/fake-upstreams/scripted-teacher.js";
import { mcpFixtures, mcpServer } from "../helpers/mcp-fixtures.js";
import { teacherEnv } from "../helpers/teacher-env.js";

interface ResultJson {
  tool_calls: Array<{ name: string; decision: "allow" | "deny"; reason: string }>;
}

/**
 * A repository's own `.wren/settings.toml` allows `Bash(touch made.txt)`: `wren -p` does not run it
 * until the user accepted the rule with `wren trust`, or passes --trust-project for one run.
 */
describe("wren trust: a project's allow rules count once the user accepts them", () => {
  let root: string;
  let home: string;
  let project: string;
  const teachers: ScriptedTeacher[] = [];

  beforeAll(() => {
    root = mkdtempSync(path.join(os.tmpdir(), "wren-project-trust-"));
    home = path.join(root, "home");
    project = path.join(root, "project");
    mkdirSync(home);
    mkdirSync(path.join(project, ".wren"), { recursive: true });
    mkdirSync(path.join(project, ".git"));
    writeFileSync(path.join(project, ".wren", "settings.toml"), '[permissions]\nallow = ["Bash(touch made.txt)"]\n');
  });
  afterAll(async () => {
    for (const t of teachers) await t.close();
    rmSync(root, { recursive: true, force: true });
  });

  const touch = async (extra: string[] = []) => {
    const t = await startScriptedTeacher([{ toolCalls: [{ name: "Bash", arguments: { command: "touch made.txt" } }] }, { text: "Done." }]);
    teachers.push(t);
    const r = await runCli(["-p", "--model", "openai:gpt-4o-mini", "--output-format", "json", ...extra, "Make the file"], { env: { ...teacherEnv(home, t.url), HOME: home }, cwd: project });
    expect(r.code, r.stderr).toBe(0);
    return (JSON.parse(r.stdout) as ResultJson).tool_calls[0]!;
  };
  const trust = (args: string[]) => runCli(["trust", ...args], { env: { WREN_HOME: home, HOME: home }, cwd: project });

  it("refuses the call a rule the user never accepted would allow, naming the rule and how to accept it", async () => {
    const call = await touch();
    expect(call.decision).toBe("deny");
    expect(call.reason).toContain("The project's .wren/settings.toml allows it (Bash(touch made.txt)), but its allow rules count only once you accept them: run wren trust in the project to accept its rules, or pass --trust-project for this run.");
    expect(existsSync(path.join(project, "made.txt"))).toBe(false);
  });

  it("counts them for one run with --trust-project, recording nothing", async () => {
    const call = await touch(["--trust-project"]);
    expect(call.decision).toBe("allow");
    expect(existsSync(path.join(project, "made.txt"))).toBe(true);
    rmSync(path.join(project, "made.txt"));
    expect((await trust(["--list", "--json"])).stdout.trim()).toBe("[]");
  });

  it("accepts nothing without a terminal unless told --yes, and prints the rules with that hint", async () => {
    const r = await trust([]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain("allow Bash(touch made.txt)");
    expect(r.stderr).toContain("nothing was accepted");
    expect(r.stderr).toContain("wren trust --yes");
    expect((await trust(["--list", "--json"])).stdout.trim()).toBe("[]");
  });

  it("in a terminal, shows the rules and accepts them only when the person answers yes", async () => {
    const ask = async (answer: string) => {
      const pty = startWrenPty(["trust"], { cwd: project, env: { WREN_HOME: home, HOME: home } });
      try {
        await pty.waitFor("allow Bash(touch made.txt)");
        await pty.waitFor("[y/N]");
        pty.type(`${answer}\r`);
        return { code: await pty.exited, text: pty.text() };
      } finally {
        await pty[Symbol.asyncDispose]();
      }
    };
    const declined = await ask("n");
    expect(declined.code).toBe(1);
    expect(declined.text).toContain("Nothing was accepted.");
    expect((await trust(["--list", "--json"])).stdout.trim()).toBe("[]");
    const accepted = await ask("y");
    expect(accepted.code).toBe(0);
    expect(accepted.text).toContain("Accepted for");
    expect((await trust(["--forget"])).stdout).toContain("Took back the allow rules you accepted");
  });

  it("with wren trust --yes the rule counts from the next run, and --forget takes it back", async () => {
    const accepted = await trust(["--yes"]);
    expect(accepted.code, accepted.stderr).toBe(0);
    expect(accepted.stdout).toContain("Accepted for");
    expect(accepted.stdout).toContain("Bash(touch made.txt)");
    const listed = JSON.parse((await trust(["--list", "--json"])).stdout) as Array<{ project: string; allow: string[] }>;
    expect(listed).toHaveLength(1);
    expect(listed[0]!.allow).toEqual(["Bash(touch made.txt)"]);
    expect((await trust([])).stdout).toContain("You have accepted every allow rule");

    expect((await touch()).decision).toBe("allow");
    expect(existsSync(path.join(project, "made.txt"))).toBe(true);
    rmSync(path.join(project, "made.txt"));

    expect((await trust(["--forget"])).stdout).toContain("Took back the allow rules you accepted");
    expect((await touch()).decision).toBe("deny");
    expect(existsSync(path.join(project, "made.txt"))).toBe(false);
  });
});

/**
 * A repository's `.mcp.json` defines a server: `wren -p` does not start it until the user accepted
 * it, as defined, for this project with `wren trust`; a pull that changes its definition puts it
 * back to waiting.
 */
describe("wren trust: a project's MCP servers start once the user accepts them", () => {
  let root: string;
  let home: string;
  let project: string;
  const teachers: ScriptedTeacher[] = [];
  const define = (env?: Record<string, string>) => writeFileSync(path.join(project, ".mcp.json"), JSON.stringify({ mcpServers: { repo: mcpServer([mcpFixtures.stdio], env) } }));

  beforeAll(() => {
    root = mkdtempSync(path.join(os.tmpdir(), "wren-project-trust-mcp-"));
    home = path.join(root, "home");
    project = path.join(root, "project");
    mkdirSync(home);
    mkdirSync(path.join(project, ".git"), { recursive: true });
    // The user allows the name in their own settings: that allows its calls, not its start.
    writeFileSync(path.join(home, "settings.toml"), '[permissions]\nallow = ["mcp__repo"]\n');
    define();
  });
  afterAll(async () => {
    for (const t of teachers) await t.close();
    rmSync(root, { recursive: true, force: true });
  });

  const run = async () => {
    const t = await startScriptedTeacher([{ text: "Done." }]);
    teachers.push(t);
    const r = await runCli(["-p", "--model", "openai:gpt-4o-mini", "--output-format", "json", "Say hello"], { env: { ...teacherEnv(home, t.url), HOME: home }, cwd: project });
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as { mcp_failures?: Array<{ server: string; error: { code: string; message: string; hint?: string } }> };
    return { tools: (t.requests[0]!.tools ?? []).map((x) => x.function.name).filter((n) => n.startsWith("mcp__")), failures: out.mcp_failures ?? [] };
  };
  const trust = (args: string[]) => runCli(["trust", ...args], { env: { WREN_HOME: home, HOME: home }, cwd: project });

  it("leaves the server out until wren trust accepts it, then starts it; a changed definition waits again; --forget takes it back", async () => {
    const before = await run();
    expect(before.tools).toEqual([]);
    expect(before.failures.map((f) => [f.server, f.error.code])).toEqual([["repo", "forbidden"]]);
    expect(before.failures[0]!.error.hint).toContain("wren trust");

    const shown = await trust([]);
    expect(shown.code).not.toBe(0);
    expect(shown.stderr).toContain(`mcp server repo (.mcp.json) runs ${process.execPath} ${mcpFixtures.stdio}`);
    expect(shown.stderr).toContain("nothing was accepted");

    const accepted = await trust(["--yes"]);
    expect(accepted.code, accepted.stderr).toBe(0);
    expect(accepted.stdout).toContain("mcp server repo");
    const listed = JSON.parse((await trust(["--list", "--json"])).stdout) as Array<{ mcpServers: string[] }>;
    expect(listed.map((p) => p.mcpServers)).toEqual([["repo"]]);
    expect((await trust(["--list"])).stdout).toContain("  mcp server repo");
    expect((await run()).tools).toContain("mcp__repo__echo");

    define({ NODE_OPTIONS: "--require ./evil.js" });
    const changed = await run();
    expect(changed.tools).toEqual([]);
    expect(changed.failures[0]!.error.message).toContain("changed since you accepted it");
    expect((await trust([])).stderr).toContain("(changed since you accepted it)");
    define();
    expect((await run()).tools).toContain("mcp__repo__echo");

    expect((await trust(["--forget"])).stdout).toContain("Took back the MCP servers you accepted");
    expect((await run()).tools).toEqual([]);
  });
});
