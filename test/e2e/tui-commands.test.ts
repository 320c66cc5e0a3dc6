import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ChatBody, ScriptedTeacher, TeacherScript } from "../helpers/fake-upstreams/scripted-teacher.js";
import { mcpFixtures, mcpServerToml } from "../helpers/mcp-fixtures.js";
import { KEYS, startWrenPty, type PtySession } from "../helpers/pty-terminal.js";
import { quitSession, sendPrompt, tuiWorkspace, type TuiPlace, type TuiWorkspace } from "../helpers/tui-workspace.js";

/** The text of a request's first (system) and last messages. */
const systemOf = (body: ChatBody): string => JSON.stringify(body.messages[0]?.content ?? "");
const lastOf = (body: ChatBody): string => {
  const content = body.messages.at(-1)?.content;
  return typeof content === "string" ? content : JSON.stringify(content);
};
/**
 * Tab followed, in the same write, by a right arrow, which the prompt ignores: keys that arrive in
 * one read still act one by one (only a bracketed paste is text), and the screen looks the same
 * before and after Tab takes the ghost text.
 */
const TAB = `${KEYS.tab}\x1b[C`;
/** The prompt box's line showing `text` (the box's border, not the scrollback's copy of a sent prompt). */
const inBox = (text: string): RegExp => new RegExp(`│ > ${text.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")}\\s*│`);

