import { execFile } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cliPath, spawnCli } from "../helpers/cli.js";
import { startScriptedTeacher, type ChatBody, type ScriptedTeacher } from "../helpers/fake-upstreams/scripted-teacher.js";
import { teacherEnv } from "../helpers/teacher-env.js";

/** The words of a request's first user message. */
const firstUserText = (body: ChatBody): string => {
  const content = body.messages.find((m) => m.role === "user")?.content;
  return typeof content === "string" ? content : JSON.stringify(content);
};

/** `git diff | wren -p "review this"`: text piped in by a shell goes with the prompt. */
describe("wren -p with a prompt and text on stdin", { timeout: 120_000 }, () => {
  let root: string;
  let project: string;
  let teacher: ScriptedTeacher;

  beforeAll(async () => {
    root = mkdtempSync(path.join(os.tmpdir(), "wren-agent-stdin-"));
    project = path.join(root, "project");
    mkdirSync(path.join(project, ".git"), { recursive: true });
    teacher = await startScriptedTeacher(() => ({ text: "Read it." }));
  });
  afterAll(async () => {
    await teacher?.close();
    rmSync(root, { recursive: true, force: true });
  });

  /** Runs `SHELL_LINE` in sh, with `$WREN` the CLI, and gives its exit code and output. */
  const shell = (line: string, home: string): Promise<{ code: number; stdout: string; stderr: string }> =>
    new Promise((resolve) => {
      execFile("sh", ["-c", line], { cwd: project, env: { ...process.env, ...teacherEnv(home, teacher.url), NO_COLOR: "1", WREN: `"${process.execPath}" "${cliPath}"` }, timeout: 60_000 }, (error, stdout, stderr) =>
        resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
      );
    });

  it("a shell pipe's text follows the prompt, after a blank line", async () => {
    const before = teacher.requests.length;
    const run = await shell(`printf 'line one of the log\\nline two' | eval "$WREN" -p --model openai:gpt-4o-mini '"explain this"'`, path.join(root, "home-pipe"));
    expect(run).toMatchObject({ code: 0, stdout: expect.stringContaining("Read it.") as string });
    expect(firstUserText(teacher.requests[before]!)).toContain("explain this\n\nline one of the log\nline two");
  });

  it("so does a file redirected to stdin; an empty pipe adds nothing", async () => {
    writeFileSync(path.join(project, "notes.txt"), "a note from a file\n");
    const before = teacher.requests.length;
    const fromFile = await shell(`eval "$WREN" -p --model openai:gpt-4o-mini '"sum it up"' < notes.txt`, path.join(root, "home-file"));
    expect(fromFile.code).toBe(0);
    expect(firstUserText(teacher.requests[before]!)).toContain("sum it up\n\na note from a file");
    const empty = await shell(`true | eval "$WREN" -p --model openai:gpt-4o-mini '"just this"'`, path.join(root, "home-empty"));
    expect(empty.code).toBe(0);
    const sent = firstUserText(teacher.requests.at(-1)!);
    expect(sent).toContain("just this");
    expect(sent).not.toContain("just this\n\n");
  });

  it("a program that runs wren and never closes its stdin (a socket, as Node gives) does not hold the run: stdin is not read", async () => {
    const before = teacher.requests.length;
    const child = spawnCli(["-p", "--model", "openai:gpt-4o-mini", "only the words"], { env: teacherEnv(path.join(root, "home-open"), teacher.url), cwd: project });
    let stdout = "";
    child.stdout!.setEncoding("utf8").on("data", (d: string) => (stdout += d));
    // stdin stays open for the whole run.
    const code = await new Promise<number | null>((resolve) => child.on("close", (c) => resolve(c)));
    child.stdin!.destroy();
    expect(code).toBe(0);
    expect(stdout).toContain("Read it.");
    expect(firstUserText(teacher.requests[before]!)).toContain("only the words");
  });
});
