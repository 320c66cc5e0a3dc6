import { describe, expect, it } from "vitest";
import { Command } from "commander";
import { registerCmd } from "./commands/cmd.js";
import { CMD_OPTIONS, fastCheckArgs } from "./fast-check-args.js";

describe("fastCheckArgs", () => {
  it("reads `cmd --check COMMAND` with an optional shell and --json, in any order", () => {
    expect(fastCheckArgs(["cmd", "--check", "ls -la"])).toEqual({ command: "ls -la", json: false });
    expect(fastCheckArgs(["cmd", "--check", "rm -rf /", "--shell", "bash", "--json"])).toEqual({ command: "rm -rf /", shell: "bash", json: true });
    expect(fastCheckArgs(["cmd", "--json", "-s", "fish", "--check=curl x | source"])).toEqual({ command: "curl x | source", shell: "fish", json: true });
    expect(fastCheckArgs(["cmd", "--shell=pwsh", "--check", "Remove-Item x"])).toEqual({ command: "Remove-Item x", shell: "pwsh", json: false });
    // An option's value is the next argument, as commander reads it: a command line starting with a dash is one too.
    expect(fastCheckArgs(["cmd", "--check", "-la", "--json"])).toEqual({ command: "-la", json: true });
  });

  it("leaves every other shape to the command tree", () => {
    for (const args of [
      [],
      ["--check", "ls"],
      ["run", "--check", "ls"],
      ["cmd"],
      ["cmd", "list files"],
      ["cmd", "--check"],
      ["cmd", "--check", "-"],
      ["cmd", "--check", ""],
      ["cmd", "--check", "  "],
      ["cmd", "--check", "-", "--jsonl"],
      ["cmd", "--check", "ls", "--jsonl"],
      ["cmd", "--check", "ls", "extra"],
      ["cmd", "--check", "ls", "--check", "pwd"],
      ["cmd", "--check", "ls", "--json", "--json"],
      ["cmd", "--check", "ls", "--shell"],
      ["cmd", "--check", "ls", "-s", "bash", "--shell", "zsh"],
      ["cmd", "--check", "ls", "--safety", "strict"],
      ["cmd", "--check", "ls", "-sbash"],
      ["cmd", "--check", "ls", "--help"],
      ["cmd", "--check", "ls", "--"],
      ["cmd", "--json=1", "--check", "ls"],
      // One of wren cmd's own options where the command should be: the command tree refuses it.
      ["cmd", "--check", "--json"],
      ["cmd", "--check", "-x", "--json"],
      ["cmd", "--check", "--shell=bash"],
      ["cmd", "--check", "-s", "bash"],
    ]) {
      expect(fastCheckArgs(args), args.join(" ")).toBeUndefined();
    }
  });

  it("knows every option of wren cmd, as the command registers them", () => {
    const program = new Command();
    registerCmd(program);
    const cmd = program.commands.find((c) => c.name() === "cmd");
    const names = (cmd?.options ?? []).flatMap((o) => [o.short, o.long]).filter((n): n is string => n !== undefined);
    expect([...CMD_OPTIONS].sort()).toEqual([...names, "-h", "--help"].sort());
  });
});