describe("the terminal UI's completion and commands, against a scripted teacher", { timeout: 300_000 }, () => {
  let workspace: TuiWorkspace;

  beforeAll(() => void (workspace = tuiWorkspace("wren-tui-cmd-")));
  afterAll(() => workspace?.[Symbol.asyncDispose]());

  /** A fresh user home and project folder (a git repository with a README, a test script and a source file). */
  const place = (name: string): TuiPlace =>
    workspace.place(name, {
      folders: ["src"],
      files: { "README.md": "# demo\n", "package.json": JSON.stringify({ scripts: { test: "vitest" } }), "src/main.ts": "export {};\n" },
    });
  const teacher = (script: TeacherScript): Promise<ScriptedTeacher> => workspace.teacher(script);
  const open = (t: ScriptedTeacher, where: TuiPlace, args: string[] = []): Promise<PtySession> => workspace.open(t, where, { args });
  const send = (pty: PtySession, text: string): Promise<void> => sendPrompt(pty, text, inBox(text));
  const quit = (pty: PtySession): Promise<void> => quitSession(pty, send);

  it("Tab takes the ghost text: the project's suggestion in the empty prompt, @paths a folder at a time, a recent prompt", async () => {
    const where = place("ghost");
    const t = await teacher(() => ({ text: "Done." }));
    const pty = await open(t, where);
    /** The screen once `n` turns have been answered. */
    const answers = (n: number): RegExp => new RegExp(Array.from({ length: n }, () => "● Done\\.").join("[\\s\\S]*"));
    // Drawn from the project's package.json (its README is the second suggestion).
    await pty.waitFor(inBox("Run npm test and fix what fails"), { visible: true });
    pty.type(TAB + KEYS.enter);
    await pty.waitFor("● Done.");
    expect(lastOf(t.requests[0]!)).toBe("Run npm test and fix what fails");

    pty.type("read @sr");
    await pty.waitFor(inBox("read @src/"), { visible: true });
    pty.type(KEYS.tab);
    // Taken: the next level (the only file in src/) is the ghost now.
    await pty.waitFor(inBox("read @src/main.ts"), { visible: true });
    pty.type(`${TAB}now`);
    await pty.waitFor(inBox("read @src/main.ts now"), { visible: true });
    pty.type(KEYS.enter);
    await t.waitForRequests(2);
    expect(lastOf(t.requests[1]!)).toBe("read @src/main.ts now");
    // The turn ends before the next Enter: while one runs, Enter sends nothing ("A turn is running").
    await pty.waitFor(answers(2));
    await pty.waitForGone(inBox("read @src/main.ts now"));

    pty.type("rea");
    await pty.waitFor(inBox("read @src/main.ts now"), { visible: true });
    pty.type(`${TAB} again`);
    await pty.waitFor(inBox("read @src/main.ts now again"), { visible: true });
    pty.type(KEYS.enter);
    await t.waitForRequests(3);
    expect(lastOf(t.requests[2]!)).toBe("read @src/main.ts now again");
    // Ended before Ctrl+C, which would cancel a running turn instead of clearing the prompt.
    await pty.waitFor(answers(3));

    pty.type("/mcp d");
    await pty.waitFor(inBox("/mcp disable"), { visible: true });
    pty.type(KEYS.ctrlC);
    await pty.waitForGone(inBox("/mcp disable"));
    await quit(pty);
  });

  it("/context shows what fills the window, /compact summarises older turns, /feedback rates with a note, /model switches the next turns", async () => {
    const where = place("commands");
    const t = await teacher((body, i) => (systemOf(body).includes("summaries") ? { text: "They talked." } : { text: `Answer ${i + 1}.` }));
    const pty = await open(t, where);
    const prompts = ["the first question, which is rather long on purpose", "the second question, which is rather long too", "the third question"];
    for (const [i, p] of prompts.entries()) {
      await send(pty, p);
      await pty.waitFor(`● Answer ${i + 1}.`);
    }

    await send(pty, "/context");
    await pty.waitFor(/Context: ≈\d+ tokens/);
    const context = pty.text();
    expect(context).toMatch(/ {2}system prompt +≈ *\d+ +\d+%/);
    expect(context).toMatch(/ {2}tools \(\d+\) +≈ *\d+/);
    expect(context).toMatch(/ {2}messages \(6\) +≈ *\d+ +\d+% +you ≈\d+ · answers ≈\d+ · tool results ≈0/);

    await send(pty, "/compact");
    const compacted = await pty.waitFor(/Compacted: 6 → 2 messages, ≈\d+ → ≈\d+ tokens\./);
    const [, before, after] = /≈(\d+) → ≈(\d+) tokens\./.exec(compacted)!;
    expect(Number(after)).toBeLessThan(Number(before));
    const summarise = t.requests.find((r) => systemOf(r).includes("summaries"))!;
    expect(lastOf(summarise)).toContain("the first question");

    await send(pty, "/feedback meh");
    await pty.waitFor("✗ /feedback takes good or bad");
    await send(pty, "/feedback bad too short");
    await pty.waitFor("Rated the last answer bad with your note", { visible: true });
    const feedback = readFileSync(path.join(where.home, "data", "feedback.jsonl"), "utf8").trim().split("\n");
    expect(JSON.parse(feedback.at(-1)!)).toMatchObject({ rating: "bad", note: "too short", weight: 3 });

    await send(pty, "/model");
    await pty.waitFor("This session asks openai:gpt-4o-mini");
    pty.type("/mo");
    await pty.waitFor("/model [name]  the model the next turns ask", { visible: true });
    pty.type(KEYS.tab);
    await pty.waitForGone("/model [name]  the model the next turns ask");
    pty.type("openai:gpt-4o");
    // The configured teacher's name is the ghost text; Enter sends what was typed.
    await pty.waitFor(inBox("/model openai:gpt-4o-mini"), { visible: true });
    pty.type(KEYS.enter);
    await pty.waitFor("✓ The next turns ask openai:gpt-4o; the conversation goes on.");
    const asked = t.requests.length;
    await send(pty, "after the switch");
    await t.waitForRequests(asked + 1);
    const switched = t.requests[asked]!;
    expect(switched.model).toBe("gpt-4o");
    // The same conversation: the summary of the first turns and the third one came along.
    expect(JSON.stringify(switched.messages)).toContain("They talked.");
    expect(JSON.stringify(switched.messages)).toContain("the third question");
    await pty.waitFor("last: openai:gpt-4o (direct)", { visible: true });
    await quit(pty);
  });

  it("/local keeps the session off the teachers until /local off", async () => {
    const where = place("local");
    const t = await teacher(() => ({ text: "From the teacher." }));
    const pty = await open(t, where);
    await send(pty, "/local");
    await pty.waitFor("✓ Local only: until you leave (or /local off), the router never sends");
    await send(pty, "stay here");
    await pty.waitFor(/✗ .*Cloud use is off \(--offline\): openai:gpt-4o-mini was not called/);
    expect(t.requests).toHaveLength(0);
    await send(pty, "/local off");
    await pty.waitFor("✓ Teachers allowed again");
    await send(pty, "go ahead");
    await pty.waitFor("● From the teacher.");
    expect(t.requests).toHaveLength(1);
    await quit(pty);
  });

  it("/mcp lists the servers, and disable / enable take a server's tools out of the next requests and back", async () => {
    const where = place("mcp");
    writeFileSync(path.join(where.home, "config.toml"), mcpServerToml("fixture", [mcpFixtures.stdio]));
    const t = await teacher(() => ({ text: "Noted." }));
    const pty = await open(t, where);
    const mcpTools = (body: ChatBody): string[] => (body.tools ?? []).map((x) => x.function.name).filter((n) => n.startsWith("mcp__fixture__"));
    await send(pty, "/mcp list");
    await pty.waitFor(/fixture {2}(on, [1-9]\d* tools?|starting)/);
    // On a busy machine the session may open before the server is ready (after 2 s): it is listed
    // as starting, and its tools join once it is ready.
    if (!/fixture {2}on, [1-9]\d* tools?/.test(pty.screen())) {
      await pty.waitFor("MCP server 'fixture' is ready");
      await send(pty, "/mcp list");
      await pty.waitFor(/fixture {2}on, [1-9]\d* tools?/);
    }
    await send(pty, "/mcp disable fixture");
    await pty.waitFor("✓ MCP server 'fixture' is off");
    await send(pty, "/mcp list");
    await pty.waitFor("fixture  off (/mcp enable fixture turns it on)");
    await send(pty, "first");
    await t.waitForRequests(1);
    expect(mcpTools(t.requests[0]!)).toEqual([]);
    await pty.waitFor("● Noted.");
    await send(pty, "/mcp enable nothing");
    await pty.waitFor("✗ There is no MCP server 'nothing' here.");
    await send(pty, "/mcp enable fixture");
    await pty.waitFor("✓ MCP server 'fixture' is on again");
    await send(pty, "second");
    await t.waitForRequests(2);
    expect(mcpTools(t.requests[1]!).length).toBeGreaterThan(0);
    // The conversation went on through both reopenings.
    expect(JSON.stringify(t.requests[1]!.messages)).toContain("first");
    await pty.waitFor(/● Noted\.[\s\S]*● Noted\./);
    // reload reads the config again: a server removed from it meanwhile is gone.
    writeFileSync(path.join(where.home, "config.toml"), "");
    await send(pty, "/mcp reload");
    await pty.waitFor("✓ MCP servers restarted with the config as it is now.");
    await send(pty, "/mcp list");
    await pty.waitFor("No MCP servers are configured for this project.");
    await quit(pty);
  });

  it("/plan --critique: seven reviewers review the plan, the model revises it with their findings, and the user sees them before approving", async () => {
    const where = place("critique");
    const t = await teacher((body) => {
      const system = systemOf(body);
      const reviewer = /You are an? ([a-z ]+) reviewer/.exec(system);
      if (reviewer) return { text: `- ${reviewer[1]} finding` };
      if (system.includes("revising your own plan")) return { text: "1. Revised step, with tests." };
      if (body.messages.at(-1)?.role === "tool") return { text: "Carried out the revised plan." };
      return { toolCalls: [{ name: "ExitPlanMode", arguments: { plan: "1. Original step." } }] };
    });
    const pty = await open(t, where);
    await send(pty, "/plan --critique add a flag");
    await pty.waitFor("2. Reject: keep planning", { visible: true });
    const personas = ["security", "performance", "maintainability", "test coverage", "user impact", "operations", "sceptic"];
    const reviews = t.requests.filter((r) => / reviewer of a coding assistant's plan/.test(systemOf(r)));
    expect(reviews.map((r) => /You are an? ([a-z ]+) reviewer/.exec(systemOf(r))![1]).sort()).toEqual([...personas].sort());
    for (const r of reviews) expect(lastOf(r)).toMatch(/Task: add a flag[\s\S]*1\. Original step\./);
    const revision = t.requests.find((r) => systemOf(r).includes("revising your own plan"))!;
    for (const p of personas) expect(lastOf(revision)).toContain(`- ${p} finding`);

    // The findings are on the screen, above the approval dialog that shows the revised plan.
    const screen = pty.text();
    const dialog = screen.lastIndexOf("1. Revised step, with tests.");
    expect(screen).toContain("The plan was reviewed by 7 reviewers, and revised with their findings:");
    for (const [title, p] of [["Security", "security"], ["Test coverage", "test coverage"], ["Sceptic", "sceptic"]] as const) {
      const at = screen.indexOf(`${title}:\n  - ${p} finding`);
      expect(at).toBeGreaterThan(-1);
      expect(at).toBeLessThan(dialog);
    }
    await pty.waitFor("❯ 1. Approve: carry it out", { visible: true });
    pty.type("1");
    await pty.waitFor("● Carried out the revised plan.");
    // Approving the revision tells the model to carry out the revision, not its first plan.
    const told = t.requests.at(-1)!.messages.filter((m) => m.role === "tool").map((m) => String(m.content));
    expect(told.at(-1)).toMatch(/approved it[\s\S]*1\. Revised step, with tests\./);
    await quit(pty);
  });

  it("the first start without a configuration offers /setup: it can be declined, the wizard runs and comes back, and the offer is gone once configured", async () => {
    const where = place("first-run");
    // No config file and nothing in the environment saying what to use; --offline keeps the wizard off the network.
    const start = (): PtySession => {
      return workspace.track(startWrenPty(["--model", "openai:gpt-4o-mini", "--offline"], { cwd: where.project, env: { WREN_HOME: where.home } }));
    };
    const pty = start();
    await pty.waitFor("wren has no configuration yet, so it runs on its defaults.");
    await pty.waitFor("Type /setup to pick a local model");
    await pty.waitFor("no turn yet");
    // Declined by going on: the session works without it.
    await send(pty, "/help");
    await pty.waitFor("/setup  run wren setup");
    await send(pty, "/setup");
    await pty.waitFor("wren setup: first-run configuration", { visible: true });
    pty.type(KEYS.escape);
    await pty.waitFor("Setup cancelled: nothing was written.");
    // Back in the assistant, which (still without a config) offers it again.
    await pty.waitFor(/no configuration yet[\s\S]*Setup cancelled[\s\S]*no configuration yet[\s\S]*no turn yet/);
    await quit(pty);

    writeFileSync(path.join(where.home, "config.toml"), "# configured\n");
    const configured = start();
    await configured.waitFor("no turn yet");
    expect(configured.text()).not.toContain("no configuration yet");
    await quit(configured);
  });

  it("/resume opens a picker of this project's sessions, newest first (date, first prompt, turns): arrows and Enter continue one, Esc cancels; /resume N still works", async () => {
    const where = place("resume");
    /** A session of the project that sends `prompts`, each answered “Answered PROMPT.” */
    const earlier = async (prompts: string[]): Promise<void> => {
      const pty = await open(await teacher((body) => ({ text: `Answered ${lastOf(body)}.` })), where);
      for (const p of prompts) {
        await send(pty, p);
        await pty.waitFor(`● Answered ${p}.`);
      }
      await quit(pty);
    };
    await earlier(["the first question", "a follow-up"]);
    await earlier(["the second question"]);

    const t = await teacher([{ text: "Third answer." }, { text: "Fourth answer." }]);
    const third = await open(t, where);
    await send(third, "/resume");
    await third.waitFor("Resume a session of this project", { visible: true });
    const dialog = await third.waitFor(/❯ 1\. .*the second question/, { visible: true });
    const date = String.raw`\d{4}-\d\d-\d\d \d\d:\d\d`;
    expect(dialog).toMatch(new RegExp(`❯ 1\\. ${date}  the second question  · 1 turn\\s`));
    expect(dialog).toMatch(new RegExp(`  2\\. ${date}  the first question  · 2 turns\\s`));
    // Esc: the prompt comes back, nothing resumed.
    third.type(KEYS.escape);
    await third.waitFor("Resume cancelled: this session goes on.", { visible: true });
    expect(third.screen()).not.toContain("Resume a session of this project");

    await send(third, "/resume");
    await third.waitFor(/❯ 1\. .*the second question/, { visible: true });
    third.type(KEYS.down);
    await third.waitFor(/❯ 2\. .*the first question/, { visible: true });
    third.type(KEYS.enter);
    await third.waitFor("✓ Resumed “the first question”");
    await send(third, "the third question");
    await third.waitFor("● Third answer.");
    const sent = JSON.stringify(t.requests[0]!.messages);
    expect(sent).toContain("a follow-up");
    expect(sent).not.toContain("the second question");
    await quit(third);

    // By number, newest first: the session just used is now the newest.
    const fourth = await open(t, where);
    await send(fourth, "/resume 2");
    await fourth.waitFor("✓ Resumed “the second question”");
    await send(fourth, "the fourth question");
    await fourth.waitFor("● Fourth answer.");
    expect(JSON.stringify(t.requests[1]!.messages)).toContain("Answered the second question.");
    await quit(fourth);
  });
});
