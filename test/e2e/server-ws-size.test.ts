import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WebSocket } from "ws";
import { startServer, type RunningServer } from "../../src/runtime/serve.js";
import { CHAT_MODEL_REPLY, hasSharedModels, sharedModels } from "../helpers/shared-models.js";

const MAX_BODY = 64 * 1024;

function open(url: string): Promise<WebSocket> {
  const ws = new WebSocket(`${url.replace("http", "ws")}/v1/ws`);
  return new Promise((resolve, reject) => ws.once("open", () => resolve(ws)).once("error", reject));
}

describe.runIf(hasSharedModels)("WebSocket /v1/ws message size", () => {
  let server: RunningServer;

  beforeAll(async () => {
    server = await startServer({ models: [{ path: sharedModels.chat, id: "chat", contextSize: 512, sequences: 1 }], port: 0, gpu: "cpu", threads: 1, maxBodyBytes: MAX_BODY });
  });
  afterAll(async () => {
    await server?.close();
  });

  it("closes the socket with 1009 for a message over server.maxBodyBytes, as HTTP answers 413", async () => {
    const ws = await open(server.url);
    const closed = new Promise<number>((resolve) => ws.once("close", (code) => resolve(code)));
    ws.send(JSON.stringify({ model: "chat", messages: [{ role: "user", content: "x".repeat(MAX_BODY) }] }));
    expect(await closed).toBe(1009);
  });

  it("still answers a message within the limit, on a new socket", async () => {
    const ws = await open(server.url);
    const messages: string[] = [];
    const done = new Promise<void>((resolve) =>
      ws.on("message", (data: Buffer) => {
        messages.push(data.toString());
        if (data.toString() === "[DONE]" || data.toString().includes('"error"')) resolve();
      }),
    );
    // Near the limit, in a field the model never sees (the prompt must fit a 512-token context).
    ws.send(JSON.stringify({ model: "chat", messages: [{ role: "user", content: "Hi" }], max_tokens: 16, user: "x".repeat(MAX_BODY - 200) }));
    await done;
    ws.close();
    expect(messages.at(-1)).toBe("[DONE]");
    const text = messages.slice(0, -1).map((m) => (JSON.parse(m) as { choices: Array<{ delta: { content?: string } }> }).choices[0]?.delta.content ?? "").join("");
    expect(text).toBe(CHAT_MODEL_REPLY);
  });
});
