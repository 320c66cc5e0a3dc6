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
