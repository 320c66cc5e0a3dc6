import { describe, expect, it } from "vitest";
import { classifyPath, type PathClass } from "./paths.js";

const ctx = { cwd: "/home/ada/code/app", home: "/home/ada" };

describe("classifyPath", () => {
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
    ["C:\\", false, "root"],
    ["C:\\Windows\\System32", false, "system"],
    ["C:\\Program Files\\App", false, "system"],
    ["C:\\Users\\ada", false, "home"],
    ["C:\\Users\\ada\\Documents", false, "home-sub"],
    ["D:\\data", false, "outside"],
    [".\\build", false, "project"],
  ])("%s → %s", (raw, glob, expected) => {
    expect(classifyPath(raw, ctx, glob)).toBe(expected);
  });
});
