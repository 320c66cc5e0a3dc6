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
