import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cliPath } from "../helpers/cli.js";
import { startScriptedTeacher, type ScriptedTeacher } from "../helpers/fake-upstreams/scripted-teacher.js";
import { KEYS, startPty } from "../helpers/pty-terminal.js";
import { projectRoot } from "../helpers/shared-models.js";
import { teacherEnv } from "../helpers/teacher-env.js";

const holdHook = path.join(projectRoot, "test", "helpers", "hold-import.mjs");

describe("the terminal UI's first frame, drawn before Ink loads", { timeout: 180_000 }, () => {
  let root: string;
  let teacher: ScriptedTeacher;

  beforeAll(async () => {
    root = mkdtempSync(path.join(os.tmpdir(), "wren-first-frame-"));
    mkdirSync(path.join(root, "project", ".git"), { recursive: true });
    teacher = await startScriptedTeacher([{ text: "Heard you." }]);
  });
  afterAll(async () => {
    await teacher.close();
    rmSync(root, { recursive: true, force: true });
  });

  it("is the frame Ink then draws in its place, and keys typed before Ink is mounted reach the prompt", async () => {
    const release = path.join(root, "release-ink");
    // Ink's import waits until the test releases it: the keys below are typed while only the first frame is up.
    await using pty = startPty([process.execPath, "--import", holdHook, cliPath, "--model", "openai:gpt-4o-mini"], {
      cwd: path.join(root, "project"),
      env: { ...teacherEnv(path.join(root, "home"), teacher.url), WREN_TEST_HOLD_IMPORT: "ink", WREN_TEST_HOLD_RELEASE: release },
      cols: 90,
      rows: 20,
    });
    await pty.waitFor("mode: default", { visible: true });
    const first = pty.screen();
    expect(first).toBe(
      [
        `╭${"─".repeat(88)}╮`,
        `│ >${" ".repeat(86)}│`,
        `╰${"─".repeat(88)}╯`,
        "openai:gpt-4o-mini · last: starting… · 0 in / 0 out · $0.0000 · mode: default",
      ].join("\n"),
    );

    pty.type("hello");
    pty.type(" there");
    writeFileSync(release, "");

    // Ink is mounted and has read the keys; the session opens meanwhile.
    await pty.waitFor("> hello there", { visible: true });
    await pty.waitFor("no turn yet", { visible: true });
    // Ink drew over the first frame in the same place: one prompt box, the same lines but for what was typed.
    expect(pty.text().split("╭")).toHaveLength(2);
    expect(pty.screen()).toBe(first.replace(`│ >${" ".repeat(12)}`, "│ > hello there").replace("starting…", "no turn yet"));

    pty.type(KEYS.enter);
    await pty.waitFor("● Heard you.");
    expect(teacher.requests.at(-1)?.messages.at(-1)?.content).toBe("hello there");
  });

  it("gives the terminal back with a plain error when the session cannot start", async () => {
    await using pty = startPty([process.execPath, cliPath, "--max-turns", "0"], {
      cwd: path.join(root, "project"),
      env: teacherEnv(path.join(root, "home"), teacher.url),
      cols: 90,
      rows: 20,
    });
    expect(await pty.exited).not.toBe(0);
    const screen = pty.text();
    expect(screen).toContain("--max-turns must be a positive whole number");
    // The first frame was erased before the error was printed.
    expect(screen).not.toContain("╭");
  });
});
