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
/**
 * The package whose import holds Ink's: the command bundles ink into its chunks, and ink's chunk
 * imports react, the one copy it shares, which nothing before the terminal UI loads.
 */
const INK = "react";
/** The status line's memory line: free memory of the total, or the warning a loaded machine may show. */
const MEMORY_LINE = /^(memory: [\d.]+ [MG]iB free of [\d.]+ [MG]iB|⚠ memory low: .*)$/m;

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

  /** `wren ARGS` in a pseudo-terminal whose import of `held` (a package) waits until `release` exists. */
  const startHeld = (args: string[], held: string, release: string) =>
    startPty([process.execPath, "--import", holdHook, cliPath, ...args], {
      cwd: path.join(root, "project"),
      env: { ...teacherEnv(path.join(root, "home"), teacher.url), WREN_TEST_HOLD_IMPORT: held, WREN_TEST_HOLD_RELEASE: release },
      cols: 90,
      rows: 20,
    });

  const frameOf = (model: string): string =>
    [`╭${"─".repeat(88)}╮`, `│ >${" ".repeat(86)}│`, `╰${"─".repeat(88)}╯`, `${model} · last: starting… · 0 in / 0 out · $0.0000 · mode: default`].join("\n");

  it("is the frame Ink then draws in its place, and keys typed before Ink is mounted reach the prompt", async () => {
    const release = path.join(root, "release-ink");
    // Ink's import waits until the test releases it: the keys below are typed while only the first frame is up.
    await using pty = startHeld(["--model", "openai:gpt-4o-mini"], INK, release);
    await pty.waitFor("mode: default", { visible: true });
    const first = pty.screen();
    expect(first).toBe(frameOf("openai:gpt-4o-mini"));

    pty.type("hello");
    pty.type(" there");
    writeFileSync(release, "");

    // Ink is mounted and has read the keys; the session opens meanwhile.
    await pty.waitFor("> hello there", { visible: true });
    await pty.waitFor("no turn yet", { visible: true });
    // The memory line comes under the frame once the session is open, before any turn.
    await pty.waitFor(MEMORY_LINE, { visible: true });
    // Ink drew over the first frame in the same place: one prompt box, the same lines but for what was typed.
    expect(pty.text().split("╭")).toHaveLength(2);
    const lines = pty.screen().split("\n");
    expect(lines.slice(0, 4).join("\n")).toBe(first.replace(`│ >${" ".repeat(12)}`, "│ > hello there").replace("starting…", "no turn yet"));
    expect(lines).toHaveLength(5);
    expect(lines[4]).toMatch(MEMORY_LINE);

    pty.type(KEYS.enter);
    await pty.waitFor("● Heard you.");
    expect(teacher.requests.at(-1)?.messages.at(-1)?.content).toBe("hello there");
  });

  it("is drawn by the entry point itself for a bare wren, before the command tree loads, and Ink takes over from it", async () => {
    const release = path.join(root, "release-commander");
    // The command tree (commander) is not loaded until released: the frame comes before it.
    await using pty = startHeld([], "commander", release);
    await pty.waitFor("mode: default", { visible: true });
    expect(pty.screen()).toBe(frameOf("auto"));
    pty.type("hi");
    writeFileSync(release, "");
    await pty.waitFor("> hi", { visible: true });
    // Ink has drawn (the prompt shows the keys) in place of the first frame, not under it.
    expect(pty.text().split("╭")).toHaveLength(2);
    expect(pty.screen().split("\n").slice(0, 3).join("\n")).toBe(frameOf("auto").split("\n").slice(0, 3).join("\n").replace(`│ >${" ".repeat(3)}`, "│ > hi"));
  });

  it("leaves at once on Ctrl+C before Ink is mounted, as a terminal's interrupt did, with the frame erased", async () => {
    // Ink is never released: only the first frame is up.
    await using pty = startHeld([], INK, path.join(root, "never"));
    await pty.waitFor("mode: default", { visible: true });
    pty.type(KEYS.ctrlC);
    expect(await pty.exited).not.toBe(0);
    expect(pty.text()).not.toContain("╭");
  });

  it("takes a Ctrl+C inside a paste made before Ink is mounted as pasted text", async () => {
    await using pasting = await startScriptedTeacher([{ text: "Pasted, heard." }]);
    const release = path.join(root, "release-paste");
    await using pty = startPty([process.execPath, "--import", holdHook, cliPath, "--model", "openai:gpt-4o-mini"], {
      cwd: path.join(root, "project"),
      env: { ...teacherEnv(path.join(root, "home-paste"), pasting.url), WREN_TEST_HOLD_IMPORT: INK, WREN_TEST_HOLD_RELEASE: release },
      cols: 90,
      rows: 20,
    });
    await pty.waitFor("mode: default", { visible: true });
    // Two writes: the paste's end marker may come in a read of its own, after the pasted Ctrl+C.
    pty.type("\x1b[200~before\x03after");
    pty.type("\x1b[201~");
    writeFileSync(release, "");
    // Ink is mounted with the paste in its prompt: the start was not interrupted. The control
    // character is written out, as every one in a paste is: the model gets what the prompt showed.
    await pty.waitFor("> before\\x03after", { visible: true });
    await pty.waitFor("no turn yet", { visible: true });
    pty.type(KEYS.enter);
    await pty.waitFor("● Pasted, heard.");
    expect(pasting.requests.at(-1)?.messages.at(-1)?.content).toBe("before\\x03after");
  });

  it("still leaves on a Ctrl+C typed after a whole paste, before Ink is mounted", async () => {
    await using pty = startHeld([], INK, path.join(root, "never"));
    await pty.waitFor("mode: default", { visible: true });
    pty.type("\x1b[200~pasted\x03\x1b[201~");
    pty.type(KEYS.ctrlC);
    expect(await pty.exited).not.toBe(0);
    expect(pty.text()).not.toContain("╭");
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
