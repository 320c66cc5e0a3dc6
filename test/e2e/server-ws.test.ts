import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WebSocket } from "ws";
import { startServer, type RunningServer } from "../../src/runtime/serve.js";
import { CHAT_MODEL_REPLY, hasSharedModels, sharedModels } from "../helpers/shared-models.js";

/** Collects the messages of one generation (until [DONE] or an error). */
function nextGeneration(ws: WebSocket, onChunk?: (count: number) => void): Promise<{ chunks: Array<Record<string, unknown>>; errors: unknown[] }> {
  return new Promise((resolve) => {
    const chunks: Array<Record<string, unknown>> = [];
    const errors: unknown[] = [];
    const onMessage = (data: Buffer): void => {
      const text = data.toString();
      if (text === "[DONE]") {
        ws.off("message", onMessage);
        resolve({ chunks, errors });
        return;
      }
      const json = JSON.parse(text) as Record<string, unknown>;
      if ("error" in json) {
        errors.push(json);
        if (chunks.length === 0) {
          ws.off("message", onMessage);
          resolve({ chunks, errors });
        }
        return;
      }
      chunks.push(json);
      onChunk?.(chunks.length);
    };
    ws.on("message", onMessage);
  });
}

type Chunk = { choices: Array<{ delta: { content?: string }; finish_reason: string | null }> };
const textOf = (chunks: Array<Record<string, unknown>>): string => chunks.map((c) => (c as Chunk).choices[0]?.delta.content ?? "").join("");

