import { appendFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { userText } from "../protocol/index.js";
import { Session } from "./session.js";
import { lastSessionIn, listSessions } from "./session-store.js";
import { readTranscript } from "./transcript.js";

describe("damaged sessions are shown, never passed over", () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(path.join(os.tmpdir(), "wren-session-store-"))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  /** A session in `cwd` with one prompt, last written `minutesAgo`. */
  const session = (cwd: string, prompt: string, minutesAgo: number): string => {
    const s = Session.create({ dir, cwd, projectRoot: cwd, model: "openai:gpt-4o-mini", mode: "default", system: "s", tools: [] });
    s.push(userText(prompt));
    const file = s.file;
    const id = s.id;
    s[Symbol.dispose]();
    const when = new Date(Date.now() - minutesAgo * 60_000);
    utimesSync(file, when, when);
    return id;
  };
  const damage = (id: string) => {
    const file = path.join(dir, `${id}.jsonl`);
    appendFileSync(file, "{not json\n");
    const when = new Date();
    utimesSync(file, when, when);
  };

  it("lists a damaged session with its problem, and --continue refuses it instead of picking an older one", () => {
    const cwd = path.join(dir, "project");
    const older = session(cwd, "first task", 10);
    const newer = session(cwd, "second task", 5);
    damage(newer);
    const listed = listSessions(dir);
    expect(listed.map((s) => s.id)).toEqual([newer, older]);
    expect(listed[0]).toMatchObject({ id: newer, cwd, model: "openai:gpt-4o-mini", damaged: expect.stringMatching(/^Line 3 of the session transcript .* is not a valid record/) as string });
    expect(listed[1]!.damaged).toBeUndefined();
    expect(() => lastSessionIn(dir, cwd)).toThrow(`The last session in ${cwd}, ${newer}, is damaged and cannot be continued: Line 3`);
    try {
      lastSessionIn(dir, cwd);
    } catch (error) {
      expect((error as { hint?: string }).hint).toContain(`--resume ID`);
      expect((error as { hint?: string }).hint).toContain(`wren sessions rm ${newer}`);
    }
    // Another directory's damaged session does not stand in the way.
    expect(lastSessionIn(dir, path.join(dir, "elsewhere"))).toBeUndefined();
  });

  it("a transcript with no readable header is listed as damaged under its file's name", () => {
    writeFileSync(path.join(dir, "broken-1.jsonl"), "garbage\n");
    const listed = listSessions(dir);
    expect(listed).toHaveLength(1);
    expect(listed[0]).toMatchObject({ id: "broken-1", cwd: "", messages: 0, damaged: expect.stringContaining("not a valid record") as string });
    expect(lastSessionIn(dir, dir)).toBeUndefined();
  });

  it("a transcript whose header a failed write tore says so and what to do, in the list, --resume and show alike", () => {
    const header = JSON.stringify({ type: "session", version: 1, id: "torn-1", createdAt: "2026-01-01T00:00:00.000Z", cwd: dir, projectRoot: dir, model: "m", mode: "default", system: "s", tools: [] });
    // Cut short with no newline (the disk refused the rest and the cut-back), and the same ended with ' [torn]'.
    writeFileSync(path.join(dir, "torn-1.jsonl"), header.slice(0, 40));
    writeFileSync(path.join(dir, "torn-2.jsonl"), `${header.slice(0, 40)} [torn]\n`);
    // Refused and cut back to nothing.
    writeFileSync(path.join(dir, "torn-3.jsonl"), "");
    const listed = listSessions(dir);
    expect(listed.map((s) => s.id).sort()).toEqual(["torn-1", "torn-2", "torn-3"]);
    for (const s of listed) {
      expect(s.damaged).toMatch(/^The session transcript .* has no session header: its first record was cut short or refused as it was written \(a full disk, the file-size limit\), so the session never started and holds nothing\.$/);
    }
    const error = (() => {
      try {
        readTranscript(path.join(dir, "torn-2.jsonl"));
      } catch (e) {
        return e as { message: string; hint?: string };
      }
      return undefined;
    })();
    expect(error?.message).toMatch(/has no session header: its first record was cut short/);
    expect(error?.hint).toBe("Remove it with `wren sessions rm torn-2`; nothing in it is lost.");
    expect(() => Session.open(dir, "torn-1")).toThrow(/has no session header: its first record was cut short/);
    // Nothing to continue: --continue passes over it.
    expect(lastSessionIn(dir, dir)).toBeUndefined();
    // Records after a torn header are not called nothing, nor removed.
    const message = JSON.stringify({ type: "message", at: "2026-01-01T00:00:01.000Z", message: { role: "user", content: "hi" } });
    writeFileSync(path.join(dir, "torn-4.jsonl"), `${header.slice(0, 40)} [torn]\n${message}\n`);
    expect(() => readTranscript(path.join(dir, "torn-4.jsonl"))).toThrow(/has no session header: .* so the session cannot be continued; what follows it \(1 record\) is kept in the file\.$/);
  });

  it("a session a newer wren wrote (a record type or header version this one does not know) says so, and asks for an update rather than its removal", () => {
    const cwd = path.join(dir, "project");
    const id = session(cwd, "a task", 5);
    const file = path.join(dir, `${id}.jsonl`);
    appendFileSync(file, `${JSON.stringify({ type: "bookmark", at: new Date().toISOString(), name: "here" })}\n`);
    expect(() => readTranscript(file)).toThrow(/^Line 3 of the session transcript .* is a 'bookmark' record, which this version of wren does not know: a newer wren wrote it\.$/);
    expect(listSessions(dir)[0]!.damaged).toContain("a newer wren wrote it");
    let hint: string | undefined;
    try {
      lastSessionIn(dir, cwd);
    } catch (error) {
      hint = (error as { hint?: string }).hint;
    }
    expect(hint).toMatch(/^Update wren to continue it/);
    expect(hint).not.toContain("sessions rm");

    const header = JSON.parse(readFileSync(file, "utf8").split("\n")[0]!) as Record<string, unknown>;
    writeFileSync(file, `${JSON.stringify({ ...header, version: 2 })}\n`);
    expect(() => readTranscript(file)).toThrow(/^Line 1 of the session transcript .* is a version 2 session header, which this version of wren does not know: a newer wren wrote it\.$/);
  });
});

