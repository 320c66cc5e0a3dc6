import { existsSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { tempDir, toolContext } from "../../test/helpers/tool-context.js";
import { createCommandAnalyzer, type CommandAnalyzer } from "../permissions/command-parts.js";
import { PermissionGate } from "../permissions/gate.js";
import type { PermissionMode, PermissionReply } from "../permissions/types.js";
import { bashTool } from "../tools/bash.js";
import { createSessionShell, type SessionShell } from "../tools/session-shell.js";
import type { ToolCallRecord } from "./events.js";
import type { Interaction, PermissionPolicy } from "./permission-gate.js";
import { runToolCalls } from "./run-tools.js";

/** The runtime's policy over a real gate: the session's mode is the gate's. */
function policyOf(gate: PermissionGate): PermissionPolicy {
  return {
    decide(request, mode) {
      gate.mode = mode;
      return gate.check(request);
    },
    answer: (request, asked, reply, typed) => gate.answer(request, asked, reply, typed),
  };
}

/** Someone who answers every question the same way, and counts them. */
function person(reply: PermissionReply): Interaction & { asked: string[] } {
  const asked: string[] = [];
  return {
    asked,
    askPermission: async (request) => {
      asked.push(request.command ?? request.tool);
      return { reply };
    },
    reviewPlan: async () => ({ verdict: "approve" }),
  };
}

interface Setup {
  root: string;
  shell: SessionShell;
  commands: CommandAnalyzer;
}

/** One model answer: its Bash calls judged (asking `interaction`) and run, as the agent does. */
async function answer(s: Setup, commands: string[], rules: string[], interaction: Interaction | undefined, mode: PermissionMode = "default"): Promise<ToolCallRecord[]> {
  const gate = new PermissionGate({ projectRoot: s.root, mode, interactive: interaction !== undefined, commands: s.commands, rules: rules.map((pattern) => ({ action: "allow", pattern, scope: "project" })) });
  const calls = commands.map((command, i) => ({ type: "tool-call" as const, toolCallId: `c${i}`, toolName: "Bash", input: { command } }));
  const ctx = toolContext(s.root, { shell: s.shell, cwd: () => s.shell.cwd() });
  const step = runToolCalls(calls, 1, { tools: [bashTool], permissions: policyOf(gate), interaction, mode, executionMode: mode, ctx });
  for (;;) {
    const next = await step.next();
    if (next.done) return next.value.records;
  }
}

/** A PATH that still finds touch, set by a command a rule may name exactly. */
const PATH = "PATH=/nowhere:/usr/bin:/bin";

describe.runIf(process.platform !== "win32")("Bash in an agent's answer: what the session's shell exports", () => {
  it("a call judged before an earlier call of the same answer exported PATH does not run: its decision carries what it was judged with", async () => {
    await using dir = await tempDir();
    await using shell = await createSessionShell({ cwd: dir.path });
    using commands = await createCommandAnalyzer();
    const s = { root: dir.path, shell, commands };
    const records = await answer(s, ["touch one", `export ${PATH}`, "touch two"], ["Bash(touch *)", `Bash(${PATH})`, "Bash(export *)"], undefined);
    expect(records.map((r) => [r.decision, r.isError])).toEqual([["allow", false], ["allow", false], ["allow", true]]);
    expect(existsSync(path.join(dir.path, "one"))).toBe(true);
    expect(existsSync(path.join(dir.path, "two"))).toBe(false);
  });

  /** What `wren -p` (no one to ask) does with a later command that a rule allows. */
  const later = async (s: Setup): Promise<ToolCallRecord> => (await answer(s, ["touch made"], ["Bash(touch *)"], undefined))[0]!;

  it("a person's yes to a command that exports PATH makes its value the session's start: later commands no longer ask for it", async () => {
    await using dir = await tempDir();
    await using shell = await createSessionShell({ cwd: dir.path });
    using commands = await createCommandAnalyzer();
    const s = { root: dir.path, shell, commands };
    const yes = person("once");
    expect((await answer(s, [`export ${PATH}`], ["Bash(export *)"], yes))[0]).toMatchObject({ decision: "allow", isError: false });
    expect(yes.asked).toEqual([`export ${PATH}`]);
    expect(await later(s)).toMatchObject({ decision: "allow", isError: false });
    expect(existsSync(path.join(dir.path, "made"))).toBe(true);
    // Changed again by a command no one was asked about, it asks again.
    await answer(s, ["export PATH=/elsewhere:/usr/bin:/bin"], ["Bash(export *)", "Bash(PATH=/elsewhere:/usr/bin:/bin)"], undefined);
    expect(await later(s)).toMatchObject({ decision: "deny", reason: expect.stringMatching(/session shell's PATH/) });
  });

  it("an allow rule, bypass mode or a yes to another command does not: later commands still ask", async () => {
    await using dir = await tempDir();
    await using shell = await createSessionShell({ cwd: dir.path });
    using commands = await createCommandAnalyzer();
    const s = { root: dir.path, shell, commands };
    const yes = person("once");
    expect((await answer(s, [`export ${PATH}`], ["Bash(export *)", `Bash(${PATH})`], yes))[0]).toMatchObject({ decision: "allow", isError: false });
    expect(yes.asked).toEqual([]);
    expect(await later(s)).toMatchObject({ decision: "deny", reason: expect.stringMatching(/session shell's PATH/) });
    // A yes to a command that asked only because of it.
    expect((await answer(s, ["touch other"], ["Bash(touch *)"], yes))[0]).toMatchObject({ decision: "allow", isError: false });
    expect(yes.asked).toEqual(["touch other"]);
    expect(await later(s)).toMatchObject({ decision: "deny" });

    await answer(s, ["export PATH=/elsewhere:/usr/bin:/bin"], [], yes, "bypass");
    expect(yes.asked).toEqual(["touch other"]);
    expect(await later(s)).toMatchObject({ decision: "deny", reason: expect.stringMatching(/session shell's PATH/) });
    expect(existsSync(path.join(dir.path, "made"))).toBe(false);
  });

  it("a yes to a command that exports PATH and another such variable unseen makes only PATH the start", async () => {
    await using dir = await tempDir();
    await using shell = await createSessionShell({ cwd: dir.path });
    using commands = await createCommandAnalyzer();
    const s = { root: dir.path, shell, commands };
    await writeFile(path.join(dir.path, "vars"), "GIT_CONFIG_GLOBAL=./evil.cfg\n");
    const yes = person("once");
    expect((await answer(s, [`export ${PATH} $(cat vars)`], [], yes))[0]).toMatchObject({ decision: "allow", isError: false });
    expect(yes.asked).toHaveLength(1);
    const refused = await later(s);
    expect(refused.decision).toBe("deny");
    expect(refused.reason).toMatch(/session shell's GIT_CONFIG_GLOBAL \(/);
  });

  it("a yes to a command that exports PATH and sources a script, which may set it again unseen, makes nothing the start", async () => {
    await using dir = await tempDir();
    await using shell = await createSessionShell({ cwd: dir.path });
    using commands = await createCommandAnalyzer();
    const s = { root: dir.path, shell, commands };
    await writeFile(path.join(dir.path, "env.sh"), "export PATH=/evil:$PATH\n");
    const yes = person("once");
    expect((await answer(s, [`export ${PATH}; . ./env.sh`], [], yes))[0]).toMatchObject({ decision: "allow", isError: false });
    expect(yes.asked).toHaveLength(1);
    expect(await later(s)).toMatchObject({ decision: "deny", reason: expect.stringMatching(/session shell's PATH \(/) });
  });
});

describe.runIf(process.platform !== "win32")("Bash in an agent's answer: a person's yes to an unset", () => {
  /** A session whose shell wren started with such variables (as when wren itself was started with them). */
  const session = async (env: Record<string, string>): Promise<Setup & AsyncDisposable> => {
    const dir = await tempDir();
    const shell = await createSessionShell({ cwd: dir.path, env: { ...process.env, ...env } });
    const commands = await createCommandAnalyzer();
    return {
      root: dir.path,
      shell,
      commands,
      async [Symbol.asyncDispose]() {
        commands.dispose();
        await shell.dispose();
        await dir[Symbol.asyncDispose]();
      },
    };
  };
  const later = async (s: Setup, name: string): Promise<ToolCallRecord> => (await answer(s, [`touch ${name}`], ["Bash(touch *)"], undefined))[0]!;
  const value = async (s: Setup, name: string): Promise<string> => (await s.shell.run(`echo "\${${name}-unset}"`, { timeoutMs: 10_000 })).output.trim();
  /** The value a program the session's shell starts inherits. */
  const inherited = async (s: Setup, name: string): Promise<string> => (await s.shell.run(`sh -c 'echo "\${${name}-unset}"'`, { timeoutMs: 10_000 })).output.trim();

  it.each([
    ["unset GIT_WREN_START", "unset"],
    ["unset -v GIT_WREN_START", "unset"],
    ["export -n GIT_WREN_START", "1"],
    ["declare +x GIT_WREN_START", "1"],
    ["builtin unset GIT_WREN_START", "unset"],
    ["command unset -v GIT_WREN_START", "unset"],
    ["builtin command export -n GIT_WREN_START", "1"],
  ])("'%s' of a variable the session started with makes 'not exported' its start: later commands no longer ask", async (command, left) => {
    await using s = await session({ GIT_WREN_START: "1" });
    const yes = person("once");
    expect((await answer(s, [command], [], yes))[0]).toMatchObject({ decision: "allow", isError: false });
    expect(yes.asked).toEqual([command]);
    expect(await later(s, "one")).toMatchObject({ decision: "allow", isError: false });
    expect(await later(s, "two")).toMatchObject({ decision: "allow", isError: false });
    // As in one shell: an unset one is gone; one no longer exported stays the shell's own, which programs it starts do not inherit.
    expect(await value(s, "GIT_WREN_START")).toBe(left);
    expect(await inherited(s, "GIT_WREN_START")).toBe("unset");
    expect(existsSync(path.join(s.root, "two"))).toBe(true);
  });

  it("'export -n PATH' leaves later commands finding programs with the shell's PATH, as one shell does; programs they start inherit none", async () => {
    await using s = await session({});
    const yes = person("once");
    expect((await answer(s, ["export -n PATH"], [], yes))[0]).toMatchObject({ decision: "allow", isError: false });
    expect(await later(s, "one")).toMatchObject({ decision: "allow", isError: false });
    expect(existsSync(path.join(s.root, "one"))).toBe(true);
    expect(await value(s, "PATH")).toBe(process.env["PATH"]);
    expect((await s.shell.run("env | grep -c '^PATH=' || true", { timeoutMs: 10_000 })).output.trim()).toBe("0");
  });

  it("after a yes to 'export -n PATH', an 'unset PATH' allowed by a rule is a change: later commands ask again", async () => {
    await using s = await session({});
    const yes = person("once");
    await answer(s, ["export -n PATH"], [], yes);
    expect((await answer(s, ["unset PATH"], ["Bash(unset PATH)"], undefined))[0]).toMatchObject({ decision: "allow", isError: false });
    expect(yes.asked).toEqual(["export -n PATH"]);
    expect(await later(s, "one")).toMatchObject({ decision: "deny", reason: expect.stringMatching(/session shell's PATH/) });
  });

  it("after a yes to 'unset PATH', a PATH set again without exporting it is the shell's own, and later commands ask again", async () => {
    await using s = await session({});
    const yes = person("once");
    await answer(s, ["unset PATH"], [], yes);
    expect(await later(s, "one")).toMatchObject({ decision: "allow" });
    expect((await answer(s, ["PATH=/usr/bin:/bin"], ["Bash(PATH=/usr/bin:/bin)"], undefined))[0]).toMatchObject({ decision: "allow", isError: false });
    expect(await later(s, "two")).toMatchObject({ decision: "deny", reason: expect.stringMatching(/session shell's PATH/) });
    expect(await value(s, "PATH")).toBe("/usr/bin:/bin");
    expect(await inherited(s, "PATH")).not.toBe("/usr/bin:/bin");
  });

  it("'unset' of a value a person allowed exporting earlier: later commands are judged with it unset, not with the value", async () => {
    await using s = await session({});
    const yes = person("once");
    await answer(s, ["export LD_WREN_LIB=/opt/lib.so"], [], yes);
    expect(await later(s, "one")).toMatchObject({ decision: "allow", isError: false });
    await answer(s, ["unset LD_WREN_LIB"], [], yes);
    expect(yes.asked).toEqual(["export LD_WREN_LIB=/opt/lib.so", "unset LD_WREN_LIB"]);
    expect(await later(s, "two")).toMatchObject({ decision: "allow", isError: false });
    // Exported again by a command no one was asked about, it asks again.
    await answer(s, ["export LD_WREN_LIB=/opt/lib.so"], ["Bash(export *)", "Bash(LD_WREN_LIB=/opt/lib.so)"], undefined);
    expect(await later(s, "three")).toMatchObject({ decision: "deny", reason: expect.stringMatching(/session shell's LD_WREN_LIB/) });
  });

  it("an allow rule, bypass mode, an unset wren cannot read, or one beside a sourced script does not: later commands still ask", async () => {
    await using s = await session({ GIT_WREN_START: "1", GIT_WREN_OTHER: "2" });
    await writeFile(path.join(s.root, "env.sh"), "export GIT_WREN_START=./evil\n");
    const yes = person("once");
    // A rule allowing it: for a variable that changes what runs, one naming the command exactly (`Bash(unset *)` asks).
    await answer(s, ["unset GIT_WREN_START"], ["Bash(unset GIT_WREN_START)"], yes);
    expect(yes.asked).toEqual([]);
    expect(await later(s, "one")).toMatchObject({ decision: "deny", reason: expect.stringMatching(/session shell's GIT_WREN_START \(/) });
    await answer(s, ["unset GIT_WREN_OTHER"], [], yes, "bypass");
    const both = /session shell's (?=[^(]*GIT_WREN_START)(?=[^(]*GIT_WREN_OTHER)[\w, ]+ \(/;
    expect(await later(s, "two")).toMatchObject({ decision: "deny", reason: expect.stringMatching(both) });
    // A name only the shell works out, a function's name (the variable unset unseen), or an unset beside a script that may export it again.
    for (const command of ['N=GIT_WREN_START; unset "$N"', "unset -f GIT_WREN_OTHER; U=unset; $U GIT_WREN_OTHER", "unset GIT_WREN_START; . ./env.sh"]) {
      expect((await answer(s, [command], [], yes))[0]).toMatchObject({ decision: "allow", isError: false });
    }
    expect(yes.asked).toHaveLength(3);
    expect(await later(s, "three")).toMatchObject({ decision: "deny", reason: expect.stringMatching(both) });
    expect(existsSync(path.join(s.root, "three"))).toBe(false);
  });
});
