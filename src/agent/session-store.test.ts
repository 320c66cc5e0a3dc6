import { appendFileSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { userText } from "../protocol/index.js";
import { Session } from "./session.js";
import { lastSessionIn, listSessions } from "./session-store.js";

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
});