describe("a sessions folder wren cannot write or read", () => {
  let root: string;
  beforeEach(() => (root = mkdtempSync(path.join(os.tmpdir(), "wren-session-disk-"))));
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it("a file where the sessions folder should be: starting, listing and continuing say so and what to do, not EEXIST or ENOTDIR", () => {
    const dir = path.join(root, "sessions");
    writeFileSync(dir, "");
    const create = () => Session.create({ dir, cwd: root, projectRoot: root, model: "auto", mode: "default", system: "s", tools: [] });
    expect(create).toThrow(`Cannot write to the sessions folder ${dir}: a file stands where a folder of its path should be.`);
    expect(() => listSessions(dir)).toThrow(`Cannot read the sessions folder ${dir}: a file stands where a folder of its path should be.`);
    expect(() => lastSessionIn(dir, root)).toThrow(/^Cannot read the sessions folder/);
    try {
      create();
    } catch (error) {
      expect(error).toMatchObject({ code: "internal" });
      expect((error as { hint?: string }).hint).toMatch(/WREN_HOME/);
    }
  });

  it("a transcript wren cannot read (a folder in its place: permissions do not hold for root, who runs some test machines): --resume says which file and why", () => {
    const dir = path.join(root, "sessions");
    const s = Session.create({ dir, cwd: root, projectRoot: root, model: "auto", mode: "default", system: "s", tools: [] });
    s.push(userText("hello"));
    const { file, id } = s;
    s[Symbol.dispose]();
    rmSync(file);
    mkdirSync(file);
    expect(() => Session.open(dir, id)).toThrow(`Cannot read the session transcript ${file}: a folder stands where the file should be.`);
  });
});


describe("--continue on Windows, whose paths ignore case", () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(path.join(os.tmpdir(), "wren-session-case-"))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("continues the session started in the same folder written in another case (a terminal that lowercases the drive letter)", () => {
    const s = Session.create({ dir, cwd: "C:\\Users\\Ann\\Project", projectRoot: "C:\\Users\\Ann\\Project", model: "openai:gpt-4o-mini", mode: "default", system: "s", tools: [] });
    s.push(userText("a task"));
    const id = s.id;
    s[Symbol.dispose]();
    expect(lastSessionIn(dir, "c:\\users\\ann\\project", "win32")?.id).toBe(id);
    expect(lastSessionIn(dir, "C:\\Users\\Ann\\Project\\", "win32")?.id).toBe(id);
    expect(lastSessionIn(dir, "C:\\Users\\Ann\\Other", "win32")).toBeUndefined();
    // POSIX paths are case-sensitive: another case is another folder.
    expect(lastSessionIn(dir, "c:\\users\\ann\\project", "linux")).toBeUndefined();
  });
});
