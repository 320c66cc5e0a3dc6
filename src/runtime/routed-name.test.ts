import { describe, expect, it } from "vitest";
import { defaultConfig } from "../config/index.js";
import { isRoutedModelName } from "./routed-name.js";

describe("isRoutedModelName: which --model values wren run sends through the router", () => {
  const config = defaultConfig({ env: {} }, {
    models: { aliases: { "openai:mine": "./mine.gguf" } },
    router: { routes: { smart: "openai:gpt-4.1" }, providers: { work: { baseURL: "http://127.0.0.1:9/v1" } } },
  });

  it("routes auto, default, configured routes and provider:model with a known or configured provider", () => {
    for (const name of ["auto", "default", "smart", "openai:gpt-4o-mini", "anthropic:claude-sonnet-4-6", "GROQ:llama", "ollama:llama3", "work:m"]) {
      expect(isRoutedModelName(name, config), name).toBe(true);
    }
  });

  it("keeps files, aliases, hf refs, URLs and store names local", () => {
    for (const name of [undefined, "", "./model.gguf", "package.json", "openai:mine", "hf:org/repo:Q4_K_M", "https://x.test/m.gguf", "qwen3:0.6b", "local:qwen", "tiny"]) {
      expect(isRoutedModelName(name, config), String(name)).toBe(false);
    }
  });
});
