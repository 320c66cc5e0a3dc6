import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { readTranscript, sessionsDir } from "../agent/index.js";
import { loadConfig } from "../config/index.js";
import { openAgentRun, type AgentRunOptions } from "./agent.js";

/**
 * A run whose model cannot be found (`wren -p --model nope`) fails on its first turn, before any
 * answer: the end of the run records why, and a one-shot run leaves no session made of its prompt alone.
 */
describe("a run that fails before the model answered", () => {
  let root: string;
  let project: string;
  let env: Record<string, string>;
  let dir: string;
  beforeEach(() => {
    root = mkdtempSync(path.join(os.tmpdir(), "wren-agent-failed-start-"));
    project = path.join(root, "project");
    mkdirSync(path.join(project, ".git"), { recursive: true });
    env = { WREN_HOME: path.join(root, "home"), HOME: root, OLLAMA_MODELS: path.join(root, "no-ollama"), WREN_MODELS_DEFAULT: "" };
    dir = sessionsDir(path.join(root, "home", "state"));
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  async function runNope(more: Partial<AgentRunOptions> = {}) {
    const { config } = await loadConfig({ env, cwd: project, home: root });
    let kept: boolean;
    let file: string;
    {
      await using run = await openAgentRun({ config, model: "nope", offline: true, allow: [], deny: [], cwd: project, env, signal: new AbortController().signal, ...more });
      file = run.session.file;
      const gen = run.run("hi");
      let next = await gen.next();
      while (!next.done) next = await gen.next();
      expect(next.value).toMatchObject({ reason: "error", error: { code: "model_not_found", message: expect.stringContaining('There is no model "nope"') } });
      kept = run.sessionKept();
    }
    return { kept, file };
  }

  it("one-shot (wren -p): a new session is not kept, and says so", async () => {
    const { kept, file } = await runNope({ discardUnanswered: true });
    expect(kept).toBe(false);
    expect(existsSync(file)).toBe(false);
    expect(readdirSync(dir).filter((f) => f.endsWith(".jsonl"))).toEqual([]);
  });

  it("a session that goes on (the terminal UI), or one continued, is kept, its end recording the error", async () => {
    const first = await runNope();
    expect(first.kept).toBe(true);
    const end = readTranscript(first.file).at(-1);
    expect(end).toMatchObject({ type: "end", reason: "error", error: { code: "model_not_found", message: expect.stringContaining('There is no model "nope"') } });
    // Continued by a one-shot run that fails too: the session was there before, so it stays.
    const again = await runNope({ discardUnanswered: true, continueLast: true });
    expect(again).toEqual({ kept: true, file: first.file });
    expect(readTranscript(first.file).filter((r) => r.type === "end")).toHaveLength(2);
  });

  it("a session whose prompts all failed stays when a later run of it cannot start: its conversation is empty, its transcript is not", async () => {
    const first = await runNope();
    mkdirSync(path.join(project, ".wren"), { recursive: true });
    writeFileSync(path.join(project, ".wren", "settings.toml"), "[permissions\n");
    const { config } = await loadConfig({ env, cwd: project, home: root });
    const opening = openAgentRun({ config, model: "nope", offline: true, allow: [], deny: [], cwd: project, env, signal: new AbortController().signal, continueLast: true, discardUnanswered: true });
    await expect(opening).rejects.toThrow();
    expect(existsSync(first.file)).toBe(true);
    expect(readTranscript(first.file).filter((r) => r.type === "message")).toHaveLength(1);
  });
});
