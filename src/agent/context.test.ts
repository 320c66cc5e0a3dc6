import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { environmentFacts, gitSummary } from "./environment.js";
import { findInstructions, findProjectRoot } from "./instructions.js";
import { buildSystemPrompt } from "./system-prompt.js";

describe("the system prompt's context", () => {
  let root: string;
  beforeEach(() => (root = mkdtempSync(path.join(os.tmpdir(), "wren-context-"))));
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it("reads AGENTS.md, WREN.md and CLAUDE.md from the user dir, then the repo root down to cwd", () => {
    const repo = path.join(root, "repo");
    const sub = path.join(repo, "packages", "app");
    const user = path.join(root, "config");
    mkdirSync(path.join(repo, ".git"), { recursive: true });
    mkdirSync(sub, { recursive: true });
    mkdirSync(user, { recursive: true });
    writeFileSync(path.join(root, "AGENTS.md"), "outside the repo: never read");
    writeFileSync(path.join(repo, "AGENTS.md"), "repo agents");
    writeFileSync(path.join(repo, "CLAUDE.md"), "repo claude");
    writeFileSync(path.join(sub, "WREN.md"), "app wren");
    writeFileSync(path.join(user, "AGENTS.md"), "user agents");
    writeFileSync(path.join(sub, "CLAUDE.md"), "   ");
    expect(findProjectRoot(sub)).toBe(repo);
    const found = findInstructions(sub, findProjectRoot(sub), user);
    expect(found.map((f) => f.text)).toEqual(["user agents", "repo agents", "repo claude", "app wren"]);

    const prompt = buildSystemPrompt({ os: "TestOS 1", shell: "/bin/zsh", cwd: sub, git: "branch main, clean", date: "2026-11-30" }, found);
    expect(prompt).toContain(`Instructions from ${path.join(repo, "AGENTS.md")}:\nrepo agents`);
    expect(prompt.indexOf("user agents")).toBeLessThan(prompt.indexOf("app wren"));
    expect(prompt).toMatch(/Environment:\n- OS: TestOS 1\n- Shell: \/bin\/zsh\n- Working directory: .*\n- Git: branch main, clean\n- Date: 2026-11-30$/);
  });

  it("without a repository, the project is cwd and git says so", async () => {
    expect(findProjectRoot(root)).toBe(path.resolve(root));
    expect(await gitSummary(root)).toMatch(/^not a git repository/);
    const facts = await environmentFacts(root, new Date("2026-01-02T23:59:00Z"));
    expect(facts.date).toBe("2026-01-02");
    expect(facts.cwd).toBe(root);
  });
});
