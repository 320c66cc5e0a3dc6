import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, expect, it, vi } from "vitest";
import { startScriptedTeacher } from "../../../test/helpers/fake-upstreams/scripted-teacher.js";
import { mcpFixtures, mcpServer } from "../../../test/helpers/mcp-fixtures.js";
import { teacherEnv } from "../../../test/helpers/teacher-env.js";
import { loadConfig } from "../../config/index.js";
import { openAgentRun } from "../../runtime/agent.js";
import { PromptHistory } from "./history.js";
import { SessionController } from "./session-controller.js";
import { runSlash } from "./slash-commands.js";

let dir: string;
beforeEach(() => void (dir = mkdtempSync(path.join(os.tmpdir(), "wren-slash-trust-"))));
afterEach(() => rmSync(dir, { recursive: true, force: true }));

it("/trust accepts the project's MCP server that waits and starts it in the session, the conversation going on", async () => {
  await using teacher = await startScriptedTeacher(() => ({ text: "Noted." }));
  const project = path.join(dir, "project");
  const home = path.join(dir, "home");
  mkdirSync(path.join(project, ".git"), { recursive: true });
  mkdirSync(home, { recursive: true });
  writeFileSync(path.join(project, ".mcp.json"), JSON.stringify({ mcpServers: { repo: mcpServer([mcpFixtures.stdio]) } }));
  const env = teacherEnv(home, teacher.url);
  const { config } = await loadConfig({ env, cwd: project, home: dir });
  const open = (resume?: string) => openAgentRun({ config, model: "openai:gpt-4o-mini", allow: [], deny: [], cwd: project, env, signal: new AbortController().signal, ...(resume ? { resume } : {}) });
  const session = new SessionController({
    config,
    model: "openai:gpt-4o-mini",
    history: new PromptHistory(path.join(dir, "history.jsonl")),
    cwd: project,
    write: () => undefined,
    open: (choice) => open(choice.resume),
  });
  session.attach(await open(), false);
  const tools = () => (session.run?.agent.request().tools ?? []).map((t) => t.name).filter((n) => n.startsWith("mcp__"));
  try {
    expect(tools()).toEqual([]);
    expect(session.run?.mcpFailures.map((f) => f.server)).toEqual(["repo"]);
    await session.prompt("hello");
    const id = session.run!.session.id;

    await runSlash(session, "/trust");
    // The view is published a frame later.
    await vi.waitFor(() =>
      expect(session.snapshot().items.at(-1)).toMatchObject({
        kind: "notice",
        tone: "success",
        text: expect.stringMatching(/^Accepted the project's MCP server repo for this project:\n {2}mcp server repo \(\.mcp\.json\) runs .*mcp-stdio-server\.mjs\nThe session's run opened again to start it/),
      }),
    );
    expect(tools()).toContain("mcp__repo__echo");
    expect(session.run?.mcpFailures).toEqual([]);
    expect(session.run?.session.id).toBe(id);
    expect(readFileSync(path.join(home, "trusted-projects.toml"), "utf8")).toMatch(/repo = "sha256:[0-9a-f]{64}"/);

    await runSlash(session, "/trust");
    await vi.waitFor(() => expect(session.snapshot().items.at(-1)).toMatchObject({ kind: "notice", text: expect.stringMatching(/^Nothing of this project waits for you/) }));
  } finally {
    await session.close();
  }
}, 60_000);
