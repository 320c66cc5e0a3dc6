import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli.js";

describe("wren sessions rm forgets the session's ratings (real CLI)", () => {
  let home: string;
  beforeEach(() => {
    home = mkdtempSync(path.join(os.tmpdir(), "wren-e2e-sessions-rm-"));
  });
  afterEach(() => rmSync(home, { recursive: true, force: true }));

  const session = (id: string, answer: string): void => {
    const dir = path.join(home, "state", "sessions");
    mkdirSync(dir, { recursive: true });
    const header = { type: "session", version: 1, id, createdAt: "2026-01-01T00:00:00.000Z", cwd: home, projectRoot: home, model: "m", mode: "default", system: "S", tools: [] };
    const ask = { type: "message", at: "2026-01-01T00:00:01.000Z", message: { role: "user", content: [{ type: "text", text: "hi" }] } };
    const reply = { type: "message", at: "2026-01-01T00:00:02.000Z", message: { role: "assistant", content: [{ type: "text", text: answer }] } };
    writeFileSync(path.join(dir, `${id}.jsonl`), [header, ask, reply].map((r) => `${JSON.stringify(r)}\n`).join(""));
  };

  it("removes them with the transcript and says how many; --keep-ratings keeps them", async () => {
    session("gone-1", "a private answer");
    session("kept-1", "a kept answer");
    const env = { WREN_HOME: home };
    for (const id of ["gone-1", "gone-1", "kept-1"]) expect((await runCli(["sessions", "rate", id, "good"], { env, cwd: home })).code).toBe(0);
    const log = path.join(home, "data", "feedback.jsonl");
    expect(readFileSync(log, "utf8")).toContain("a private answer");

    const rm = await runCli(["sessions", "rm", "gone-1"], { env, cwd: home });
    expect(rm.code).toBe(0);
    expect(rm.stderr).toBe("wren: removed session gone-1 and its 2 ratings from the feedback log\n");
    expect(readFileSync(log, "utf8")).not.toContain("a private answer");

    const keep = await runCli(["sessions", "rm", "kept-1", "--keep-ratings"], { env, cwd: home });
    expect(keep.code).toBe(0);
    expect(readFileSync(log, "utf8")).toContain("a kept answer");
    const again = await runCli(["sessions", "rm", "kept-1"], { env, cwd: home });
    expect(again.stderr).toBe("wren: session kept-1 was removed before; removed its 1 rating from the feedback log\n");
    expect(readFileSync(log, "utf8")).toBe("");
  });
});
