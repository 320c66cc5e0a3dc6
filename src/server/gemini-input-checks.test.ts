import type { AddressInfo } from "node:net";
import { serve, type ServerType } from "@hono/node-server";
import { ApiError, GoogleGenAI } from "@google/genai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ScriptedHost, ScriptedModel } from "../../test/helpers/scripted-host.js";
import { createServerApp } from "./app.js";

async function apiError(promise: Promise<unknown>): Promise<ApiError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ApiError);
  return error as ApiError;
}

// Requests Gemini itself refuses reach no model here either: the official client gets
// ApiError 400 INVALID_ARGUMENT saying what to change.
describe("Gemini requests wren cannot pass to a model, with @google/genai on loopback", () => {
  const model = new ScriptedModel("tiny", () => ({ text: "Hello there" }));
  let server: ServerType;
  let ai: GoogleGenAI;

  beforeAll(async () => {
    const { app } = createServerApp({ host: new ScriptedHost(new Map([["tiny", model]])) });
    server = await new Promise<ServerType>((resolve) => {
      const s = serve({ fetch: app.fetch, hostname: "127.0.0.1", port: 0 }, () => resolve(s));
    });
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    ai = new GoogleGenAI({ apiKey: "k", httpOptions: { baseUrl: url, retryOptions: { attempts: 1 } } });
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  it("a function declaration whose name Gemini does not allow (spaces, quotes, too long, leading digit) is refused, streamed or not", async () => {
    const seen = model.requests.length;
    for (const name of ['get weather"', "a\nb", "x".repeat(65), "1st"]) {
      const config = { tools: [{ functionDeclarations: [{ name, parametersJsonSchema: { type: "object", properties: {} } }] }] };
      const error = await apiError(ai.models.generateContent({ model: "tiny", contents: "hi", config }));
      expect(error.status).toBe(400);
      expect(error.message).toContain("INVALID_ARGUMENT");
      expect(error.message).toContain("tools.0.functionDeclarations.0.name");
      expect((await apiError(ai.models.generateContentStream({ model: "tiny", contents: "hi", config }))).status).toBe(400);
    }
    expect(model.requests.length).toBe(seen);
  });

  it("a function call or response in the history whose name Gemini does not allow is refused, naming the part", async () => {
    const seen = model.requests.length;
    const call = { role: "model", parts: [{ functionCall: { name: "run it", args: {} } }] };
    const response = { role: "user", parts: [{ functionResponse: { name: "run it", response: { output: "ok" } } }] };
    const error = await apiError(ai.models.generateContent({ model: "tiny", contents: [{ role: "user", parts: [{ text: "go" }] }, call, response] }));
    expect(error.status).toBe(400);
    expect(error.message).toContain("contents.1.parts.0.functionCall.name");
    const alone = await apiError(ai.models.generateContent({ model: "tiny", contents: [response] }));
    expect(alone.message).toContain("contents.0.parts.0.functionResponse.name");
    expect(model.requests.length).toBe(seen);
  });

  it("names Gemini allows (dots, colons, dashes, a leading underscore, 64 characters) are offered to the model as they are", async () => {
    const names = ["mcp.server:tool", "_private-fn", "a".repeat(64)];
    const config = { tools: [{ functionDeclarations: names.map((name) => ({ name, parametersJsonSchema: { type: "object", properties: {} } })) }] };
    const res = await ai.models.generateContent({ model: "tiny", contents: "hi", config });
    expect(res.text).toBe("Hello there");
    expect(model.requests.at(-1)?.tools?.map((t) => t.name)).toEqual(names);
  });

  it("contents with nothing to read (no parts, or empty ones) are refused rather than sent to the model as an empty conversation", async () => {
    const seen = model.requests.length;
    for (const contents of [[{ role: "user", parts: [] }], [{ role: "user", parts: [{}] }], [{ role: "user" }]]) {
      const error = await apiError(ai.models.generateContent({ model: "tiny", contents }));
      expect(error.status).toBe(400);
      expect(error.message).toContain("INVALID_ARGUMENT");
      expect(error.message).toContain("contents");
    }
    expect(model.requests.length).toBe(seen);
  });
});
