import { z } from "zod";
import { describe, expect, it } from "vitest";
import { toolContext } from "../../test/helpers/tool-context.js";
import { WrenError } from "../shared/errors.js";
import { defineTool } from "./define-tool.js";
import { BUILTIN_TOOLS, ToolRegistry } from "./registry.js";
import { okResult } from "./result.js";
import { runTool } from "./run-tool.js";

const echo = defineTool({
  name: "Echo",
  description: "Says it back.",
  parameters: z.object({ text: z.string(), loud: z.boolean().default(false) }),
  readOnly: true,
  permission: () => ({ tool: "Echo", effect: "read" }),
  async execute(input) {
    if (input.text === "boom") throw new Error("it broke");
    if (input.text === "wren") throw new WrenError("not_found", "No such thing.", { hint: "Try another." });
    return okResult(input.loud ? input.text.toUpperCase() : input.text);
  },
});

describe("ToolRegistry", () => {
  it("holds the built-in tools under the names models know", () => {
    expect(new ToolRegistry().list().map((t) => t.name)).toEqual(["Read", "Write", "Edit", "Glob", "Grep", "Bash", "WebFetch", "AskUser", "TodoWrite", "ExitPlanMode"]);
    expect(BUILTIN_TOOLS.filter((t) => t.readOnly).map((t) => t.name)).toEqual(["Read", "Glob", "Grep", "WebFetch", "AskUser", "ExitPlanMode"]);
  });

  it("describes each tool's input as a JSON Schema object, defaults optional", () => {
    const definitions = new ToolRegistry().definitions();
    for (const definition of definitions) {
      expect(definition.inputSchema).toMatchObject({ type: "object" });
      expect(definition.inputSchema).not.toHaveProperty("$schema");
      expect(definition.description?.length).toBeGreaterThan(40);
      expect(JSON.parse(JSON.stringify(definition))).toEqual(definition);
    }
    const edit = definitions.find((d) => d.name === "Edit")!;
    expect(edit.inputSchema["required"]).toEqual(["file_path", "old_string", "new_string"]);
    expect(edit.inputSchema["properties"]).toMatchObject({ replace_all: { type: "boolean", default: false } });
    const read = definitions.find((d) => d.name === "Read")!;
    expect(read.inputSchema["required"]).toEqual(["file_path"]);
    expect(read.inputSchema["properties"]).toMatchObject({ offset: { type: "integer", minimum: 1 } });
    expect(JSON.stringify(definitions)).not.toContain(String(Number.MAX_SAFE_INTEGER));
    const grep = definitions.find((d) => d.name === "Grep")!;
    expect(grep.inputSchema["properties"]).toMatchObject({ output_mode: { enum: ["content", "files_with_matches", "count"] } });
  });

  it("adds tools such as MCP ones, refusing a taken name or one models cannot call", () => {
    const registry = new ToolRegistry();
    registry.add([echo]);
    expect(registry.get("Echo")).toBe(echo);
    expect(() => registry.add([echo])).toThrow(/Two tools are named 'Echo'/);
    expect(() => registry.add([{ ...echo, name: "has space" }])).toThrow(/cannot be sent to models/);
  });
});

describe("runTool", () => {
  it("parses the input (defaults applied) and runs the tool", async () => {
    expect((await runTool(echo, { text: "hi", loud: true }, toolContext(process.cwd()))).llmContent).toBe("HI");
  });

  it("turns invalid input, a thrown error and a WrenError into error results the model can act on", async () => {
    const invalid = await runTool(echo, { text: 3 }, toolContext(process.cwd()));
    expect(invalid.isError).toBe(true);
    expect(invalid.llmContent).toMatch(/^Invalid input for Echo:\n.*text/s);
    expect(await runTool(echo, { text: "boom" }, toolContext(process.cwd()))).toMatchObject({ isError: true, llmContent: "it broke" });
    expect(await runTool(echo, { text: "wren" }, toolContext(process.cwd()))).toMatchObject({ isError: true, llmContent: "No such thing. Try another." });
  });

  it("does not start a call whose turn was already cancelled", async () => {
    const controller = new AbortController();
    controller.abort();
    expect(await runTool(echo, { text: "hi" }, toolContext(process.cwd(), { signal: controller.signal }))).toMatchObject({ isError: true, llmContent: "Cancelled by the user." });
  });
});
