import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { daemonLogs, filesFor } from "./daemon.js";

describe("wren daemon logs", () => {
  let home: string;
  let env: NodeJS.ProcessEnv;
  beforeEach(async () => {
    home = await mkdtemp(path.join(tmpdir(), "wren-daemon-logs-"));
    env = { WREN_HOME: home };
    await mkdir(path.dirname(filesFor(env).log), { recursive: true });
  });
  afterEach(async () => {
    await rm(home, { recursive: true, force: true });
  });

  const numbered = (from: number, to: number): string => Array.from({ length: to - from + 1 }, (_, i) => `line ${from + i}`).join("\n") + "\n";

  it("shows the log's last lines", async () => {
    await writeFile(filesFor(env).log, numbered(1, 80));
    expect(await daemonLogs({ env, lines: 3 })).toBe("line 78\nline 79\nline 80");
  });

  it("just after the log was kept to its size, takes the lines it lacks from daemon.log.1, oldest first", async () => {
    const log = filesFor(env).log;
    await writeFile(`${log}.1`, numbered(1, 40));
    await writeFile(log, numbered(41, 42));
    expect(await daemonLogs({ env, lines: 5 })).toBe("line 38\nline 39\nline 40\nline 41\nline 42");
  });

  it("right after the move, with the log empty, shows the earlier file's last lines", async () => {
    const log = filesFor(env).log;
    await writeFile(`${log}.1`, numbered(1, 40));
    await writeFile(log, "");
    expect(await daemonLogs({ env, lines: 2 })).toBe("line 39\nline 40");
  });

  it("with no earlier file, shows what there is", async () => {
    await writeFile(filesFor(env).log, numbered(1, 2));
    expect(await daemonLogs({ env, lines: 50 })).toBe("line 1\nline 2");
  });
});