describe.runIf(hasSharedModels)("WebSocket /v1/ws", () => {
  let server: RunningServer;
  let ws: WebSocket;

  beforeAll(async () => {
    server = await startServer({
      models: [
        { path: sharedModels.chat, id: "chat", contextSize: 512, sequences: 2 },
        { path: sharedModels.stories, id: "stories", contextSize: 1024, sequences: 2 },
      ],
      port: 0,
      gpu: "cpu",
      threads: 1,
      preload: true,
    });
    ws = new WebSocket(`${server.url.replace("http", "ws")}/v1/ws`);
    await new Promise((resolve, reject) => ws.once("open", resolve).once("error", reject));
  });
  afterAll(async () => {
    ws?.close();
    await server?.close();
  });

  it("streams the same chunks as SSE for a chat request", async () => {
    const done = nextGeneration(ws);
    ws.send(JSON.stringify({ model: "chat", messages: [{ role: "user", content: "hi" }], stream_options: { include_usage: true } }));
    const { chunks, errors } = await done;
    expect(errors).toEqual([]);
    expect(chunks[0]).toMatchObject({ object: "chat.completion.chunk", choices: [{ delta: { role: "assistant" } }] });
    expect(textOf(chunks)).toBe(CHAT_MODEL_REPLY);
    expect(chunks.at(-1)).toMatchObject({ choices: [], usage: { prompt_tokens: expect.any(Number) as number } });
  });

  it("keeps a chat completion sent with store: true, as the HTTP route does, for retrieve, list and messages", async () => {
    const done = nextGeneration(ws);
    const messages = [{ role: "user", content: "hi" }];
    ws.send(JSON.stringify({ model: "chat", messages, store: true, metadata: { via: "ws" } }));
    const { chunks, errors } = await done;
    expect(errors).toEqual([]);
    const id = chunks[0]?.id as string;
    const stored = await fetch(`${server.url}/v1/chat/completions/${id}`);
    expect(stored.status).toBe(200);
    expect(await stored.json()).toMatchObject({ id, object: "chat.completion", metadata: { via: "ws" }, choices: [{ message: { role: "assistant", content: CHAT_MODEL_REPLY }, finish_reason: "stop" }] });
    const listed = (await (await fetch(`${server.url}/v1/chat/completions?metadata[via]=ws`)).json()) as { data: Array<{ id: string }> };
    expect(listed.data.map((c) => c.id)).toEqual([id]);
    const kept = (await (await fetch(`${server.url}/v1/chat/completions/${id}/messages`)).json()) as { data: unknown[] };
    expect(kept.data).toMatchObject([{ id: `${id}-0`, role: "user", content: "hi" }]);
    // Without store: true, nothing is kept.
    const unstored = nextGeneration(ws);
    ws.send(JSON.stringify({ model: "chat", messages }));
    const other = (await unstored).chunks[0]?.id as string;
    expect((await fetch(`${server.url}/v1/chat/completions/${other}`)).status).toBe(404);
  });

  it("cancels a generation mid-stream on {type: cancel} and keeps the socket usable", async () => {
    const done = nextGeneration(ws, (n) => {
      if (n === 5) ws.send(JSON.stringify({ type: "cancel" }));
    });
    ws.send(JSON.stringify({ model: "stories", messages: [{ role: "user", content: "Tell a long story." }], max_tokens: 900 }));
    const { chunks } = await done;
    expect(chunks.length).toBeGreaterThanOrEqual(5);
    expect(chunks.length).toBeLessThan(200);
    expect((chunks.at(-1) as Chunk).choices[0]?.finish_reason).toBe("stop");
    const again = nextGeneration(ws);
    ws.send(JSON.stringify({ model: "chat", messages: [{ role: "user", content: "hi" }] }));
    expect(textOf((await again).chunks)).toBe(CHAT_MODEL_REPLY);
  });

  it("answers a bad request with an OpenAI error message", async () => {
    const done = nextGeneration(ws);
    ws.send(JSON.stringify({ model: "ghost", messages: [{ role: "user", content: "hi" }] }));
    const { errors } = await done;
    expect(errors[0]).toMatchObject({ error: { code: "model_not_found" } });
    const bad = nextGeneration(ws);
    ws.send("not json");
    // Worded for a message: nothing about a content-type, which a socket has none of.
    const notJson = { error: { code: "bad_request", message: expect.stringMatching(/^The message is not valid JSON \(.+\)\. Send the chat request as one JSON text message\.$/) as string } };
    expect((await bad).errors[0]).toMatchObject(notJson);
    // A large one is parsed on the body-parsing worker: the same words.
    const badLarge = nextGeneration(ws);
    ws.send(`{"model":"chat","messages":[{"role":"user","content":"${"x".repeat(100_000)}"}]`);
    expect((await badLarge).errors[0]).toMatchObject(notJson);
    const binary = nextGeneration(ws);
    ws.send(Buffer.from(JSON.stringify({ model: "chat", messages: [{ role: "user", content: "hi" }] })));
    expect((await binary).errors[0]).toMatchObject({ error: { code: "bad_request", message: expect.stringContaining("not a binary frame") as string } });
  });

  it("answers a message of megabytes, which is parsed on the body-parsing worker as a large HTTP body is", async () => {
    const done = nextGeneration(ws);
    // 2 MB in a field the model never sees (logit_bias for tokens it will not produce).
    const bias = Object.fromEntries(Array.from({ length: 150_000 }, (_, i) => [String(1_000_000 + i), 0]));
    ws.send(JSON.stringify({ model: "chat", messages: [{ role: "user", content: "hi" }], logit_bias: bias }));
    const { chunks, errors } = await done;
    expect(errors).toEqual([]);
    expect(textOf(chunks)).toBe(CHAT_MODEL_REPLY);
  });

  it("refuses a bad message, small or of megabytes, with the same error naming its first problem", async () => {
    const messages = [
      { model: "chat", messages: [{ role: "user", content: [1, 2, 3] }] },
      { model: "chat", messages: [{ role: "user", content: Array.from({ length: 500_000 }, (_, i) => i) }] },
    ];
    const refusals: unknown[] = [];
    for (const message of messages) {
      const done = nextGeneration(ws);
      ws.send(JSON.stringify(message));
      refusals.push((await done).errors[0]);
    }
    expect(refusals[0]).toMatchObject({ error: { code: "bad_request", message: expect.stringContaining("messages.0.content") as string } });
    expect(refusals[1]).toEqual(refusals[0]);
    // The socket is free again for a good request.
    const again = nextGeneration(ws);
    ws.send(JSON.stringify({ model: "chat", messages: [{ role: "user", content: "hi" }] }));
    expect(textOf((await again).chunks)).toBe(CHAT_MODEL_REPLY);
  });
});
