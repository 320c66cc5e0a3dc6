import { mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { openSession } from "./agent-session.js";

const root = mkdtempSync(path.join(os.tmpdir(), "wren-agent-session-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe("openSession", () => {
  it("builds a new session's prompt from environment facts its caller started early, and records it in the transcript", async () => {
    const cwd = path.join(root, "project");
    mkdirSync(cwd, { recursive: true });
    // Facts no probe of this machine would give, so the prompt can only have them from the caller.
    const environment = Promise.resolve({ os: "PlanetOS 9", shell: "/bin/zz", cwd, git: "branch early-start, 3 changed files", date: "2031-02-03" });
    using session = await openSession({ cwd, model: "auto", tools: ["Read"], env: { WREN_HOME: path.join(root, "home") }, environment });
    expect(session.header.system).toContain("- OS: PlanetOS 9");
    expect(session.header.system).toContain("- Git: branch early-start, 3 changed files");
    expect(session.header.system).toContain("- Date: 2031-02-03");
    // The header is written before the first request (made durable with the first turn).
    const header = JSON.parse(readFileSync(session.file, "utf8").split("\n")[0]!) as { type: string; system: string };
    expect(header).toMatchObject({ type: "session", system: session.header.system });
  });
});
