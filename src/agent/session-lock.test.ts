import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { once } from "node:events";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { processStart } from "../models/lock-owner.js";
import { Session } from "./session.js";
import { sessionLockFile } from "./session-lock.js";
import { removeSession } from "./session-store.js";

describe("one run at a time per session", () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(path.join(os.tmpdir(), "wren-session-lock-"))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));
  const create = () => Session.create({ dir, cwd: dir, projectRoot: dir, model: "auto", mode: "default", system: "s", tools: [] });

  it("a second run on a session in use fails at once, naming the holder; once released the session opens again", () => {
    const first = create();
    const id = first.id;
    expect(() => Session.open(dir, id)).toThrow(`Session ${id} is in use by another wren run (pid ${process.pid}); wait for it or start a new session.`);
    expect(() => removeSession(dir, id)).toThrow(/is in use by another wren run/);
    first[Symbol.dispose]();
    expect(existsSync(sessionLockFile(first.file))).toBe(false);
    const again = Session.open(dir, id);
    expect(() => Session.open(dir, id)).toThrow(/is in use/);
    again[Symbol.dispose]();
    removeSession(dir, id);
    expect(existsSync(first.file)).toBe(false);
    expect(existsSync(sessionLockFile(first.file))).toBe(false);
  });

  it("a lock held by another live process refuses; once that process is gone, the lock is taken over", async () => {
    const s = create();
    s[Symbol.dispose]();
    const holder = spawn(process.execPath, ["-e", "setInterval(() => {}, 1000)"], { stdio: "ignore" });
    try {
      const pid = holder.pid!;
      const start = processStart(pid);
      writeFileSync(sessionLockFile(s.file), JSON.stringify({ pid, host: os.hostname(), token: "other", ...(start ? { start } : {}) }));
      expect(() => Session.open(dir, s.id)).toThrow(`Session ${s.id} is in use by another wren run (pid ${pid});`);
    } finally {
      holder.kill("SIGKILL");
      if (holder.exitCode === null && holder.signalCode === null) await once(holder, "exit");
    }
    using reopened = Session.open(dir, s.id);
    expect(reopened.id).toBe(s.id);
  });

  it("a lock left by a run that died is taken over", () => {
    const s = create();
    s[Symbol.dispose]();
    const dead = spawnSync(process.execPath, ["-e", ""]).pid;
    writeFileSync(sessionLockFile(s.file), JSON.stringify({ pid: dead, host: os.hostname(), token: "dead" }));
    using reopened = Session.open(dir, s.id);
    expect(reopened.id).toBe(s.id);
  });
});
