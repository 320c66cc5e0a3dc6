import { describe, expect, it } from "vitest";
import { protectedReason } from "./protected-paths.js";

/**
 * macOS and Windows file systems ignore case by default, and Windows drops the dots and blanks a
 * name ends in: `.GIT/hooks/pre-commit` there is `.git/hooks/pre-commit`, and `.wren./settings.toml`
 * on Windows is `.wren/settings.toml`. Each spelling of a protected place is protected.
 */
describe("protected places in any spelling the file system reads as theirs", () => {
  it.each<[string, string, NodeJS.Platform]>([
    ["/p/.GIT/hooks/pre-commit", "/p", "darwin"],
    ["/p/.Git/Config", "/p", "darwin"],
    ["/p/.WREN/settings.toml", "/p", "darwin"],
    ["C:\\p\\.GIT\\HOOKS\\pre-commit", "C:\\p", "win32"],
    ["C:\\p\\.git.\\hooks\\pre-commit", "C:\\p", "win32"],
    ["C:\\p\\.git \\hooks\\pre-commit", "C:\\p", "win32"],
    ["C:\\p\\.wren.\\settings.toml", "C:\\p", "win32"],
    ["c:\\P\\.Wren\\settings.toml", "C:\\p", "win32"],
  ])("%s in %s (%s) asks", (target, root, platform) => {
    expect(protectedReason(target, root, platform)).toMatch(/always ask/);
  });

  it("stays a plain file where the file system tells case apart, and elsewhere for other names", () => {
    expect(protectedReason("/p/.GIT/hooks/pre-commit", "/p", "linux")).toBeUndefined();
    expect(protectedReason("/p/.WREN/settings.toml", "/p", "linux")).toBeUndefined();
    expect(protectedReason("/p/.gitx/hooks/pre-commit", "/p", "darwin")).toBeUndefined();
    expect(protectedReason("C:\\p\\git\\hooks\\x", "C:\\p", "win32")).toBeUndefined();
    expect(protectedReason("/p/.git/hooks/pre-commit", "/p", "linux")).toMatch(/always ask/);
  });
});
