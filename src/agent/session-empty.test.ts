import { existsSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { userText } from "../protocol/index.js";
import { Session } from "./session.js";
import { removeSessionIfEmpty } from "./session-store.js";

/** The terminal UI opened and quit before any prompt: its session holds nothing and is not kept. */
describe("removeSessionIfEmpty", () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(path.join(os.tmpdir(), "wren-session-empty-"))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const open = (): Session => Session.create({ dir, cwd: dir, projectRoot: dir, model: "auto", mode: "default", system: "s", tools: [] });

  it("removes a session with no message, once closed (a mode change is no conversation)", () => {
    const session = open();
    session.setMode("plan");
    session[Symbol.dispose]();
    expect(existsSync(session.file)).toBe(true);
    expect(removeSessionIfEmpty(dir, session.id)).toBe(true);
    expect(existsSync(session.file)).toBe(false);
  });

  it("keeps a session with a prompt, and one a run still holds", () => {
    const prompted = open();
    prompted.push(userText("hi"));
    prompted[Symbol.dispose]();
    expect(removeSessionIfEmpty(dir, prompted.id)).toBe(false);
    expect(existsSync(prompted.file)).toBe(true);

    using held = open();
    expect(removeSessionIfEmpty(dir, held.id)).toBe(false);
    expect(existsSync(held.file)).toBe(true);
  });

  it("says false for a session that is not there", () => {
    expect(removeSessionIfEmpty(dir, "0b5e0c1e-0000-4000-8000-000000000000")).toBe(false);
  });
});
