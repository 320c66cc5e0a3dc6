import { describe, expect, it } from "vitest";
import type { ChatRequest, GenerateResult, LanguageModel, StreamPart } from "../protocol/index.js";
import type { MachineProfile } from "./detect.js";
import { GENERATED_COMMAND_SCHEMA, generateCommand } from "./generate.js";

/** A model that answers with fixed text and remembers the request it got. */
function scripted(text: string, finishReason: GenerateResult["finishReason"] = "stop"): LanguageModel & { seen: ChatRequest[] } {
  const seen: ChatRequest[] = [];
  return {
    provider: "test",
    modelId: "scripted",
    seen,
    async doGenerate(request) {
      seen.push(request);
      return { content: [{ type: "text", text }], finishReason, usage: { inputTokens: 1, outputTokens: 1, totalTokens: 2 } };
    },
    async *doStream(): AsyncIterable<StreamPart> {
      yield { type: "error", error: { code: "unsupported", message: "not used" } };
    },
  };
}

const mac: MachineProfile = { shell: "zsh", os: "macOS (Darwin 23.1.0, arm64)", coreutils: "BSD" };

describe("generateCommand", () => {
  it("asks for the JSON shape with the shell, OS and tool flavour in the prompt", async () => {
    const model = scripted('{"command":" find . -size +100M -mtime -7 ","explanation":"Finds big recent files.","assumptions":["current folder"]}');
    const out = await generateCommand(model, "find files over 100 MB modified this week", mac);
    expect(out).toEqual({ command: "find . -size +100M -mtime -7", explanation: "Finds big recent files.", assumptions: ["current folder"], usage: { inputTokens: 1, outputTokens: 1, totalTokens: 2 } });
    const request = model.seen[0]!;
    expect(request.responseFormat).toEqual({ type: "json", schema: GENERATED_COMMAND_SCHEMA, name: "shell_command" });
    const system = request.messages[0];
    expect(system?.role).toBe("system");
    const prompt = system?.role === "system" ? system.content : "";
    expect(prompt).toContain("zsh");
    expect(prompt).toContain("macOS (Darwin 23.1.0, arm64)");
    expect(prompt).toContain("BSD");
    expect(request.temperature).toBe(0);
  });

  it("sends the previous command and the requested change when revising", async () => {
    const model = scripted('{"command":"ls -la","explanation":"x","assumptions":[]}');
    await generateCommand(model, "list files", mac, { revise: { command: "ls", feedback: "show hidden files" } });
    const messages = model.seen[0]!.messages;
    expect(messages).toHaveLength(4);
    expect(JSON.stringify(messages[3])).toContain("show hidden files");
  });

  it("says the answer ran out of tokens when the JSON is cut off", async () => {
    await expect(generateCommand(scripted('{"command":"ls', "length"), "x", mac)).rejects.toMatchObject({
      code: "upstream_error",
      message: "The model's answer is not valid JSON (it ran out of tokens).",
      hint: expect.stringContaining("--max-tokens"),
    });
  });

  it("rejects JSON without the expected fields, and an empty command", async () => {
    await expect(generateCommand(scripted('{"cmd":"ls"}'), "x", mac)).rejects.toMatchObject({ code: "upstream_error", hint: expect.any(String) });
    await expect(generateCommand(scripted('{"command":"  ","explanation":"","assumptions":[]}'), "x", mac)).rejects.toThrow(/empty command/);
  });
});
