import fs from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { tempDir, toolContext } from "../../test/helpers/tool-context.js";
import { deniedBy } from "../permissions/denied-path.js";
import type { PermissionRule } from "../permissions/types.js";
import { globTool } from "./glob.js";
import { grepTool } from "./grep.js";
import { runTool } from "./run-tool.js";
import type { ToolContext } from "./tool.js";

const RULES: PermissionRule[] = [
  { action: "deny", pattern: "Read(**/secrets.json)", scope: "project" },
  { action: "deny", pattern: "Read(**/.env)", scope: "project" },
];

/** Symlinks need a privilege on Windows; the link case runs where they do not. */
const links = process.platform !== "win32";

/** A project whose secrets sit beside its source, as the agent would see it with these rules. */
async function project(root: string): Promise<ToolContext> {
  const files: Record<string, string> = {
    "src/a.ts": "TOKEN=public\n",
    "secrets.json": "TOKEN=hidden-1\n",
    "config/secrets.json": "TOKEN=hidden-2\n",
    ".env": "TOKEN=hidden-3\n",
  };
  for (const [name, content] of Object.entries(files)) {
    await fs.mkdir(path.dirname(path.join(root, name)), { recursive: true });
    await fs.writeFile(path.join(root, name), content);
  }
  // A name the rules do not cover, for a file they do: Grep named it would read .env through it.
  if (links) await fs.symlink(path.join(root, ".env"), path.join(root, "notes.txt"));
  return toolContext(root, { isDenied: (tool, file) => deniedBy(tool, file, { rules: RULES, projectRoot: root }) !== undefined });
}

describe("Grep and Glob under deny rules", () => {
  it("Grep over the whole project leaves out the files deny rules name, saying how many but not which", async () => {
    await using dir = await tempDir();
    const ctx = await project(dir.path);
    const unguarded = await runTool(grepTool, { pattern: "TOKEN", output_mode: "content" }, toolContext(dir.path));
    expect(unguarded.llmContent).toContain("hidden-1");

    const result = await runTool(grepTool, { pattern: "TOKEN", output_mode: "content" }, ctx);
    expect(result.isError).toBe(false);
    expect(result.llmContent).toBe(`${path.join(dir.path, "src", "a.ts")}:1:TOKEN=public\n[2 files were left out: the permission rules deny Grep access to them.]`);
    expect(result.display).toBe("Found matching lines in 1 file in . (2 denied files left out)");
    expect(result.data).toMatchObject({ denied: 2, total: 1 });
  });

  it("Grep of a denied file named directly finds nothing in it", async () => {
    await using dir = await tempDir();
    const ctx = await project(dir.path);
    const result = await runTool(grepTool, { pattern: "TOKEN", path: "config/secrets.json", output_mode: "content" }, ctx);
    expect(result.llmContent).not.toContain("hidden");
    expect(result.llmContent).toContain("[1 file was left out: the permission rules deny Grep access to it.]");
  });

  it.runIf(links)("Grep of a link to a denied file, named directly, does not read through it", async () => {
    await using dir = await tempDir();
    const ctx = await project(dir.path);
    const unguarded = await runTool(grepTool, { pattern: "TOKEN", path: "notes.txt", output_mode: "content" }, toolContext(dir.path));
    expect(unguarded.llmContent).toContain("hidden-3");
    const result = await runTool(grepTool, { pattern: "TOKEN", path: "notes.txt", output_mode: "content" }, ctx);
    expect(result.llmContent).not.toContain("hidden");
    expect(result.data).toMatchObject({ denied: 1 });
  });

  it("Glob leaves denied files out of its listing and counts them", async () => {
    await using dir = await tempDir();
    const ctx = await project(dir.path);
    const result = await runTool(globTool, { pattern: "**/*.json" }, ctx);
    expect(result.llmContent).toBe("No files match **/*.json in " + dir.path + ".\n[2 files were left out: the permission rules deny Glob access to them.]");
    const all = await runTool(globTool, { pattern: "**/*" }, ctx);
    expect(all.llmContent).not.toMatch(/secrets\.json|\.env/);
    expect(all.llmContent).toContain(path.join(dir.path, "src", "a.ts"));
    expect(all.data).toMatchObject({ denied: 3 });
  });
});
