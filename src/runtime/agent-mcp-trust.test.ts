import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startScriptedTeacher, type ScriptedTeacher } from "../../test/helpers/fake-upstreams/scripted-teacher.js";
import { mcpFixtures, mcpServer } from "../../test/helpers/mcp-fixtures.js";
import { teacherEnv } from "../../test/helpers/teacher-env.js";
import { loadConfig } from "../config/index.js";
import { openAgentRun, type AgentRunOptions } from "./agent.js";
import { mcpServerFingerprint } from "./project-mcp-consent.js";
import { forgetProjectRules, listTrustedProjects, projectTrustState, trustProjectMcpServers } from "./project-trust.js";

let root: string;
let teacher: ScriptedTeacher;
let home: string;
let env: Record<string, string>;
let n = 0;

beforeAll(async () => {
  root = mkdtempSync(path.join(os.tmpdir(), "wren-mcp-trust-"));
  teacher = await startScriptedTeacher(() => ({ text: "Answer." }));
});
afterAll(async () => {
  await teacher.close();
  rmSync(root, { recursive: true, force: true });
});
beforeEach(() => {
  home = path.join(root, `home-${++n}`);
  mkdirSync(home, { recursive: true });
  env = teacherEnv(home, teacher.url);
});

/** A repository whose `.mcp.json` defines `servers`. */
function repo(name: string, servers: Record<string, unknown>): string {
  const dir = path.join(root, `${name}-${n}`);
  mkdirSync(path.join(dir, ".git"), { recursive: true });
  writeFileSync(path.join(dir, ".mcp.json"), JSON.stringify({ mcpServers: servers }));
  return dir;
}

/** A server that leaves `marker` behind when it runs (and is no MCP server: it exits). */
function marking(marker: string) {
  return mcpServer(["-e", `require("node:fs").writeFileSync(${JSON.stringify(marker)}, "")`]);
}

/** Opens a run in `project` and says which of its MCP servers started and why the others did not. */
async function servers(project: string, more: Partial<AgentRunOptions> = {}): Promise<{ tools: string[]; failures: Array<[string, string, string]> }> {
  const { config } = await loadConfig({ env, cwd: project, home: root });
  await using run = await openAgentRun({ config, model: "openai:gpt-4o-mini", allow: [], deny: [], cwd: project, env, signal: new AbortController().signal, ...more });
  return {
    tools: (run.agent.request().tools ?? []).map((t) => t.name).filter((t) => t.startsWith("mcp__")),
    failures: run.mcpFailures.map((f) => [f.server, f.error.code, `${f.error.message} ${f.error.hint ?? ""}`]),
  };
}

/** Accepts the project's servers that wait, as `wren trust --yes` does; returns their names. */
async function accept(project: string): Promise<string[]> {
  const state = await projectTrustState({ cwd: project, env, home: root });
  return trustProjectMcpServers({ cwd: project, env, home: root }, state.unacceptedMcpServers);
}

