import { mkdtempSync, rmSync, statSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, expect, it } from "vitest";
import { z } from "zod";
import type { ToolResultPart } from "../protocol/index.js";
import { ScriptedModel, textAnswer } from "../../test/helpers/fake-upstreams/scripted-model.js";
import { toolCallsAnswer } from "../../test/helpers/fake-upstreams/tool-script.js";
import type { Tool } from "../tools/tool.js";
import { TOOL_RESULT_MAX_CHARS } from "../tools/bound-result.js";
import { Agent } from "./agent.js";
import type { AgentEvent, RunOutcome } from "./events.js";
import { Session } from "./session.js";

/** 5 million characters: what a tool of the user's (or a plugin) may hand back, as a command printing 50 MB would. */
const HUGE = 5_000_000;

/** A tool with no cap of its own: its output starts with a head line and ends with a tail line. */
const dump: Tool<Record<string, never>> = {
  name: "Dump",
  description: "Prints everything",
  parameters: z.object({}),
  readOnly: true,
  permission: () => ({ tool: "Dump", effect: "read" }),
  execute: async () => {
    const text = `FIRST LINE\n${"x".repeat(HUGE)}\nLAST LINE`;
    return { llmContent: text, display: text, isError: false };
  },
};

async function drain(run: AsyncGenerator<AgentEvent, RunOutcome>): Promise<{ outcome: RunOutcome; events: AgentEvent[] }> {
  const events: AgentEvent[] = [];
  for (;;) {
    const next = await run.next();
    if (next.done) return { outcome: next.value, events };
    events.push(next.value);
  }
}

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), "wren-bound-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

it("a huge tool result is cut when it is produced: the next request, the events and the session file hold only the bounded result", async () => {
  const model = new ScriptedModel("scripted", "m", [toolCallsAnswer([{ id: "d1", name: "Dump", input: {} }]), textAnswer("done")]);
  const session = Session.create({ dir, cwd: dir, projectRoot: dir, model: "scripted:m", mode: "default", system: "You are a test.", tools: ["Dump"] });
  const agent = new Agent(session, { model, tools: [dump], permissions: { decide: () => ({ action: "allow", reason: "test" }) } });
  const { outcome, events } = await drain(agent.run("dump it"));
  const file = session.file;
  session[Symbol.dispose]();
  expect(outcome.reason).toBe("done");

  const sent: ToolResultPart[] = model.requests[1]!.messages.flatMap((m) => (m.role === "tool" ? m.content : []));
  expect(sent).toHaveLength(1);
  const output = sent[0]!.output;
  expect(output.length).toBeLessThan(TOOL_RESULT_MAX_CHARS + 1_000);
  // Its start and end are kept, and a marker says how much was cut and how to see the rest.
  expect(output.startsWith("FIRST LINE")).toBe(true);
  expect(output.endsWith("LAST LINE") || output.includes("LAST LINE\n")).toBe(true);
  expect(output).toMatch(/characters of this result were cut/);
  expect(output).toMatch(/offset/);

  const shown = events.find((e) => e.type === "tool-result");
  expect(shown?.type === "tool-result" && shown.output.length < TOOL_RESULT_MAX_CHARS + 1_000).toBe(true);
  expect(shown?.type === "tool-result" && shown.display.length < TOOL_RESULT_MAX_CHARS + 1_000).toBe(true);
  // The transcript grew by the bounded result, not by the whole output.
  expect(statSync(file).size).toBeLessThan(2 * TOOL_RESULT_MAX_CHARS);
});
