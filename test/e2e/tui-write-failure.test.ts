import { mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cliPath } from "../helpers/cli.js";
import { startPty } from "../helpers/pty-terminal.js";
import { teacherEnv } from "../helpers/teacher-env.js";
import { sendPrompt, tuiWorkspace, type TuiWorkspace } from "../helpers/tui-workspace.js";

/** `text` as the screen shows it, wherever the terminal's width breaks its lines. */
const wrapped = (text: string): RegExp => new RegExp(text.split(/\s+/).map((word) => word.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join("\\s+"));

/** The file-size limit wren runs under here (ulimit -f, in KiB). */
const LIMIT_KIB = 64;

/**
 * The terminal UI when the session's transcript refuses the prompt: wren under a real file-size
 * limit (ulimit -f), continuing a session whose transcript is a few bytes short of it, so the
 * prompt's record does not fit. The write past the limit raises SIGXFSZ, which must not kill wren
 * (Ink's signal-exit re-raises it unless wren listens to it too).
 */
describe.skipIf(process.platform === "win32")("wren's terminal UI when the transcript refuses the prompt", { timeout: 120_000 }, () => {
  let workspace: TuiWorkspace;
  beforeAll(() => (workspace = tuiWorkspace("wren-tui-write-")));
  afterAll(() => workspace?.[Symbol.asyncDispose]());

  it("marks the prompt (not sent), says why, sends the model nothing and gives the text back to the prompt box", async () => {
    const { home, project } = workspace.place();
    const id = "full-session";
    const file = path.join(home, "state", "sessions", `${id}.jsonl`);
    mkdirSync(path.dirname(file), { recursive: true });
    const header = { type: "session", version: 1, id, createdAt: new Date().toISOString(), cwd: project, projectRoot: project, model: "openai:gpt-4o-mini", mode: "default", system: "You are a test.", tools: [] };
    const line = (text: string): string => `${JSON.stringify({ type: "message", at: new Date().toISOString(), message: { role: "user", content: [{ type: "text", text }] } })}\n`;
    const start = `${JSON.stringify(header)}\n`;
    // 40 bytes short of the limit: no prompt's record fits.
    const room = LIMIT_KIB * 1024 - 40 - Buffer.byteLength(start) - Buffer.byteLength(line(""));
    writeFileSync(file, start + line("x".repeat(room)));
    expect(statSync(file).size).toBe(LIMIT_KIB * 1024 - 40);

    const teacher = await workspace.teacher([{ text: "Never asked." }]);
    const env = { ...teacherEnv(home, teacher.url), GIT_CEILING_DIRECTORIES: workspace.root };
    const quoted = [process.execPath, cliPath, "--model", "openai:gpt-4o-mini", "--resume", id].map((word) => `'${word}'`).join(" ");
    const pty = workspace.track(startPty(["bash", "-c", `ulimit -f ${LIMIT_KIB} && exec ${quoted}`], { cwd: project, env }));
    await pty.waitFor("no turn yet");
    await sendPrompt(pty, "hello there");
    await pty.waitFor("> hello there (not sent)");
    await pty.waitFor(wrapped("✗ Your prompt was not sent: Cannot write to the session transcript"));
    await pty.waitFor(wrapped("the file has reached the largest size this process may write (its file-size limit, ulimit -f)."));
    await pty.waitFor(wrapped("Your prompt is back in the prompt box."));
    // The prompt box holds the text again, ready to send.
    await pty.waitFor(/│ > hello there\s*│/, { visible: true });
    expect(teacher.requests).toHaveLength(0);
    expect(readFileSync(file, "utf8")).not.toContain("hello there");

    // Ctrl+U clears the line.
    pty.type("\x15");
    await pty.waitForGone(/│ > hello there\s*│/);
    await sendPrompt(pty, "/quit");
    expect(await pty.exited).toBe(0);
  });
});
