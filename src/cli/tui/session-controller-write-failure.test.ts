import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { runUnderFileSizeLimit } from "../../../test/helpers/file-size-limit.js";
import type { Item } from "./items.js";

const source = (relative: string): string => JSON.stringify(fileURLToPath(new URL(relative, import.meta.url)));

/**
 * The terminal UI when the session's transcript refuses a record: a real session under a real
 * file-size limit (`ulimit -f`, SIGXFSZ ignored so a write past it fails with EFBIG), in a child
 * process with its own teacher stand-in, driven through the controller as the prompt and the keys
 * drive it.
 */
describe.skipIf(process.platform === "win32")("the terminal UI when the transcript refuses a record", () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(path.join(os.tmpdir(), "wren-tui-write-"))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("says a prompt it could not save was not sent, gives it back to the prompt, and refuses a mode it could not record", () => {
    const project = path.join(dir, "project");
    mkdirSync(path.join(project, ".git"), { recursive: true });
    const out = runUnderFileSizeLimit({
      dir,
      kib: 64,
      timeoutMs: 120_000,
      script: `import { statSync } from "node:fs";
import { startScriptedTeacher } from ${source("../../../test/helpers/fake-upstreams/scripted-teacher.ts")};
import { teacherEnv } from ${source("../../../test/helpers/teacher-env.ts")};
import { loadConfig } from ${source("../../config/index.ts")};
import { userText } from ${source("../../protocol/index.ts")};
import { openAgentRun } from ${source("../../runtime/agent.ts")};
import { PromptHistory } from ${source("./history.ts")};
import { SessionController } from ${source("./session-controller.ts")};
import { runSlash } from ${source("./slash-commands.ts")};
const LIMIT = 64 * 1024;
const teacher = await startScriptedTeacher([{ text: "Hello." }]);
const env = teacherEnv(${JSON.stringify(path.join(dir, "home"))}, teacher.url);
const { config } = await loadConfig({ env, cwd: ${JSON.stringify(project)}, home: ${JSON.stringify(dir)} });
const run = await openAgentRun({ config, model: "openai:gpt-4o-mini", allow: [], deny: [], cwd: ${JSON.stringify(project)}, env, signal: new AbortController().signal });
const c = new SessionController({ config, model: "openai:gpt-4o-mini", history: new PromptHistory(${JSON.stringify(path.join(dir, "history.jsonl"))}), cwd: ${JSON.stringify(project)}, write: () => undefined });
c.attach(run, false);
const out: Record<string, unknown> = {};
// What the view draws: the next frame (at most 20 a second).
const frame = () => new Promise((resolve) => setTimeout(resolve, 100)).then(() => c.snapshot());
// Larger than the file may grow: its record is refused.
const big = "please " + "x".repeat(LIMIT);
await c.prompt(big);
const shown = await frame();
out.afterBig = { items: shown.items, draft: c.draft === big, restored: shown.restoredPrompt?.text === big, requests: teacher.requests.length, messages: run.session.messages.length };
await c.prompt("hello");
out.afterHello = { requests: teacher.requests.length, messages: run.session.messages.length };
// The transcript 5 bytes short of the limit: no mode record fits.
const overhead = Buffer.byteLength(JSON.stringify({ type: "message", at: new Date().toISOString(), message: userText("") })) + 1;
run.session.push(userText("x".repeat(LIMIT - 5 - statSync(run.session.file).size - overhead)));
const before = (await frame()).items.length;
const cycled = c.cycleMode();
await runSlash(c, "/plan make a plan");
const after = await frame();
out.mode = { cycled: cycled ?? null, mode: after.mode, sessionMode: run.session.mode, requests: teacher.requests.length, items: after.items.slice(before) };
await c.close();
await teacher[Symbol.asyncDispose]();
process.stdout.write(JSON.stringify(out));
`,
    }) as {
      afterBig: { items: Item[]; draft: boolean; restored: boolean; requests: number; messages: number };
      afterHello: { requests: number; messages: number };
      mode: { cycled: string | null; mode: string; sessionMode: string; requests: number; items: Item[] };
    };

    // The prompt is marked as not sent, the model never saw it, and it is back in the prompt box.
    expect(out.afterBig.items[0]).toMatchObject({ kind: "user", notSent: true });
    expect(out.afterBig.items.slice(1)).toEqual([
      expect.objectContaining({
        kind: "notice",
        tone: "error",
        text: expect.stringMatching(/^Your prompt was not sent: Cannot write to the session transcript .*: the file has reached the largest size this process may write/),
        hint: expect.stringMatching(/Your prompt is back in the prompt box\.$/),
      }),
    ]);
    expect(out.afterBig).toMatchObject({ draft: true, restored: true, requests: 0, messages: 0 });
    // The session goes on: the next prompt is sent and answered.
    expect(out.afterHello).toEqual({ requests: 1, messages: 2 });

    // Shift+Tab and /plan whose mode change is refused leave the mode as it was, say why, and /plan's task is not run in the old mode.
    expect(out.mode).toMatchObject({ cycled: null, mode: "default", sessionMode: "default", requests: 1 });
    expect(out.mode.items).toHaveLength(2);
    for (const item of out.mode.items) expect(item).toMatchObject({ kind: "notice", tone: "error", text: expect.stringMatching(/^The mode was not changed: Cannot write to the session transcript .*: the file has reached the largest size/) });
  });
});
