import { mkdir, mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { daemonFiles, readState, writeState } from "./daemon-state.js";

describe("writeState", () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), "wren-daemon-state-"));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("publishes the state whole, for this daemon's pid only, leaving no temporary file", async () => {
    const files = daemonFiles(dir);
    const state = { pid: 4242, url: "http://127.0.0.1:11435", startedAt: "2026-01-01T00:00:00.000Z", version: "1.2.3" };
    await writeState(files, state);
    expect(JSON.parse(await readFile(files.state, "utf8"))).toEqual(state);
    expect(await readState(files, 4242)).toEqual(state);
    expect(await readState(files, 4243)).toBeUndefined();
    expect(await readdir(dir)).toEqual(["daemon.json"]);
  });

  it("leaves no temporary file behind when the state cannot replace what is there", async () => {
    const files = daemonFiles(dir);
    // A folder where the state goes: the temporary file is written, then cannot be renamed over it.
    await mkdir(path.join(files.state, "inside"), { recursive: true });
    await expect(writeState(files, { pid: 4242, url: "http://127.0.0.1:1", startedAt: "now" })).rejects.toThrow();
    expect(await readdir(dir)).toEqual(["daemon.json"]);
  });
});
