import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, expect, it, vi } from "vitest";
import { startScriptedTeacher } from "../../../test/helpers/fake-upstreams/scripted-teacher.js";
import { mcpFixtures, mcpServerToml } from "../../../test/helpers/mcp-fixtures.js";
import { teacherEnv } from "../../../test/helpers/teacher-env.js";
import { loadConfig } from "../../config/index.js";
import { openAgentRun } from "../../runtime/agent.js";
import { PromptHistory } from "./history.js";
import { SessionController } from "./session-controller.js";
import { runSlash } from "./slash-commands.js";

let dir: string;
beforeEach(() => void (dir = mkdtempSync(path.join(os.tmpdir(), "wren-slash-mcp-"))));
afterEach(() => rmSync(dir, { recursive: true, force: true }));

it("/mcp reload reads the config as the session read it at its start, and starts a server added since", async () => {
  await using teacher = await startScriptedTeacher(() => ({ text: "Noted." }));
  const project = path.join(dir, "project");
  const home = path.join(dir, "home");
  mkdirSync(path.join(project, ".git"), { recursive: true });
  mkdirSync(home, { recursive: true });
  const env = teacherEnv(home, teacher.url);
  // How this session reads its config: its own environment and folders (as the terminal UI reads it with its flags).
  const read = async () => (await loadConfig({ env, cwd: project, home: dir })).config;
  const config = await read();
  let reads = 0;
  const session = new SessionController({
    config,
    model: "openai:gpt-4o-mini",
    history: new PromptHistory(path.join(dir, "history.jsonl")),
    cwd: project,
    write: () => undefined,
    open: (choice, conf) => openAgentRun({ config: conf, model: "openai:gpt-4o-mini", allow: [], deny: [], cwd: project, env, signal: new AbortController().signal, ...(choice.resume ? { resume: choice.resume } : {}) }),
    reloadConfig: () => {
      reads++;
      return read();
    },
  });
  session.attach(await openAgentRun({ config, model: "openai:gpt-4o-mini", allow: [], deny: [], cwd: project, env, signal: new AbortController().signal }), false);
  const tools = () => (session.run?.agent.request().tools ?? []).map((t) => t.name).filter((n) => n.startsWith("mcp__"));
  try {
    expect(tools()).toEqual([]);
    // The user adds a server to their own config while the session runs.
    writeFileSync(path.join(home, "config.toml"), mcpServerToml("notes", [mcpFixtures.stdio]));
    await runSlash(session, "/mcp reload");
    await vi.waitFor(() => expect(session.snapshot().items.at(-1)).toMatchObject({ kind: "notice", tone: "success", text: "MCP servers restarted with the config as it is now." }));
    expect(reads).toBe(1);
    expect(tools()).toContain("mcp__notes__echo");
  } finally {
    await session.close();
  }
}, 60_000);
