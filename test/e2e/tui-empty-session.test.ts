import { existsSync, readdirSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { quitSession as quit, sendPrompt as send, tuiWorkspace, type TuiWorkspace } from "../helpers/tui-workspace.js";

/** The terminal UI keeps a session only once something was said in it. */
describe("wren's terminal UI and its session", { timeout: 240_000 }, () => {
  let workspace: TuiWorkspace;
  beforeAll(() => (workspace = tuiWorkspace("wren-tui-empty-")));
  afterAll(() => workspace?.[Symbol.asyncDispose]());

  const sessions = (home: string): string[] => {
    const dir = path.join(home, "state", "sessions");
    return existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith(".jsonl")) : [];
  };

  it("leaves no session behind when quit before any prompt, /model switches included", async () => {
    const where = workspace.place("empty");
    const t = await workspace.teacher([]);
    const pty = await workspace.open(t, where);
    // /model reopens the same session: it must still be there to reopen.
    await send(pty, "/model openai:gpt-4o");
    await pty.waitFor("✓ The next turns ask openai:gpt-4o; the conversation goes on.");
    await quit(pty);
    expect(pty.output()).not.toContain("To continue this session");
    expect(sessions(where.home)).toEqual([]);
  });

  it("keeps the session of a prompt answered, and says how to continue it", async () => {
    const where = workspace.place("answered");
    const t = await workspace.teacher([{ text: "Hello from the scripted teacher." }]);
    const pty = await workspace.open(t, where);
    await send(pty, "say hello");
    await pty.waitFor("● Hello from the scripted teacher.");
    await quit(pty);
    const kept = sessions(where.home);
    expect(kept).toHaveLength(1);
    expect(pty.output()).toContain(`To continue this session: wren --resume ${kept[0]?.replace(/\.jsonl$/, "")}`);
  });
});
