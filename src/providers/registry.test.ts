import { describe, expect, it } from "vitest";
import { createModel, parseModelRef } from "./registry.js";

describe("provider registry", () => {
  it("parses provider:model and provider/model ids", () => {
    expect(parseModelRef("openai:gpt-4o-mini")).toEqual({ provider: "openai", modelId: "gpt-4o-mini" });
    expect(parseModelRef("openrouter/meta-llama/llama-3.1-8b")).toEqual({ provider: "openrouter", modelId: "meta-llama/llama-3.1-8b" });
    expect(() => parseModelRef("gpt")).toThrow(expect.objectContaining({ code: "bad_request", hint: expect.stringContaining("provider:model") }));
  });

  it.each([
    ["openai:gpt-4o", "OPENAI_API_KEY"],
    ["anthropic:claude-sonnet-4-6", "ANTHROPIC_API_KEY"],
    ["gemini:gemini-2.5-flash", "GEMINI_API_KEY"],
    ["xai:grok-4", "XAI_API_KEY"],
    ["mistral:mistral-large-latest", "MISTRAL_API_KEY"],
    ["groq:llama-3.3-70b-versatile", "GROQ_API_KEY"],
  ])("a missing key for %s is an error naming %s", (ref, envVar) => {
    expect(() => createModel(ref, { env: {} })).toThrow(expect.objectContaining({ code: "unauthorized", message: expect.stringContaining(envVar) }));
  });

  it("takes keys from the environment or config, and knows which targets leave the machine", () => {
    const openai = createModel("openai:gpt-4o", { env: { OPENAI_API_KEY: "sk" } });
    expect(openai.model.provider).toBe("openai");
    expect(openai.leavesMachine).toBe(true);
    const groq = createModel("groq:llama", { env: {}, providers: { groq: { apiKey: "gk" } } });
    expect(groq.baseURL).toBe("https://api.groq.com/openai/v1");
    const vllm = createModel("vllm:qwen", { env: {} });
    expect(vllm.leavesMachine).toBe(false);
    const ollama = createModel("ollama:llama3.2", { env: {} });
    expect(ollama.model.provider).toBe("ollama");
    const custom = createModel("mybox:m", { env: {}, providers: { mybox: { baseURL: "http://127.0.0.1:9/v1" } } });
    expect(custom.leavesMachine).toBe(false);
    expect(() => createModel("nowhere:m", { env: {}, providers: { nowhere: {} } })).toThrow(/no baseURL/);
    expect(() => createModel("local:qwen", { env: {} })).toThrow(/proxy-only/);
  });

  it("says a provider it does not know is no model, route or provider (not a missing base URL)", () => {
    expect(() => createModel("nope:x")).toThrow(expect.objectContaining({ code: "model_not_found", message: 'No model, route or provider named "nope:x".' }));
    expect(() => createModel("acme:x", { providers: { acme: {} } })).toThrow(expect.objectContaining({ code: "config_invalid" }));
  });
});
