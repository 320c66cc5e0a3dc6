import Anthropic from "@anthropic-ai/sdk";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { defaultConfig } from "../../src/config/index.js";
import { startServer, type RunningServer } from "../../src/runtime/serve.js";
import { serveChatModel } from "../helpers/enum-answers.js";
import { hasSharedModels } from "../helpers/shared-models.js";

/**
 * An Anthropic client's prefill through one wren to another: the first, with no model of its own,
 * sends every request to the `wren` preset, the second serves the shared chat model.
 */
describe.runIf(hasSharedModels)("an Anthropic prefill through wren to another wren", () => {
  let other: RunningServer;
  let front: RunningServer;
  let anthropic: Anthropic;

  beforeAll(async () => {
    other = await serveChatModel();
    front = await startServer({
      models: [],
      host: "127.0.0.1",
      port: 0,
      env: {},
      router: defaultConfig({ env: {} }, { router: { healthIntervalMs: 0, teachers: ["wren:chat"], providers: { wren: { baseURL: `${other.url}/v1` } } } }).router,
    });
    anthropic = new Anthropic({ baseURL: front.url, apiKey: "unused", maxRetries: 0 });
  });
  afterAll(async () => {
    await front?.close();
    await other?.close();
  });

  it("is continued by the other wren's model: the client gets only the rest of its message, streamed or not", async () => {
    const messages: Anthropic.MessageParam[] = [
      { role: "user", content: "Say hello." },
      { role: "assistant", content: "Hello from the" },
    ];
    const message = await anthropic.messages.create({ model: "wren:chat", max_tokens: 64, messages }).withResponse();
    expect(message.response.headers.get("x-wren-provider")).toBe("wren");
    expect(message.data.content).toEqual([{ type: "text", text: " tiny synthetic model." }]);
    expect(message.data.stop_reason).toBe("end_turn");
    expect(await anthropic.messages.stream({ model: "wren:chat", max_tokens: 64, messages }).finalText()).toBe(" tiny synthetic model.");
  });
});
