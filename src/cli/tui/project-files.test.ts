import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, expect, it, vi } from "vitest";
import { idleSuggestions } from "./idle-suggestions.js";
import { ProjectFiles } from "./project-files.js";

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), "wren-complete-"));
  // git must not find a repository the temp folder happens to be in.
  vi.stubEnv("GIT_CEILING_DIRECTORIES", path.dirname(dir));
});
afterEach(() => {
  vi.unstubAllEnvs();
  rmSync(dir, { recursive: true, force: true });
});

const write = (rel: string, text = "x\n"): void => {
  mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
  writeFileSync(path.join(dir, rel), text);
};

it("lists the project's files once, on first use, as git sees them (.gitignore applies), with / separators", async () => {
  write(".gitignore", "dist/\n*.log\n");
  write("src/main.ts");
  write("src/deep/util.ts");
  write("dist/main.js");
  write("debug.log");
  write(".git/HEAD", "ref: refs/heads/main\n");
  let loads = 0;
  const files = new ProjectFiles(dir, () => loads++);
  expect(files.files).toEqual([]);
  await files.loaded();
  expect(files.files).toEqual([".gitignore", "src/deep/util.ts", "src/main.ts"]);
  expect(loads).toBe(1);
});

it("suggests prompts drawn from the project: changed files, the test script, the README", async () => {
  write("package.json", JSON.stringify({ scripts: { build: "tsc", test: "vitest" } }));
  write("README.md", "# demo\n");
  const git = (...args: string[]): void => void execFileSync("git", args, { cwd: dir, stdio: "ignore" });
  git("init", "-q");
  git("-c", "user.email=t@e.st", "-c", "user.name=t", "add", ".");
  git("-c", "user.email=t@e.st", "-c", "user.name=t", "commit", "-qm", "init");
  write("README.md", "# demo, changed\n");
  expect(await idleSuggestions(dir)).toEqual(["Review my changes to @README.md", "Run npm test and fix what fails", "Explain what this project does (start from @README.md)"]);
  rmSync(path.join(dir, ".git"), { recursive: true });
  rmSync(path.join(dir, "README.md"));
  rmSync(path.join(dir, "package.json"));
  expect(await idleSuggestions(dir)).toEqual([]);
});
