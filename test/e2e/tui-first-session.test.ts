import { existsSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ScriptedTeacher, TeacherScript } from "../helpers/fake-upstreams/scripted-teacher.js";
import { mcpServerToml } from "../helpers/mcp-fixtures.js";
import { KEYS as PTY_KEYS, startWrenPty, type PtySession } from "../helpers/pty-terminal.js";
import { teacherEnv } from "../helpers/teacher-env.js";
import { quitSession as quit, sendPrompt as send, tuiWorkspace, type TuiPlace, type TuiWorkspace } from "../helpers/tui-workspace.js";

/** Keys as a terminal sends them, the editing keys included. */
const KEYS = { ...PTY_KEYS, left: "\x1b[D", right: "\x1b[C", home: "\x1b[H", end: "\x1b[F", ctrlD: "\x04", delete: "\x1b[3~", ctrlH: "\b", pageUp: "\x1b[5~", pageDown: "\x1b[6~" } as const;

/** What a terminal does on Ink's "clear the terminal": the screen and its scrollback wiped. */
const CLEAR_SCROLLBACK = "\x1b[3J";

/** A person's first real session in the terminal UI: the things that tripped one up. */
describe("wren's terminal UI in a first session", { timeout: 240_000 }, () => {
  let workspace: TuiWorkspace;
  let where: TuiPlace;

  beforeAll(() => {
    workspace = tuiWorkspace("wren-tui-first-");
    where = workspace.place();
  });
  afterAll(() => workspace?.[Symbol.asyncDispose]());

  /** `wren ARGS` in a terminal of `cols` × `rows` (default 100 × 40), answered by `t`; resolves at its prompt. */
  const start = async (t: ScriptedTeacher, size: { cols?: number; rows?: number } = {}, args: string[] = []): Promise<PtySession> => {
    const env = { ...teacherEnv(where.home, t.url), GIT_CEILING_DIRECTORIES: workspace.root };
    const pty = workspace.track(startWrenPty(["--model", "openai:gpt-4o-mini", ...args], { cwd: where.project, env, ...size }));
    await pty.waitFor("no turn yet");
    return pty;
  };
  /** As {@link start}, with a new teacher following `script`. */
  const open = async (script: TeacherScript, size: { cols?: number; rows?: number } = {}): Promise<{ pty: PtySession; t: ScriptedTeacher }> => {
    const t = await workspace.teacher(script);
    return { pty: await start(t, size), t };
  };

  it("keeps what is drawn live shorter than the terminal: a long code block streaming in and a long diff never wipe the scrollback", async () => {
    const code = `Here it is:\n\n\`\`\`js\n${Array.from({ length: 40 }, (_, i) => `const v${i} = ${i};`).join("\n")}\n\`\`\`\n\nThat is all.`;
    const content = `${Array.from({ length: 60 }, (_, i) => `line ${i}`).join("\n")}\n`;
    const { pty } = await open(
      [{ text: code, tokensPerSecond: 200 }, { toolCalls: [{ name: "Write", arguments: { file_path: "big.txt", content } }] }, { text: "Written." }],
      { rows: 24 },
    );
    await send(pty, "show me code");
    await pty.waitFor("That is all.");
    await send(pty, "write it");
    // The dialog is whole on the screen from its title to its last choice, the diff cut to fit.
    const dialog = await pty.waitFor(/Permission: Write[\s\S]*5\. No, and tell the model/, { visible: true });
    expect(dialog).toContain("+line 0");
    await pty.waitFor("❯ 1. Yes, once", { visible: true });
    pty.type("1");
    await pty.waitFor("● Written.");
    // The first prompt is still in the scrollback, never cleared away and printed again.
    expect(pty.text().split("> show me code")).toHaveLength(2);
    expect(pty.output()).not.toContain(CLEAR_SCROLLBACK);
    await quit(pty);
  });

  it("a plan taller than a short terminal is cut to fit its dialog, whose title, first steps and choices stay on the screen; it says how much is cut, and PgDn/PgUp scroll it", async () => {
    const plan = Array.from({ length: 60 }, (_, i) => `${i + 1}. Step number ${i + 1}.`).join("\n");
    const { pty } = await open([{ toolCalls: [{ name: "ExitPlanMode", arguments: { plan } }] }, { text: "Planned it out." }], { rows: 24 });
    await send(pty, "/plan do the sixty steps");
    const dialog = await pty.waitFor(/The plan[\s\S]*1\. Step number 1\.[\s\S]*2\. Reject: keep planning/, { visible: true });
    // The plan's end goes before its start, its title or its choices would.
    expect(dialog).not.toContain("60. Step number 60.");
    expect(pty.output()).not.toContain(CLEAR_SCROLLBACK);
    await pty.waitFor("❯ 1. Approve: carry it out", { visible: true });
    // The steps shown and the lines said to be below them make the whole plan.
    const screen = await pty.waitFor(/↓ \d+ more lines/, { visible: true });
    const shown = (text: string): number[] => [...text.matchAll(/│ (\d+)\. Step number \1\./g)].map((m) => Number(m[1]));
    const first = shown(screen);
    expect(first[0]).toBe(1);
    expect(first.length + Number(/↓ (\d+) more lines/.exec(screen)![1])).toBe(60);
    // A page down: the steps after those shown, the ones passed counted above.
    pty.type(KEYS.pageDown);
    const paged = await pty.waitFor(new RegExp(`↑ \\d+ lines above[\\s\\S]*│ ${first.at(-1)!}\\. Step number`), { visible: true });
    expect(shown(paged)[0]).toBeGreaterThan(1);
    expect(shown(paged).at(-1)).toBeGreaterThan(first.at(-1)!);
    // To the end, which shows the last step and nothing below it; then back to the start.
    pty.type(KEYS.pageDown.repeat(30));
    await pty.waitFor(/│ 60\. Step number 60\./, { visible: true });
    expect(pty.screen()).not.toMatch(/more lines/);
    expect(pty.screen()).toContain("2. Reject: keep planning");
    pty.type(KEYS.pageUp.repeat(30));
    await pty.waitFor(/│ 1\. Step number 1\./, { visible: true });
    expect(pty.screen()).not.toMatch(/lines above/);
    pty.type("2");
    await pty.waitFor("What should change?", { visible: true });
    pty.type(KEYS.enter);
    await pty.waitFor("Plan rejected");
    expect(pty.output()).not.toContain(CLEAR_SCROLLBACK);
    await quit(pty);
  });

  it("sends a prompt typed while the session still opens once it is open, instead of asking for it again", async () => {
    // The session opens once its MCP server has started (or failed to): this one waits for a file.
    const gate = path.join(workspace.root, "open-the-session");
    const server = `const fs = require("node:fs"); setInterval(() => fs.existsSync(${JSON.stringify(gate)}) && process.exit(1), 50);`;
    const slow = workspace.place("slow");
    writeFileSync(path.join(slow.home, "config.toml"), mcpServerToml("gate", ["-e", server]));
    const t = await workspace.teacher([{ text: "Answered once the session opened." }]);
    const env = { ...teacherEnv(slow.home, t.url), GIT_CEILING_DIRECTORIES: workspace.root };
    const pty = workspace.track(startWrenPty(["--model", "openai:gpt-4o-mini"], { cwd: slow.project, env }));
    await pty.waitFor("╰", { visible: true });
    await send(pty, "hello early");
    await pty.waitFor("> hello early");
    expect(existsSync(gate)).toBe(false);
    writeFileSync(gate, "");
    await pty.waitFor("● Answered once the session opened.");
    expect(pty.text()).not.toContain("send the prompt again");
    await quit(pty);
  });

  it("Esc in the permission dialog refuses the call and the model goes on, told so: the turn is not cancelled", async () => {
    const { pty, t } = await open([{ toolCalls: [{ name: "Bash", arguments: { command: "touch refused.txt" } }] }, { text: "Understood: not touching it." }]);
    await send(pty, "touch it");
    await pty.waitFor("Permission: Bash", { visible: true });
    pty.type(KEYS.escape);
    await pty.waitFor("● Understood: not touching it.");
    expect(t.requests).toHaveLength(2);
    expect(pty.text()).not.toContain("Cancelled.");
    await quit(pty);
  });

  it("leaving keeps the transcript without a prompt box under it and says how to continue the session, which then goes on", async () => {
    const { pty, t } = await open([{ text: "First answer." }, { text: "Second answer." }]);
    await send(pty, "the first prompt");
    await pty.waitFor("● First answer.");
    await quit(pty);
    const text = pty.text();
    const id = /To continue this session: wren --resume (\S+)/.exec(text)?.[1];
    expect(id).toBeDefined();
    expect(text.slice(text.indexOf("● First answer."))).not.toMatch(/[╭│╰]/);
    const again = await start(t, {}, ["--resume", id ?? ""]);
    await again.waitFor(`Continuing session ${id}`);
    await send(again, "the second prompt");
    await again.waitFor("● Second answer.");
    expect(JSON.stringify(t.requests[1]?.messages)).toContain("the first prompt");
    await quit(again);
  });

  it("edits the prompt where the cursor is (arrows, Home, Backspace), moves between its lines, and Ctrl+D on the empty prompt quits", async () => {
    const { pty, t } = await open([{ text: "Edited prompt received." }]);
    pty.type("helo wrld");
    await pty.waitFor("> helo wrld", { visible: true });
    pty.type(`${KEYS.left.repeat(3)}o`);
    await pty.waitFor("> helo world", { visible: true });
    pty.type(`${KEYS.left.repeat(4)}l`);
    await pty.waitFor("> hello world", { visible: true });
    pty.type(`${KEYS.home}say ${KEYS.end}${KEYS.backspace}D`);
    await pty.waitFor("> say hello worlD", { visible: true });
    // A second line, then Up to the first: what is typed goes there.
    pty.type("\\");
    pty.type(KEYS.enter);
    pty.type(`now${KEYS.up}!`);
    await pty.waitFor(/> say! hello worlD\s*│\n│\s+now/, { visible: true });
    pty.type(KEYS.enter);
    await pty.waitFor("● Edited prompt received.");
    expect(JSON.stringify(t.requests[0]?.messages)).toContain("say! hello worlD\\nnow");
    pty.type(KEYS.ctrlD);
    expect(await pty.exited).toBe(0);
  });

  it("Delete removes the character under the cursor, Backspace (DEL or Ctrl+H, as terminals send it) the one before it", async () => {
    const { pty, t } = await open([{ text: "Deleted both ways." }]);
    pty.type("abcdef");
    await pty.waitFor("> abcdef", { visible: true });
    pty.type(`${KEYS.left.repeat(3)}${KEYS.delete}`);
    await pty.waitFor("> abcef", { visible: true });
    pty.type(KEYS.delete);
    await pty.waitFor("> abcf", { visible: true });
    pty.type(KEYS.backspace);
    await pty.waitFor("> abf", { visible: true });
    pty.type(`${KEYS.ctrlH}X`);
    await pty.waitFor("> aXf", { visible: true });
    // At the end of the prompt there is nothing under the cursor: Delete leaves the text as it is.
    pty.type(`${KEYS.end}${KEYS.delete}!`);
    await pty.waitFor("> aXf!", { visible: true });
    pty.type(KEYS.enter);
    await pty.waitFor("● Deleted both ways.");
    expect(t.requests[0]?.messages.at(-1)?.content).toBe("aXf!");
    await quit(pty);
  });

  it("a note about the running turn (Cancelling…, A turn is running) goes when the turn ends instead of staying under an idle prompt", async () => {
    const { pty, t } = await open([{ hang: true }, { text: "Next answer." }]);
    await send(pty, "talk forever");
    await t.waitForRequests(1);
    await pty.waitFor("Thinking…", { visible: true });
    await send(pty, "and this?", "> and this?");
    await pty.waitFor("A turn is running", { visible: true });
    pty.type(KEYS.escape);
    await pty.waitFor("Cancelled. The session goes on");
    await pty.waitForGone(/Cancelling…|A turn is running/);
    // What was typed meanwhile is still there, and goes now.
    pty.type(KEYS.enter);
    await pty.waitFor("● Next answer.");
    await quit(pty);
  });

  it("a pasted block longer than the prompt box says how many of its lines are out of view, and goes whole", async () => {
    const { pty, t } = await open([{ text: "Got the whole paste." }]);
    const block = Array.from({ length: 300 }, (_, i) => `row ${i}`).join("\n");
    pty.type(`\x1b[200~${block}\x1b[201~`);
    await pty.waitFor(/… 290 more lines above[\s\S]*row 299/, { visible: true });
    pty.type(KEYS.up.repeat(12));
    await pty.waitFor(/… 287 more lines above[\s\S]*row 287[\s\S]*… 3 more lines below/, { visible: true });
    pty.type(KEYS.enter);
    await pty.waitFor("● Got the whole paste.");
    expect(JSON.stringify(t.requests[0]?.messages)).toContain("row 0\\nrow 1\\n");
    await quit(pty);
  });
});