describe("consent to start a project's MCP server is per project and per definition", () => {
  it("does not start a project's server because the user's own settings allow its name", async () => {
    writeFileSync(path.join(home, "settings.toml"), '[permissions]\nallow = ["mcp__x"]\n');
    const marker = path.join(root, `ran-${n}`);
    const b = repo("b", { x: marking(marker) });
    const started = await servers(b);
    expect(existsSync(marker)).toBe(false);
    expect(started.failures.map(([s, code]) => [s, code])).toEqual([["x", "forbidden"]]);
    expect(started.failures[0]![2]).toMatch(/wren trust/);
  }, 30_000);

  it("does not start another project's server of the name the user accepted for one project", async () => {
    const a = repo("a", { x: mcpServer([mcpFixtures.stdio]) });
    const marker = path.join(root, `ran-${n}`);
    const b = repo("b", { x: marking(marker) });
    expect(await accept(a)).toEqual(["x"]);
    expect((await servers(a)).tools).toContain("mcp__x__echo");

    const other = await servers(b);
    expect(existsSync(marker)).toBe(false);
    expect(other.tools).toEqual([]);
    expect(other.failures.map(([s, code]) => [s, code])).toEqual([["x", "forbidden"]]);
    const state = await projectTrustState({ cwd: b, env, home: root });
    expect(state.unacceptedMcpServers.map((w) => [w.name, w.changed, w.transport])).toEqual([["x", false, "stdio"]]);
    expect(state.unacceptedMcpServers[0]!.target).toContain(marker);
  }, 30_000);

  it("waits for acceptance again when the definition changed, and says so", async () => {
    const a = repo("a", { x: mcpServer([mcpFixtures.stdio]) });
    await accept(a);
    // A pull adds a variable that makes node load another script first.
    const marker = path.join(root, `ran-${n}`);
    const script = path.join(root, `evil-${n}.cjs`);
    writeFileSync(script, `require("node:fs").writeFileSync(${JSON.stringify(marker)}, "")`);
    writeFileSync(path.join(a, ".mcp.json"), JSON.stringify({ mcpServers: { x: mcpServer([mcpFixtures.stdio], { NODE_OPTIONS: `--require ${script}` }) } }));
    const changed = await servers(a);
    expect(existsSync(marker)).toBe(false);
    expect(changed.tools).toEqual([]);
    expect(changed.failures.map(([s, code]) => [s, code])).toEqual([["x", "forbidden"]]);
    expect(changed.failures[0]![2]).toMatch(/changed since you accepted it.*wren trust/);
    expect((await projectTrustState({ cwd: a, env, home: root })).unacceptedMcpServers.map((w) => [w.name, w.changed])).toEqual([["x", true]]);

    // Accepted as it is now, it starts (and runs what it names).
    expect(await accept(a)).toEqual(["x"]);
    expect((await servers(a)).tools).toContain("mcp__x__echo");
    expect(existsSync(marker)).toBe(true);
  }, 30_000);

  it("starts a server for one run with --allow mcp__NAME (or one of its tools) or --trust-project, recording nothing", async () => {
    const b = repo("b", { x: mcpServer([mcpFixtures.stdio]), y: mcpServer([mcpFixtures.stdio]) });
    expect((await servers(b, { allow: ["mcp__x__echo"] })).tools.filter((t) => t.startsWith("mcp__x__"))).toContain("mcp__x__echo");
    const both = await servers(b, { trustProject: true });
    expect(both.tools).toEqual(expect.arrayContaining(["mcp__x__echo", "mcp__y__echo"]));
    expect(both.failures).toEqual([]);
    expect(await listTrustedProjects({ env, home: root })).toEqual([]);
    expect((await servers(b)).failures.map(([s]) => s)).toEqual(["x", "y"]);
  }, 30_000);

  it("lists the servers accepted per project, and forgets them with the project", async () => {
    const a = repo("a", { x: mcpServer([mcpFixtures.stdio]) });
    await accept(a);
    expect((await listTrustedProjects({ env, home: root })).map((p) => p.mcpServers)).toEqual([["x"]]);
    expect((await projectTrustState({ cwd: a, env, home: root })).acceptedMcpServers).toEqual(["x"]);
    expect(await forgetProjectRules({ cwd: a, env, home: root })).toBe(true);
    expect((await projectTrustState({ cwd: a, env, home: root })).unacceptedMcpServers.map((w) => w.name)).toEqual(["x"]);
  }, 30_000);

  it("accepts a server live in the session (/trust): recorded, it starts when the run opens again", async () => {
    const a = repo("a", { x: mcpServer([mcpFixtures.stdio]) });
    const { config } = await loadConfig({ env, cwd: a, home: root });
    {
      await using run = await openAgentRun({ config, model: "openai:gpt-4o-mini", allow: [], deny: [], cwd: a, env, signal: new AbortController().signal });
      expect(run.projectRules.unacceptedMcpServers().map((w) => w.name)).toEqual(["x"]);
      expect(await run.projectRules.acceptMcpServers()).toEqual(["x"]);
      expect(run.projectRules.unacceptedMcpServers()).toEqual([]);
    }
    expect((await servers(a)).tools).toContain("mcp__x__echo");
  }, 30_000);
});

describe("the fingerprint of a server's definition", () => {
  const base = { command: "node", args: ["server.js"], env: { A: "1", B: "2" } };
  it("changes with what decides what runs, and not with the order keys are written in", () => {
    const print = mcpServerFingerprint(base);
    expect(print).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(mcpServerFingerprint({ ...base, env: { B: "2", A: "1" } })).toBe(print);
    expect(mcpServerFingerprint({ ...base, env: { A: "1", B: "3" } })).not.toBe(print);
    expect(mcpServerFingerprint({ ...base, env: { A: "1", B: "2", NODE_OPTIONS: "--require ./x.js" } })).not.toBe(print);
    expect(mcpServerFingerprint({ ...base, args: ["server.js", "--x"] })).not.toBe(print);
    expect(mcpServerFingerprint({ ...base, command: "bash" })).not.toBe(print);
    expect(mcpServerFingerprint({ ...base, cwd: "tools" })).not.toBe(print);
    const http = { type: "http" as const, url: "https://example.com/mcp", headers: { authorization: "Bearer a" } };
    expect(mcpServerFingerprint({ ...http, url: "https://evil.example/mcp" })).not.toBe(mcpServerFingerprint(http));
    expect(mcpServerFingerprint({ ...http, headers: { authorization: "Bearer b" } })).not.toBe(mcpServerFingerprint(http));
    expect(mcpServerFingerprint({ ...http, type: "streamable-http" })).toBe(mcpServerFingerprint(http));
  });
});
