import fs from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { tempDir, toolContext } from "../../test/helpers/tool-context.js";
import { GLOB_MAX_RESULTS, globTool } from "./glob.js";
import { grepTool } from "./grep.js";
import { runTool } from "./run-tool.js";

/** A small git-like tree: a `.git` folder, a root and a nested .gitignore, a dot-folder. */
async function tree(root: string): Promise<void> {
  const files: Record<string, string> = {
    ".git/HEAD": "ref: refs/heads/main\n",
    ".gitignore": "ignored/\n*.log\n",
    "a.txt": "a",
    "debug.log": "log",
    "ignored/x.txt": "x",
    "sub/.gitignore": "secret.txt\n",
    "sub/b.txt": "b",
    "sub/secret.txt": "s",
    "sub/deep/run.log": "log",
    ".config/h.txt": "h",
  };
  for (const [name, content] of Object.entries(files)) {
    await fs.mkdir(path.dirname(path.join(root, name)), { recursive: true });
    await fs.writeFile(path.join(root, name), content);
  }
}

const list = (text: string): string[] => text.split("\n").filter((l) => !l.startsWith("["));

describe("Glob", () => {
  it("finds files as git sees the tree: nested .gitignore files apply, .git is never listed, dotfiles are", async () => {
    await using dir = await tempDir();
    await tree(dir.path);
    const result = await runTool(globTool, { pattern: "**/*.txt" }, toolContext(dir.path));
    expect(result.isError).toBe(false);
    expect(list(result.llmContent).sort()).toEqual([path.join(dir.path, ".config", "h.txt"), path.join(dir.path, "a.txt"), path.join(dir.path, "sub", "b.txt")].sort());
    const all = await runTool(globTool, { pattern: "**/*" }, toolContext(dir.path));
    expect(all.llmContent).not.toContain(`${path.sep}.git${path.sep}`);
    expect(all.llmContent).not.toContain("debug.log");
  });

  it("applies the repository's root .gitignore when searching a subfolder", async () => {
    await using dir = await tempDir();
    await tree(dir.path);
    const result = await runTool(globTool, { pattern: "**/*", path: "sub" }, toolContext(dir.path));
    expect(list(result.llmContent).sort()).toEqual([path.join(dir.path, "sub", ".gitignore"), path.join(dir.path, "sub", "b.txt")].sort());
    expect(globTool.permission({ pattern: "**/*", path: "sub" }, toolContext(dir.path))).toEqual({ tool: "Glob", effect: "read", paths: [path.join(dir.path, "sub")] });
  });

  it("asks for the folder a pattern climbs to, and refuses one that climbs after a wildcard", async () => {
    await using dir = await tempDir();
    await tree(dir.path);
    const ctx = toolContext(path.join(dir.path, "sub"));
    // The fixed start of the pattern is where the walk starts, and what the read is asked for.
    expect(globTool.permission({ pattern: "deep/../../.config/*" }, ctx)).toEqual({ tool: "Glob", effect: "read", paths: [path.join(dir.path, ".config")] });
    expect(globTool.permission({ pattern: "../*.txt" }, ctx)).toEqual({ tool: "Glob", effect: "read", paths: [dir.path] });
    // After a wildcard, `..` would climb out of the folder asked for: the call cannot be checked.
    expect(() => globTool.permission({ pattern: "*/../../.config/*" }, ctx)).toThrow(/climbs out of the folder searched/);
    const refused = await runTool(globTool, { pattern: "**/../../*" }, ctx);
    expect(refused.isError).toBe(true);
    expect(refused.llmContent).toMatch(/climbs out of the folder searched/);
  });

  it("lists the most recently modified first", async () => {
    await using dir = await tempDir();
    for (const [name, age] of [["old.md", 300], ["new.md", 100], ["mid.md", 200]] as const) {
      const file = path.join(dir.path, name);
      await fs.writeFile(file, name);
      const when = new Date(Date.now() - age * 1000);
      await fs.utimes(file, when, when);
    }
    const result = await runTool(globTool, { pattern: "*.md" }, toolContext(dir.path));
    expect(list(result.llmContent)).toEqual(["new.md", "mid.md", "old.md"].map((n) => path.join(dir.path, n)));
  });

  it(`lists at most ${GLOB_MAX_RESULTS} paths and says how many more matched`, async () => {
    await using dir = await tempDir();
    for (let i = 0; i < GLOB_MAX_RESULTS + 5; i++) await fs.writeFile(path.join(dir.path, `f${i}.js`), "");
    const result = await runTool(globTool, { pattern: "*.js" }, toolContext(dir.path));
    expect(list(result.llmContent)).toHaveLength(GLOB_MAX_RESULTS);
    expect(result.llmContent).toContain("[5 more not shown");
    expect(result.data).toMatchObject({ total: GLOB_MAX_RESULTS + 5 });
  });

  it("takes an absolute pattern, and says so when nothing matches or the folder is missing", async () => {
    await using dir = await tempDir();
    await tree(dir.path);
    const absolute = await runTool(globTool, { pattern: `${dir.path.replace(/\\/g, "/")}/sub/*.txt` }, toolContext(dir.path));
    expect(list(absolute.llmContent)).toEqual([path.join(dir.path, "sub", "b.txt")]);
    const none = await runTool(globTool, { pattern: "**/*.rs" }, toolContext(dir.path));
    expect(none).toMatchObject({ isError: false });
    expect(none.llmContent).toContain("No files match **/*.rs");
    const missing = await runTool(globTool, { pattern: "*", path: "nowhere" }, toolContext(dir.path));
    expect(missing.isError).toBe(true);
    expect(missing.llmContent).toContain("is not a folder");
  });
});

describe("Glob and Grep over a large tree", () => {
  it("return as soon as the call is cancelled, not when the walk of the tree would end", { timeout: 120_000 }, async () => {
    await using dir = await tempDir();
    // 30,000 files in 300 folders: a walk of some seconds.
    for (let d = 0; d < 300; d++) {
      const folder = path.join(dir.path, `d${d}`);
      await fs.mkdir(folder);
      await Promise.all(Array.from({ length: 100 }, (_, f) => fs.writeFile(path.join(folder, `f${f}.txt`), "x\n")));
    }
    let started = Date.now();
    expect((await runTool(globTool, { pattern: "**/*.none" }, toolContext(dir.path))).llmContent).toContain("No files match");
    const whole = Date.now() - started;
    for (const [tool, input] of [
      [globTool, { pattern: "**/*.none" }],
      [grepTool, { pattern: "needle" }],
    ] as const) {
      const controller = new AbortController();
      setTimeout(() => controller.abort(), 20);
      started = Date.now();
      const result = await runTool(tool, input, toolContext(dir.path, { signal: controller.signal }));
      expect(result).toMatchObject({ isError: true, llmContent: "Cancelled by the user." });
      expect(Date.now() - started).toBeLessThan(Math.max(200, whole / 3));
    }
  });
});
