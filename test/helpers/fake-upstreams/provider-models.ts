import type { LanguageModel } from "../../../src/protocol/index.js";
import { AnthropicModel } from "../../../src/providers/anthropic/model.js";
import { GeminiModel } from "../../../src/providers/gemini/model.js";
import { OllamaModel } from "../../../src/providers/ollama/model.js";
import { OpenAICompatibleModel } from "../../../src/providers/openai-compatible/model.js";
import type { DialectName } from "./dialects.js";

/** wren's provider model for a dialect, pointed at a stand-in of that provider at `url` (its origin). */
export function providerModelFor(dialect: DialectName, url: string): LanguageModel {
  switch (dialect) {
    case "openai":
      return new OpenAICompatibleModel({ provider: "openai", modelId: "gpt-4o-mini", baseURL: `${url}/v1`, apiKey: "sk" });
    case "anthropic":
      return new AnthropicModel({ modelId: "claude-sonnet-4-6", apiKey: "sk", baseURL: url });
    case "gemini":
      return new GeminiModel({ modelId: "gemini-2.5-flash", apiKey: "sk", baseURL: url });
    case "ollama":
      return new OllamaModel({ modelId: "llama3.2", baseURL: url });
  }
}
