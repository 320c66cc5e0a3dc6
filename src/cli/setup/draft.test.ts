import { describe, expect, it } from "vitest";
import { createConfigSchema } from "../../config/config-schema.js";
import { sectionContext } from "../../config/load-config.js";
import { applyDraft, draftFromValues } from "./draft.js";

const file = {
  engine: { threads: 2 },
  models: { default: "my-model", aliases: { tiny: "hf:org/repo:Q8_0" } },
  router: {
    cloud: "never",
    teachers: ["anthropic:claude-sonnet-4-6", "vllm:qwen", "vllm:llama"],
    providers: { vllm: { baseURL: "http://127.0.0.1:8000/v1", apiKey: "sk-old" }, groq: { apiKeyEnv: "MY_GROQ" } },
    retry: { maxRetries: 3 },
  },
  mcp: { servers: { files: { command: "npx", args: ["-y", "fs"] } }, projectFile: false },
};

describe("wren setup's draft of the user config", () => {
  it("reads the current values: providers from teachers and settings, keys only as present", () => {
    const draft = draftFromValues(file);
    expect(draft).toMatchObject({ local: true, model: "my-model", cloud: "never", mcp: { files: { command: "npx" } } });
    expect(draft.providers.map((p) => [p.name, p.model, p.hasKey])).toEqual([
      ["anthropic", "claude-sonnet-4-6", false],
      ["vllm", "qwen", true],
      ["groq", "", false],
    ]);
    expect(JSON.stringify(draft.providers.map((p) => ({ ...p, settings: undefined })))).not.toContain("sk-old");
  });

  it("unchanged, writes back what it read, and everything it does not ask about stays", () => {
    const out = applyDraft(file, draftFromValues(file));
    expect(out["engine"]).toEqual(file.engine);
    expect(out["models"]).toEqual(file.models);
    expect(out["mcp"]).toEqual(file.mcp);
    expect(out["router"]).toMatchObject({ cloud: "never", retry: { maxRetries: 3 }, providers: file.router.providers });
    // In the same order: it is the order the router tries them in.
    expect((out["router"] as { teachers: string[] }).teachers).toEqual(file.router.teachers);
  });

  it("a deleted provider leaves teachers and providers; a new key replaces the variable; proxy-only is set", () => {
    const draft = draftFromValues(file);
    draft.local = false;
    draft.providers = draft.providers.filter((p) => p.name !== "vllm").map((p) => (p.name === "groq" ? { ...p, model: "llama", newKey: "gsk-new", hasKey: true } : p));
    const out = applyDraft(file, draft);
    expect(out["router"]).toMatchObject({
      proxyOnly: true,
      teachers: ["anthropic:claude-sonnet-4-6", "groq:llama"],
      providers: { groq: { apiKey: "gsk-new" } },
    });
    expect((out["router"] as { providers: Record<string, unknown> }).providers).not.toHaveProperty("vllm");
    expect((out["router"] as { providers: Record<string, Record<string, unknown>> }).providers["groq"]).not.toHaveProperty("apiKeyEnv");
    expect(createConfigSchema(sectionContext()).safeParse(out).success).toBe(true);
  });

  it("an empty file becomes a config that validates", () => {
    const out = applyDraft({}, { ...draftFromValues({}), model: "qwen2.5-0.5b" });
    expect(out["models"]).toEqual({ default: "qwen2.5-0.5b" });
    expect(createConfigSchema(sectionContext()).safeParse(out).success).toBe(true);
  });
});
