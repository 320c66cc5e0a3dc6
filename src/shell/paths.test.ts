import { describe, expect, it } from "vitest";
import { classifyPath, expandTilde, type PathClass } from "./paths.js";

const ctx = { cwd: "/home/ada/code/app", home: "/home/ada" };

describe("classifyPath", () => {
  it("root's own home is a home, not a system folder: its files are theirs, its keys and start-up files sensitive", () => {
    const asRoot = { cwd: "/root/code/app", home: "/root" };
    expect(classifyPath("/root/notes.txt", asRoot)).toBe("home-sub");
    expect(classifyPath("/root/.ssh/authorized_keys", asRoot)).toBe("home-sensitive");
    expect(classifyPath("/root/.bashrc", asRoot)).toBe("home-sensitive");
    expect(classifyPath("/root", asRoot)).toBe("home");
    expect(classifyPath("/etc/hosts", asRoot)).toBe("system");
    // For anyone else, /root stays another user's system folder.
    expect(classifyPath("/root/notes.txt", ctx)).toBe("system");
    expect(classifyPath("/root/.ssh/authorized_keys", ctx)).toBe("auth");
  });

  it.each<[string, boolean, PathClass]>([
    ["/", false, "root"],
    ["/*", true, "root"],
    ["../../../..", false, "root"],
    ["/home/ada", false, "home"],
    ["/home/ada/*", true, "home"],
    ["../..", false, "home"],
    ["/home", false, "home"],
    ["/home/ada/.ssh/id_rsa", false, "home-sensitive"],
    ["/home/ada/.bashrc", false, "home-sensitive"],
    ["/home/ada/Documents", false, "home-sub"],
    ["..", false, "home-sub"],
    ["/etc/passwd", false, "auth"],
    ["/etc/sudoers.d/90-ada", false, "auth"],
    ["/etc/hosts", false, "system"],
    ["/usr/local/bin", false, "system"],
    ["/srv", false, "system"],
    ["/dev/sda", false, "device"],
    ["/dev/nvme0n1p1", false, "device"],
    ["/dev/null", false, "null"],
    [".", false, "cwd"],
    ["*", true, "cwd"],
    ["./*", true, "cwd"],
    ["build", false, "project"],
    ["*.o", true, "project"],
    ["build/*", true, "project"],
    ["/tmp/scratch", false, "temp"],
    ["/tmp", false, "system"],
    ["/home/bob/x", false, "outside"],
    ["/home/bob", false, "home"],
    ["/home/bob/*", true, "home"],
    ["/home/bob/.ssh/id_rsa", false, "home-sensitive"],
    ["/root", false, "system"],
    ["C:\\", false, "root"],
    ["C:\\Windows\\System32", false, "system"],
    ["C:\\Program Files\\App", false, "system"],
    ["C:\\Users\\ada", false, "home"],
    ["C:\\Users\\ada\\Documents", false, "home-sub"],
    ["D:\\data", false, "outside"],
    [".\\build", false, "project"],
    ["", false, "none"],
  ])("%s → %s", (raw, glob, expected) => {
    expect(classifyPath(raw, ctx, glob)).toBe(expected);
  });
});

describe("expandTilde", () => {
  it.each<[string, string, string | null | undefined]>([
    ["~", "/home/ada", "/home/ada"],
    ["~/x", "/home/ada", "/home/ada/x"],
    ["~+", "/home/ada", "/home/ada/code/app"],
    ["~root", "/home/ada", "/root"],
    ["~bob", "/home/ada", "/home/bob"],
    ["~bob/.ssh", "/home/ada", "/home/bob/.ssh"],
    ["~bob", "/Users/ada", "/Users/bob"],
    ["~bob", "/root", "/home/bob"],
    ["~bob", "/tmp/t/home", "/home/bob"],
    ["~-", "/home/ada", null],
    ["~2", "/home/ada", null],
    ["~b$x", "/home/ada", undefined],
    ["a~b", "/home/ada", undefined],
  ])("%s with home %s → %s", (text, home, expected) => {
    expect(expandTilde(text, { cwd: ctx.cwd, home })).toBe(expected);
  });
});
