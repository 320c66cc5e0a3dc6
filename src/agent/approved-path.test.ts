import { linkSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { ToolResultPart } from "../protocol/index.js";
import type { PermissionRequest } from "../permissions/types.js";
import { ScriptedModel, textAnswer } from "../../test/helpers/fake-upstreams/scripted-model.js";
import { toolCallsAnswer } from "../../test/helpers/fake-upstreams/tool-script.js";
import { editTool } from "../tools/edit.js";
import { readTool } from "../tools/read.js";
import { writeTool } from "../tools/write.js";
import { Agent } from "./agent.js";
import type { AgentEvent, RunOutcome } from "./events.js";
import { Session } from "./session.js";

const linksWork = process.platform !== "win32";

async function drain(run: AsyncGenerator<AgentEvent, RunOutcome>): Promise<RunOutcome> {
  for (;;) {
    const next = await run.next();
    if (next.done) return next.value;
  }
}

let root: string;
let project: string;
let outside: string;
beforeEach(() => {
  root = realpathSync(mkdtempSync(path.join(os.tmpdir(), "wren-approved-")));
  project = path.join(root, "project");
  outside = path.join(root, "outside");
  mkdirSync(project);
  mkdirSync(outside);
  writeFileSync(path.join(project, "notes.txt"), "project notes\n");
  writeFileSync(path.join(outside, "secret.txt"), "SECRET\n");
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

/**
 * Runs one call through the agent; `whileJudged` runs as the permission policy approves the call
 * (another program acting while the user reads the question).
 */
async function runOne(name: string, input: Record<string, unknown>, whileJudged: (request: PermissionRequest) => void = () => undefined): Promise<ToolResultPart> {
  const model = new ScriptedModel("scripted", "m", [toolCallsAnswer([{ id: "c1", name, input }]), textAnswer("done")]);
  const session = Session.create({ dir: root, cwd: project, projectRoot: project, model: "scripted:m", mode: "default", system: "s", tools: [name] });
  const decide = (request: PermissionRequest) => {
    whileJudged(request);
    return { action: "allow" as const, reason: "test" };
  };
  const agent = new Agent(session, { model, tools: [readTool, writeTool, editTool], permissions: { decide } });
  const outcome = await drain(agent.run("go"));
  session[Symbol.dispose]();
  expect(outcome.reason).toBe("done");
  return model.requests[1]!.messages.flatMap((m) => (m.role === "tool" ? m.content : []))[0]!;
}

/** notes.txt becomes a link to the file outside the project. */
const swapToLink = (): void => {
  rmSync(path.join(project, "notes.txt"));
  symlinkSync(path.join(outside, "secret.txt"), path.join(project, "notes.txt"));
};

describe.runIf(linksWork)("what Read, Edit and Write touch is what was approved", () => {
  it("Read refuses a file swapped for a link out of the project after the call was approved", async () => {
    const result = await runOne("Read", { file_path: "notes.txt" }, swapToLink);
    expect(result.output).not.toContain("SECRET");
    expect(result.isError).toBe(true);
    expect(result.output).toContain(path.join(outside, "secret.txt"));
  });

  it("Write and Edit refuse a file swapped for a link out of the project after the call was approved, and leave the outside file as it was", async () => {
    const write = await runOne("Write", { file_path: "notes.txt", content: "overwritten\n" }, swapToLink);
    expect(write.isError).toBe(true);
    expect(readFileSync(path.join(outside, "secret.txt"), "utf8")).toBe("SECRET\n");

    rmSync(path.join(project, "notes.txt"));
    writeFileSync(path.join(project, "notes.txt"), "SECRET\n");
    const edit = await runOne("Edit", { file_path: "notes.txt", old_string: "SECRET", new_string: "edited" }, swapToLink);
    expect(edit.isError).toBe(true);
    expect(readFileSync(path.join(outside, "secret.txt"), "utf8")).toBe("SECRET\n");
  });

  it("a link out of the project that was there when the call was approved is still followed (it was judged as where it leads)", async () => {
    swapToLink();
    const read = await runOne("Read", { file_path: "notes.txt" });
    expect(read.isError).toBeFalsy();
    expect(read.output).toContain("SECRET");
    const write = await runOne("Write", { file_path: "notes.txt", content: "changed\n" });
    expect(write.isError).toBeFalsy();
    expect(readFileSync(path.join(outside, "secret.txt"), "utf8")).toBe("changed\n");
  });

  it("Write and Edit through a hard link to a file outside the project replace the project's name only, never the outside file", async () => {
    rmSync(path.join(project, "notes.txt"));
    linkSync(path.join(outside, "secret.txt"), path.join(project, "notes.txt"));
    const edit = await runOne("Edit", { file_path: "notes.txt", old_string: "SECRET", new_string: "edited" });
    expect(edit.isError).toBeFalsy();
    const write = await runOne("Write", { file_path: "notes.txt", content: "written\n" });
    expect(write.isError).toBeFalsy();
    expect(readFileSync(path.join(project, "notes.txt"), "utf8")).toBe("written\n");
    expect(readFileSync(path.join(outside, "secret.txt"), "utf8")).toBe("SECRET\n");
  });
});
