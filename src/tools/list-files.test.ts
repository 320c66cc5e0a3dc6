import fs from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { tempDir, toolContext } from "../../test/helpers/tool-context.js";
import { globTool } from "./glob.js";
import { grepTool } from "./grep.js";
import { listFiles } from "./list-files.js";
import { runTool } from "./run-tool.js";

/**
 * The read permission is asked for the folder searched; globby walks wherever an absolute pattern
 * says, whatever its cwd. A pattern that is absolute, or becomes so by brace expansion, must not
 * reach files outside that folder unasked.
 */
describe("a walk stays in the folder the permission was asked for", () => {
  const outsideAndProject = async () => {
    const outside = await tempDir("wren-outside-");
    const project = await tempDir("wren-project-");
    await fs.writeFile(path.join(outside.path, "secret.txt"), "secret-needle\n");
    await fs.writeFile(path.join(project.path, "a.txt"), "secret-needle\n");
    return { outside, project };
  };

  it("listFiles leaves out what an absolute or brace-expanded pattern finds outside the base", async () => {
    const { outside, project } = await outsideAndProject();
    await using _o = outside;
    await using _p = project;
    const slashes = outside.path.split(path.sep).join("/");
    for (const pattern of [`${slashes}/*`, `{${slashes}/*,x}`]) {
      const found = await listFiles(project.path, [pattern], { dot: true });
      expect(found.map((f) => f.path)).toEqual([]);
    }
    expect((await listFiles(project.path, ["{*.txt,x}"], { dot: true })).map((f) => f.path)).toEqual([path.join(project.path, "a.txt")]);
  });

  it("Grep's glob and Glob's pattern read nothing outside the folder searched", async () => {
    const { outside, project } = await outsideAndProject();
    await using _o = outside;
    await using _p = project;
    const slashes = outside.path.split(path.sep).join("/");
    for (const glob of [`/${slashes}/*`, `{${slashes}/*,x}`]) {
      const result = await runTool(grepTool, { pattern: "secret-needle", glob, output_mode: "content" }, toolContext(project.path));
      expect(result.llmContent).not.toContain("secret.txt");
    }
    const listed = await runTool(globTool, { pattern: `{${slashes}/*,x}` }, toolContext(project.path));
    expect(listed.llmContent).not.toContain("secret.txt");
  });
});

/**
 * globby does not follow a symlinked folder it meets while walking, yet it reads the folder a
 * pattern's fixed start names (`link/*`), through a link too. The read permission was asked for the
 * folder searched, which holds the link, not for where it leads.
 */
describe.runIf(process.platform !== "win32")("a walk does not go through a symlinked folder to outside the folder searched", () => {
  it("listFiles, Grep's glob and Glob's pattern leave out what they find through a link that leads out", async () => {
    await using outside = await tempDir("wren-outside-");
    await using project = await tempDir("wren-project-");
    await fs.writeFile(path.join(outside.path, "secret.txt"), "secret-needle\n");
    await fs.mkdir(path.join(project.path, "docs"));
    await fs.writeFile(path.join(project.path, "docs", "a.txt"), "secret-needle\n");
    await fs.symlink(outside.path, path.join(project.path, "out"));
    await fs.symlink(path.join(project.path, "docs"), path.join(project.path, "in"));
    for (const pattern of ["out/*", "out/**", "{out,x}/*", "out/secret.txt"]) {
      expect((await listFiles(project.path, [pattern], { dot: true })).map((f) => f.path)).toEqual([]);
    }
    const grep = await runTool(grepTool, { pattern: "secret-needle", glob: "out/*", output_mode: "content" }, toolContext(project.path));
    expect(grep.llmContent).not.toContain("secret.txt");
    const listed = await runTool(globTool, { pattern: "out/**" }, toolContext(project.path));
    expect(listed.llmContent).not.toContain("secret.txt");
    // A link to a folder inside the one searched still leads somewhere the permission covers.
    expect((await listFiles(project.path, ["in/*"], { dot: true })).map((f) => f.path)).toEqual([path.join(project.path, "in", "a.txt")]);
  });
});
