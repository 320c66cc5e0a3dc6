import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ScriptedTeacher, TeacherScript } from "../helpers/fake-upstreams/scripted-teacher.js";
import { startWrenPty, type PtySession } from "../helpers/pty-terminal.js";
import { teacherEnv } from "../helpers/teacher-env.js";
import { quitSession as quit, sendPrompt as send, tuiWorkspace, type TuiPlace, type TuiWorkspace } from "../helpers/tui-workspace.js";

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
    pty.type("1");
    await pty.waitFor("● Written.");
    // The first prompt is still in the scrollback, never cleared away and printed again.
    expect(pty.text().split("> show me code")).toHaveLength(2);
    expect(pty.output()).not.toContain(CLEAR_SCROLLBACK);
    await quit(pty);
  });
});
