import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { teacherEnv } from "../../test/helpers/teacher-env.js";

const root = fileURLToPath(new URL("../..", import.meta.url));
const command = [process.execPath, "--import", pathToFileURL(path.join(root, "node_modules/tsx/dist/loader.mjs")).href, path.join(root, "src/bin/cli.ts")];

/**
 * A write past the process's file-size limit (ulimit -f) sends the process SIGXFSZ, whose default
 * action kills it before the write returns. Node ignores the signal itself (since Node 12,
 * nodejs/node#27798; the processes it spawns get the default back), so the write fails with EFBIG
 * and wren says what happened, as on a full disk. (The terminal UI loads signal-exit, which would
 * re-raise it: wren's entry listens to it, see bin/cli.ts and test/e2e/tui-write-failure.)
 */
describe.skipIf(process.platform === "win32")("wren under a file-size limit", () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(path.join(os.tmpdir(), "wren-fsize-"))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("wren -p says its transcript could not take the prompt, and exits 1, instead of being killed by SIGXFSZ", () => {
    const project = path.join(dir, "project");
    mkdirSync(path.join(project, ".git"), { recursive: true });
    // Nothing answers there: the prompt is refused before any request.
    const env = { ...process.env, ...teacherEnv(path.join(dir, "home"), "http://127.0.0.1:9/v1"), NO_COLOR: "1" };
    const quoted = command.map((word) => `'${word}'`).join(" ");
    const prompt = "x".repeat(80 * 1024);
    const run = spawnSync("bash", ["-c", `ulimit -f 64 && exec ${quoted} -p --model openai:gpt-4o-mini "$0"`, prompt], { cwd: project, env, stdio: ["ignore", "pipe", "pipe"], encoding: "utf8", timeout: 120_000 });
    expect(run.signal).toBeNull();
    expect(run.stderr).toMatch(/^wren: Cannot write to the session transcript .*: the file has reached the largest size this process may write \(its file-size limit, ulimit -f\)\.\n {2}Raise the limit, or start a new session/);
    expect(run.status).toBe(1);
  });
});
