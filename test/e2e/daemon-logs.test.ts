import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { daemonFiles } from "../../src/runtime/daemon-state.js";
import { resolvePaths } from "../../src/shared/paths.js";
import { runCli } from "../helpers/cli.js";

/** 2026-01-02 03:04:05.006 UTC. */
const TIME = Date.UTC(2026, 0, 2, 3, 4, 5, 6);

/** What a daemon writes to its log: the server's JSON records, and the plain lines of its start-up. */
const RECORDS = [
  { level: 30, time: TIME, pid: 4242, hostname: "h", msg: "listening", url: "http://127.0.0.1:11435" },
  { level: 30, time: TIME + 1000, pid: 4242, hostname: "h", reqId: "r1", method: "POST", path: "/v1/chat/completions", status: 200, ms: 12, msg: "request" },
  { level: 50, time: TIME + 2000, pid: 4242, hostname: "h", err: { type: "Error", message: "boom", stack: "Error: boom\n    at nowhere" }, path: "/v1/messages", msg: "request failed" },
];
const LOG = [JSON.stringify(RECORDS[0]), "wren: serving chat on http://127.0.0.1:11435", JSON.stringify(RECORDS[1]), JSON.stringify(RECORDS[2])].join("\n") + "\n";

describe("wren daemon logs", () => {
  let home: string;
  let env: Record<string, string>;
  beforeAll(async () => {
    home = await mkdtemp(path.join(os.tmpdir(), "wren-daemon-logs-"));
    env = { WREN_HOME: home, TZ: "UTC" };
    const files = daemonFiles(resolvePaths(env).stateDir);
    await mkdir(path.dirname(files.log), { recursive: true });
    await writeFile(files.log, LOG);
  });
  afterAll(async () => {
    await rm(home, { recursive: true, force: true });
  });

  it("prints each record as a line a person reads: time, level, message and its fields; other lines as they are", async () => {
    const r = await runCli(["daemon", "logs"], { env });
    expect(r.code).toBe(0);
    const lines = r.stdout.split("\n");
    expect(lines[0]).toBe('[2026-01-02 03:04:05.006] INFO: listening {"url":"http://127.0.0.1:11435"}');
    expect(lines[1]).toBe("wren: serving chat on http://127.0.0.1:11435");
    expect(lines[2]).toBe('[2026-01-02 03:04:06.006] INFO: request {"reqId":"r1","method":"POST","path":"/v1/chat/completions","status":200,"ms":12}');
    expect(lines[3]).toBe('[2026-01-02 03:04:07.006] ERROR: request failed {"path":"/v1/messages"}');
    expect(r.stdout).toContain("Error: boom");
    expect(r.stdout).not.toContain('"level"');
    expect(r.stdout).not.toContain("4242");
  });

  it("keeps to the last --lines lines of the log", async () => {
    const r = await runCli(["daemon", "logs", "-n", "1"], { env });
    expect(r.code).toBe(0);
    expect(r.stdout.split("\n")[0]).toBe('[2026-01-02 03:04:07.006] ERROR: request failed {"path":"/v1/messages"}');
    expect(r.stdout).not.toContain("INFO");
  });

  it("prints the raw lines with --json, for tools", async () => {
    const r = await runCli(["daemon", "logs", "--json"], { env });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(LOG);
    const last = await runCli(["daemon", "logs", "--json", "-n", "2"], { env });
    expect(last.stdout.trimEnd().split("\n").map((line) => JSON.parse(line) as unknown)).toEqual(RECORDS.slice(1));
  });
});
