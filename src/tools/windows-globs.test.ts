import path from "node:path";
import { describe, expect, it } from "vitest";
import { grepGlobPatterns } from "./grep.js";
import { splitGlobBase } from "./list-files.js";

describe("globs a model writes on Windows, with `\\` between folders", () => {
  it("Grep's glob reads `\\` as a separator there, as ripgrep on Windows and the Glob tool do (globby reads it as an escape)", () => {
    expect(grepGlobPatterns("src\\**\\*.ts", "win32")).toEqual(["src/**/*.ts"]);
    expect(grepGlobPatterns("!src\\gen\\*.ts", "win32")).toEqual(["**", "!src/gen/*.ts"]);
    expect(grepGlobPatterns("*.ts", "win32")).toEqual(["**/*.ts"]);
    // On POSIX `\` escapes the next character, as in ripgrep there.
    expect(grepGlobPatterns("a\\*b", "linux")).toEqual(["**/a\\*b"]);
    expect(grepGlobPatterns(undefined, "win32")).toEqual(["**"]);
  });

  it("Glob searches a drive's root for a pattern that starts there, not the working directory on that drive", () => {
    const cwd = "C:\\work\\project";
    expect(splitGlobBase("C:\\*.ts", cwd, "win32")).toEqual({ base: "C:\\", pattern: "*.ts" });
    expect(splitGlobBase("D:/**/*.gguf", cwd, "win32")).toEqual({ base: "D:\\", pattern: "**/*.gguf" });
    expect(splitGlobBase("C:\\Users\\ann\\*.md", cwd, "win32")).toEqual({ base: "C:\\Users\\ann", pattern: "*.md" });
    expect(splitGlobBase("src\\**\\*.ts", cwd, "win32")).toEqual({ base: cwd, pattern: "src/**/*.ts" });
    expect(splitGlobBase("/repo/src/**/*.ts", "/home/ann", "linux")).toEqual({ base: path.posix.join("/repo", "src"), pattern: "**/*.ts" });
  });
});
