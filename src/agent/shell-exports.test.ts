import { existsSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { tempDir, toolContext } from "../../test/helpers/tool-context.js";
import { createCommandAnalyzer, type CommandAnalyzer } from "../permissions/command-parts.js";
import { PermissionGate } from "../permissions/gate.js";
import type { PermissionMode } from "../permissions/types.js";
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
});
