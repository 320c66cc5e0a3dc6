import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { shellRater } from "../../test/helpers/shell-rated.js";
import type { Risk, ShellKind } from "./types.js";

/**
 * What `echo` feeds a decoder or a shell in a pipeline (`echo … | base64 -d | sh`) is read as the
 * session's shell writes it: zsh's and dash's echo decode backslashes without `-e`, bash's does only
 * where it was built with xpg_echo, and `sh` may be dash or bash. Each writer runs in the real shell
 * (bash both ways), only the writing part, to show the text the shell after it would run.
 */
const rated = shellRater();

/** The real shells that write for a session of each kind: sh is dash (Debian) or bash as sh (xpg_echo on macOS). */
const WRITERS: Record<Exclude<ShellKind, "fish" | "powershell">, string[][]> = {
  bash: [["bash", "-c"], ["bash", "-O", "xpg_echo", "-c"]],
  zsh: [["zsh", "-c"]],
  sh: [["dash", "-c"], ["bash", "--posix", "-c"]],
};

/** What each real shell writes; base64 writes what it decoded before text it cannot decode, then fails. */
const writes = (shell: keyof typeof WRITERS, writer: string): string[] =>
  WRITERS[shell].map(([bin = "", ...args]) => spawnSync(bin, [...args, writer], { encoding: "utf8", env: { PATH: process.env["PATH"] ?? "", HOME: "/home/ada" } }).stdout);

describe("what echo writes into a pipeline, as the session's shell writes it", () => {
  it.each<[keyof typeof WRITERS, string, string, string[], Risk]>([
    // zsh and dash decode \057 as /, the base64 padding \075 as =, and \c ends what echo writes.
    ["zsh", "echo 'rm -rf \\057'", " | sh", ["rm -rf /\n"], "critical"],
    ["sh", "echo 'rm -rf \\057'", " | sh", ["rm -rf /\n", "rm -rf \\057\n"], "critical"],
    ["zsh", "echo 'cm0gLXJmIC8\\075' | base64 -d", " | sh", ["rm -rf /"], "critical"],
    ["sh", "echo -n 'cm0gLXJmIC8\\075' | base64 -d", " | sh", ["rm -rf /", "rm -rf /"], "critical"],
    ["zsh", "echo 'rm -rf /\\cx'", " | sh", ["rm -rf /"], "critical"],
    // zsh's echo drops a - that ends its options.
    ["zsh", "echo - 'rm -rf /'", " | sh", ["rm -rf /\n"], "critical"],
    // bash decodes them only with -e, or built with xpg_echo: each text it may write is judged.
    ["bash", "echo 'rm -rf \\057'", " | sh", ["rm -rf \\057\n", "rm -rf /\n"], "critical"],
    ["bash", "echo 'x\\c; rm -rf /'", " | sh", ["x\\c; rm -rf /\n", "x"], "critical"],
    ["bash", "echo 'echo hi\\nrm -rf /'", " | sh", ["echo hi\\nrm -rf /\n", "echo hi\nrm -rf /\n"], "critical"],
    ["bash", "echo -e 'cm0gLXJmIC8\\075' | base64 -d", " | sh", ["rm -rf /", "rm -rf /"], "critical"],
    // Without escapes, or with -E where the shell has it, backslashes are text.
    ["zsh", "echo -E 'rm -rf \\057'", " | sh", ["rm -rf \\057\n"], "moderate"],
    ["bash", "echo -E 'rm -rf \\057'", " | sh", ["rm -rf \\057\n", "rm -rf \\057\n"], "moderate"],
    ["zsh", "echo 'cm0gLXJmIC8=' | base64 -d", " | sh", ["rm -rf /"], "critical"],
  ])("%s: %s%s", (shell, writer, runner, written, risk) => {
    expect(writes(shell, writer)).toEqual(written);
    const r = rated(`${writer}${runner}`, shell);
    expect(r.risk, r.shown).toBe(risk);
  });

  it.each<[keyof typeof WRITERS, string, string]>([
    ["zsh", "echo 'rm -rf \\057' | sh", "deletes / recursively"],
    ["zsh", "echo 'rm -rf /\\cx' | sh", "deletes / recursively"],
    ["sh", "echo 'rm -rf \\057' | sh", "deletes / recursively"],
    ["bash", "echo 'rm -rf \\057' | sh", "deletes / recursively"],
  ])("%s: %j deletes what the shell writes", (shell, command, detail) => {
    const r = rated(command, shell);
    expect(r.details, r.shown).toContain(detail);
  });

  it("a text only one way of running writes, with another that cannot be decoded, is judged and the rest is unknown", () => {
    // bash without xpg_echo writes cm0gLXJmIC8\075, which base64 cannot decode; with it, rm -rf /.
    const r = rated("echo 'cm0gLXJmIC8\\075' | base64 -d | sh", "bash");
    expect(r.risk, r.shown).toBe("critical");
    expect(r.details, r.shown).toContain("sh runs decoded text that wren cannot decode where the shell's echo writes otherwise");
  });

  it("dash writes echo's -e, which bash as sh reads as an option", () => {
    expect(writes("sh", "echo -e 'rm -rf \\x2f'")).toEqual(["-e rm -rf \\x2f\n", "rm -rf /\n"]);
    const r = rated("echo -e 'rm -rf \\x2f' | sh", "sh");
    expect(r.details, r.shown).toContain("deletes / recursively");
  });
});

describe("what echo writes into a shell's -c, as the session's shell writes it", () => {
  it.each<[ShellKind, string, Risk]>([
    ["zsh", "sh -c \"$(echo 'cm0gLXJmIC8\\075' | base64 -d)\"", "critical"],
    ["sh", "sh -c \"$(echo 'rm -rf \\057')\"", "critical"],
    ["zsh", "bash -c \"$(echo - 'rm -rf /')\"", "critical"],
    ["zsh", "bash <(echo 'rm -rf \\057')", "critical"],
    // Each text bash may write is judged: with xpg_echo the first deletes /, without it the second.
    ["bash", "sh -c \"$(echo 'echo hi\\nrm -rf /')\"", "critical"],
    ["bash", "sh -c \"$(echo 'x\\c; rm -rf /')\"", "critical"],
    ["zsh", "sh -c \"$(echo -E 'rm -rf \\057')\"", "moderate"],
  ])("%s: %s is %s", (shell, command, risk) => {
    const r = rated(command, shell);
    expect(r.risk, r.shown).toBe(risk);
  });

  it("the text written is what runs: zsh's echo writes / for \\057", () => {
    expect(writes("zsh", "echo 'rm -rf \\057'")).toEqual(["rm -rf /\n"]);
    const r = rated("sh -c \"$(echo 'rm -rf \\057')\"", "zsh");
    expect(r.details, r.shown).toEqual(["deletes / recursively"]);
  });
});
