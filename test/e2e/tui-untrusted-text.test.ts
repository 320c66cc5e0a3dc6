import { existsSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ScriptedTeacher, TeacherScript } from "../helpers/fake-upstreams/scripted-teacher.js";
import { KEYS, type PtySession } from "../helpers/pty-terminal.js";
import { quitSession as quit, sendPrompt as send, tuiWorkspace, type TuiWorkspace } from "../helpers/tui-workspace.js";

/** Terminal instructions wren itself never sends: a clipboard write (OSC 52) and a window title (OSC 0). */
const CLIPBOARD = "\x1b]52;";
const TITLE = "\x1b]0;";

/**
 * What the model and its tools write reaches a real terminal as text: the terminal UI neither passes
 * their escape sequences on nor lets a carriage return, an erase or a bidi override make a command
 * to approve read other than it runs.
 */
describe("wren's terminal UI and text it did not write", { timeout: 240_000 }, () => {
  let workspace: TuiWorkspace;
  let home: string;
  let project: string;

  beforeAll(() => {
    workspace = tuiWorkspace("wren-tui-untrusted-");
    ({ home, project } = workspace.place(undefined, { folders: ["src"] }));
  });
  afterAll(() => workspace?.[Symbol.asyncDispose]());

  const open = async (script: TeacherScript): Promise<PtySession> => {
    const t: ScriptedTeacher = await workspace.teacher(script);
    return workspace.open(t, { home, project }, { env: { WREN_AGENT_DIALOG_GRACE_MS: "0" } });
  };

  it("an answer cannot write the clipboard, set the title or erase the screen", async () => {
    const pty = await open([{ text: `Done.${CLIPBOARD}c;cm0gLXJmIH4=\x07${TITLE}pwned\x07 All tidy.` }]);
    await send(pty, "tidy up");
    await pty.waitFor("● Done. All tidy.");
    expect(pty.output()).not.toContain(CLIPBOARD);
    expect(pty.output()).not.toContain(TITLE);
    await quit(pty);
  });

  it("the permission dialog shows a command's carriage return and escapes as text, and refusing runs nothing", async () => {
    // On a terminal the \r and the erase would leave only "ls -la" where the command was.
    const command = "touch hidden.txt #\r\x1b[2Kls -la";
    const pty = await open([{ toolCalls: [{ name: "Bash", arguments: { command } }] }, { text: "Not run, then." }]);
    await send(pty, "list the files");
    await pty.waitFor("Permission: Bash", { visible: true });
    await pty.waitFor("$ touch hidden.txt #\\r\\x1b[2Kls -la", { visible: true });
    pty.type(KEYS.escape);
    await pty.waitFor("Not run, then.");
    expect(existsSync(path.join(project, "hidden.txt"))).toBe(false);
    await quit(pty);
  });
});
