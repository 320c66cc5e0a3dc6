import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startScriptedTeacher, type ScriptedTeacher } from "../../test/helpers/fake-upstreams/scripted-teacher.js";
import { CHATML } from "../../test/helpers/gguf-writer.js";
import { syntheticModel } from "../../test/helpers/synthetic-models.js";
import { Engine } from "../engine/engine.js";
import type { LocalModel } from "../engine/local-model.js";
import { userText, type ChatRequest, type LanguageModel } from "../protocol/index.js";
import { OpenAICompatibleModel } from "../providers/openai-compatible/model.js";
import { httpStatusOf, WrenError } from "../shared/errors.js";
import { Router } from "./router.js";
import type { RouterTarget } from "./target.js";

const weather = { name: "get_weather", inputSchema: { type: "object", properties: { city: { type: "string" } }, required: ["city"] } };
const ask: ChatRequest = { messages: [userText("Weather in Paris?")], tools: [weather], temperature: 0 };

/** The local model as the router sees it, keeping each request it was sent (to count repair turns). */
function observed(model: LocalModel): { model: LanguageModel; requests: ChatRequest[] } {
  const requests: ChatRequest[] = [];
  return {
    requests,
    model: {
      provider: model.provider,
      modelId: model.modelId,
      doStream: (request, options) => (requests.push(request), model.doStream(request, options)),
      doGenerate: (request, options) => (requests.push(request), model.doGenerate(request, options)),
    },
  };
}

// Real inference on scripted models (their reply is a fixed text), a real OpenAI-dialect teacher on loopback.
describe("a local model's tool calls through the router", () => {
  let engine: Engine;
  let valid: LocalModel;
  let malformed: LocalModel;
  let teacher: ScriptedTeacher;

  beforeAll(async () => {
    engine = await Engine.create({ gpu: "cpu", threads: 1 });
    const tagged = (args: string) => syntheticModel({ ...CHATML, contextLength: 2048, reply: ["<tool_call>", `{"name": "get_weather", "arguments": ${args}}`, "</tool_call>"] });
    valid = await engine.loadModel(await tagged('{"city": "Paris"}'), { id: "valid", contextSize: 2048 });
    malformed = await engine.loadModel(await tagged('{"city": }'), { id: "malformed", contextSize: 2048 });
    teacher = await startScriptedTeacher(() => ({ toolCalls: [{ name: "get_weather", arguments: { city: "Paris" } }] }));
  });
  afterAll(async () => {
    await teacher?.close();
    await engine?.dispose();
  });

  function routerFor(local: LocalModel, withTeacher: boolean) {
    const seen = observed(local);
    const targets: RouterTarget[] = [{ id: `local:${local.modelId}`, model: seen.model, leavesMachine: false, local: { contextLength: 2048, tokenCounter: local } }];
    if (withTeacher) {
      const model = new OpenAICompatibleModel({ provider: "openai", modelId: "teacher", baseURL: teacher.url, apiKey: "sk-test" });
      targets.push({ id: "openai:teacher", model, leavesMachine: true, retry: { maxRetries: 0 } });
    }
    const router = new Router({
      targets,
      routes: { default: { type: "fallback", targets: targets.map((t) => ({ type: "target" as const, target: t.id })) } },
      consent: { policy: "allow" },
    });
    return { router, requests: seen.requests };
  }

  it("a valid <tool_call> from the local model is its answer: a tool call, no repair, no teacher", async () => {
    const before = teacher.requests.length;
    const { router, requests } = routerFor(valid, true);
    const result = await router.doGenerate(ask);
    expect(result.provenance).toMatchObject({ provider: "local", reason: "local" });
    expect(result.content).toEqual([{ type: "tool-call", toolCallId: expect.any(String), toolName: "get_weather", input: { city: "Paris" } }]);
    expect(result.finishReason).toBe("tool-calls");
    expect(requests).toHaveLength(1);
    expect(teacher.requests.length).toBe(before);
  });

  it("a malformed call gets one repair turn, then the teacher answers with reason tool-call", async () => {
    const before = teacher.requests.length;
    const { router, requests } = routerFor(malformed, true);
    const result = await router.doGenerate(ask);
    expect(requests).toHaveLength(2);
    expect(requests[1]!.messages.at(-1)).toMatchObject({ role: "tool", content: [{ isError: true, output: expect.stringContaining("not valid JSON") }] });
    expect(teacher.requests.length).toBe(before + 1);
    expect(result.provenance).toMatchObject({ provider: "openai", model: "teacher", reason: "tool-call" });
    expect(result.content.find((p) => p.type === "tool-call")).toMatchObject({ toolName: "get_weather", input: { city: "Paris" } });
    expect(router.log.list()[0]).toMatchObject({
      outcome: "ok",
      reason: "tool-call",
      attempts: [
        { target: "local:malformed", outcome: "failed", detail: "tool-call" },
        { target: "openai:teacher", outcome: "ok" },
      ],
    });
  });

  it("with no teacher to escalate to, the client is told so with a 4xx", async () => {
    const { router, requests } = routerFor(malformed, false);
    const error = await router.doGenerate(ask).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WrenError);
    expect(error).toMatchObject({ code: "unsupported", message: expect.stringContaining("still invalid after one repair turn"), hint: expect.stringContaining("teacher") });
    expect(httpStatusOf(error as WrenError)).toBe(400);
    expect(requests).toHaveLength(2);
  });
});
