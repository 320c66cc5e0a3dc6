import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readTranscript } from "../../src/agent/transcript.js";
import { spawnCli } from "../helpers/cli.js";
import { startScriptedTeacher, type ScriptedTeacher } from "../helpers/fake-upstreams/scripted-teacher.js";
import { teacherEnv } from "../helpers/teacher-env.js";

/** `wren -p … | head`: the reader of the output goes away while the run goes on. */
describe("wren -p: output whose reader goes away", () => {
  let root: string;
  let home: string;
  let project: string;
  const teachers: ScriptedTeacher[] = [];

  beforeAll(() => {
    root = mkdtempSync(path.join(os.tmpdir(), "wren-agent-pipe-"));
    home = path.join(root, "home");
    project = path.join(root, "project");
    mkdirSync(path.join(project, ".git"), { recursive: true });
  });
  afterAll(async () => {
    for (const t of teachers) await t.close();
    rmSync(root, { recursive: true, force: true });
  });

  for (const format of ["text", "stream-json"] as const) {
    it(`${format}: the run is cancelled as SIGPIPE would (status 141), without a crash, and the session records its end`, async () => {
      const gate = path.join(root, `closed-${format}`);
      const t = await startScriptedTeacher([
        // The command waits until the test has closed its end of the pipe; the next turn's words then meet a closed pipe.
        { text: "Looking.", toolCalls: [{ name: "Bash", arguments: { command: `while [ ! -f '${gate}' ]; do sleep 0.05; done; echo ready` } }] },
        { text: "More words for a reader that has gone." },
        { text: "never asked for" },
      ]);
      teachers.push(t);
      const formatHome = path.join(home, format);
      const child = spawnCli(["-p", "--model", "openai:gpt-4o-mini", "--permission-mode", "bypass", "--output-format", format, "look"], { env: teacherEnv(formatHome, t.url), cwd: project });
      let stderr = "";
      child.stderr!.setEncoding("utf8").on("data", (d: string) => (stderr += d));
      // Like `head -n 1`: read the first output, then close the pipe.
      await new Promise<void>((resolve) => child.stdout!.once("data", () => resolve()));
      child.stdout!.destroy();
      writeFileSync(gate, "");
      const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) => child.on("close", (c, s) => resolve([c, s])));

      expect(stderr).not.toMatch(/EPIPE|Unhandled|at .*\.js:\d+/);
      expect({ code, signal }).toEqual({ code: 141, signal: null });
      // Text reaches the second answer before its words meet the closed pipe; stream-json's next line meets it at once.
      expect(t.requests.length).toBeLessThanOrEqual(2);
      const sessions = path.join(formatHome, "state", "sessions");
      expect(readdirSync(sessions)).toEqual([expect.stringMatching(/\.jsonl$/)]);
      const records = readTranscript(path.join(sessions, readdirSync(sessions)[0]!));
      expect(records.at(-1)).toMatchObject({ type: "end", reason: "cancelled" });
    });
  }
});
