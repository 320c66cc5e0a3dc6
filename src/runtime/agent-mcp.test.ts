import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startScriptedTeacher, type ChatBody, type ScriptedTeacher } from "../../test/helpers/fake-upstreams/scripted-teacher.js";
import { mcpFixtures, mcpServerToml } from "../../test/helpers/mcp-fixtures.js";
import { processGone, untilGone } from "../../test/helpers/processes.js";
import { teacherEnv } from "../../test/helpers/teacher-env.js";
import type { Interaction, RunOutcome } from "../agent/index.js";
import { loadConfig } from "../config/index.js";
import { openAgentRun, type OpenedAgentRun } from "./agent.js";

const pause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** The person at the terminal, who is never asked anything in these runs. */
const person: Interaction = {
  askPermission: () => Promise.resolve({ reply: "reject" }),
  reviewPlan: () => Promise.resolve({ verdict: "rejected" }),
} as unknown as Interaction;

async function drain(gen: AsyncGenerator<unknown, RunOutcome>): Promise<RunOutcome> {
  let next = await gen.next();
  while (!next.done) next = await gen.next();
  return next.value;
}

const mcpTools = (body: ChatBody, server: string): string[] => (body.tools ?? []).map((t) => t.function.name).filter((n) => n.startsWith(`mcp__${server}__`));

describe("MCP servers that are slow to start", () => {
  let root: string;
  let project: string;
  let teacher: ScriptedTeacher;
  beforeAll(async () => {
    root = mkdtempSync(path.join(os.tmpdir(), "wren-agent-mcp-"));
    project = path.join(root, "project");
    mkdirSync(path.join(project, ".git"), { recursive: true });
    teacher = await startScriptedTeacher(() => ({ text: "Answer." }));
  });
  afterAll(async () => {
    await teacher.close();
    rmSync(root, { recursive: true, force: true });
  });

  /** A home whose config starts `fast` (the fixture), `slow` (the fixture after `slowMs`) and, if `hung`, `hangs` (never ready). */
  async function open(name: string, slowMs: number, more: { interaction?: Interaction }, hung = true): Promise<{ run: OpenedAgentRun; hangPid: () => number; openedInMs: number }> {
    const home = path.join(root, name);
    mkdirSync(home, { recursive: true });
    const pidFile = path.join(home, "hangs.pid");
    writeFileSync(
      path.join(home, "config.toml"),
      [
        mcpServerToml("fast", [mcpFixtures.stdio]),
        mcpServerToml("slow", [mcpFixtures.slow], { WREN_TEST_DELAY_MS: String(slowMs) }),
        ...(hung ? [mcpServerToml("hangs", [mcpFixtures.slow], { WREN_TEST_PID_FILE: pidFile })] : []),
      ].join("\n"),
    );
    const env = teacherEnv(home, teacher.url);
    const { config } = await loadConfig({ env, cwd: project, home: root });
    const started = Date.now();
    const run = await openAgentRun({ config, model: "openai:gpt-4o-mini", allow: [], deny: [], cwd: project, env, signal: new AbortController().signal, ...more });
    return { run, hangPid: () => Number(readFileSync(pidFile, "utf8")), openedInMs: Date.now() - started };
  }

  it("with someone at the terminal, a hung server does not hold the session: it opens at once, and a slow server's tools join when it is ready", async () => {
    const from = teacher.requests.length;
    const { run, hangPid, openedInMs } = await open("home-interactive", 4_000, { interaction: person });
    let pid: number;
    try {
      // Opened after the short wait, not the 30 s a server has to start.
      expect(openedInMs).toBeLessThan(10_000);
      expect(run.mcpStarting()).toEqual(["slow", "hangs"]);
      expect(run.mcpFailures).toEqual([]);
      const joined = new Promise<string>((resolve) => run.onMcpUpdate((u) => u.tools.length > 0 && resolve(u.server)));
      expect((await drain(run.run("first"))).reason).toBe("done");
      const first = teacher.requests[from]!;
      expect(mcpTools(first, "fast")).toContain("mcp__fast__echo");
      expect(mcpTools(first, "slow")).toEqual([]);
      expect(await joined).toBe("slow");
      expect(run.mcpStarting()).toEqual(["hangs"]);
      expect((await drain(run.run("second"))).reason).toBe("done");
      const second = teacher.requests[from + 1]!;
      expect(mcpTools(second, "slow")).toContain("mcp__slow__echo");
      // The tools offered before keep their places; the new ones come after them.
      expect(second.tools!.slice(0, first.tools!.length)).toEqual(first.tools);
      while (!existsSync(path.join(root, "home-interactive", "hangs.pid"))) await pause(20);
      pid = hangPid();
      expect(processGone(pid)).toBe(false);
    } finally {
      await run[Symbol.asyncDispose]();
    }
    // Closing the run stops the server still starting.
    await untilGone([pid]);
  }, 60_000);

  it("wren -p (no one at the terminal) waits for a slow server, so its tools are in the first request", async () => {
    const from = teacher.requests.length;
    const { run, openedInMs } = await open("home-print", 3_000, {}, false);
    try {
      expect(openedInMs).toBeGreaterThanOrEqual(3_000);
      expect((await drain(run.run("first"))).reason).toBe("done");
      expect(mcpTools(teacher.requests[from]!, "slow")).toContain("mcp__slow__echo");
      expect(run.mcpStarting()).toEqual([]);
      expect(run.mcpFailures).toEqual([]);
    } finally {
      await run[Symbol.asyncDispose]();
    }
  }, 60_000);
});
