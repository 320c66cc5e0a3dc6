import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { printSessionList } from "./sessions.js";

describe("wren sessions list", () => {
  let home: string;
  let before: string | undefined;
  beforeEach(() => {
    home = mkdtempSync(path.join(os.tmpdir(), "wren-sessions-list-"));
    before = process.env["WREN_HOME"];
    process.env["WREN_HOME"] = home;
  });
  afterEach(() => {
    if (before === undefined) delete process.env["WREN_HOME"];
    else process.env["WREN_HOME"] = before;
    vi.restoreAllMocks();
    rmSync(home, { recursive: true, force: true });
  });

  it("shows a damaged session as damaged, with its problem, rather than saying there are none", () => {
    const dir = path.join(home, "state", "sessions");
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, "broken-1.jsonl"), "garbage\n");
    const out: string[] = [];
    vi.spyOn(process.stdout, "write").mockImplementation((chunk) => (out.push(String(chunk)), true));
    printSessionList({});
    const text = out.join("");
    expect(text).not.toContain("No sessions yet");
    expect(text).toContain("broken-1");
    expect(text).toMatch(/Damaged: broken-1: Line 1 of the session transcript .* is not a valid record/);
    expect(text).toContain("wren sessions rm broken-1");
  });
});
