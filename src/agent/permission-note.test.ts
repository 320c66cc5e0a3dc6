import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, expect, it } from "vitest";
import { z } from "zod";
import type { Tool } from "../tools/tool.js";
import { ScriptedModel, textAnswer } from "../../test/helpers/fake-upstreams/scripted-model.js";
import { toolCallsAnswer } from "../../test/helpers/fake-upstreams/tool-script.js";
import { Agent } from "./agent.js";
import type { Interaction, PermissionPolicy } from "./permission-gate.js";
import { Session } from "./session.js";

let dir: string;
beforeEach(() => void (dir = mkdtempSync(path.join(os.tmpdir(), "wren-note-"))));
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const writes: string[] = [];
const write: Tool<{ path: string }> = {
  name: "Write",
  description: "Write a file",
  parameters: z.object({ path: z.string() }),
  readOnly: false,
  permission: (input) => ({ tool: "Write", effect: "write", paths: [input.path] }),
  execute: async (input) => {
    writes.push(input.path);
    return { llmContent: "written", display: "written", isError: false };
  },
};
const asks: PermissionPolicy = { decide: () => ({ action: "ask", reason: "writes need consent" }) };

async function refusalSeen(interaction: Interaction, policy: PermissionPolicy): Promise<string> {
  const model = new ScriptedModel("scripted", "m", [toolCallsAnswer([{ id: "c1", name: "Write", input: { path: "x" } }]), textAnswer("ok")]);
  const session = Session.create({ dir, cwd: dir, projectRoot: dir, model: "scripted:m", mode: "default", system: "test", tools: ["Write"] });
  const agent = new Agent(session, { model, tools: [write], permissions: policy, interaction });
  for await (const _ of agent.run("write x"));
  session[Symbol.dispose]();
  return (model.requests[1]!.messages.at(-1)!.content as Array<{ output: string }>)[0]!.output;
}

it("a refusal with a note tells the model the person's words; without one it says only that they refused", async () => {
  const withNote = await refusalSeen({ askPermission: async () => ({ reply: "reject", note: "  use the tmp folder instead " }), reviewPlan: async () => ({ verdict: "approve" }) }, asks);
  expect(withNote).toMatch(/^Permission denied: Write was not run \(the user refused it\. The user says: use the tmp folder instead;?/);
  const answered: PermissionPolicy = { ...asks, answer: async () => ({ action: "deny", reason: "You declined." }) };
  const viaPolicy = await refusalSeen({ askPermission: async () => ({ reply: "reject", note: "ask me after lunch" }), reviewPlan: async () => ({ verdict: "approve" }) }, answered);
  expect(viaPolicy).toContain("You declined. The user says: ask me after lunch");
  const plain = await refusalSeen({ askPermission: async () => ({ reply: "reject" }), reviewPlan: async () => ({ verdict: "approve" }) }, answered);
  expect(plain).not.toContain("The user says");
  expect(writes).toEqual([]);
});
