import { describe, expect, it } from "vitest";
import { ScriptedHost, ScriptedModel } from "../../test/helpers/scripted-host.js";
import type { PeerInfo } from "../wire/peer/info.js";
import { createServerApp } from "./app.js";

describe("the server app's routing", () => {
  const host = new ScriptedHost(new Map([["tiny", new ScriptedModel("tiny", () => ({ text: "hi" }))]]), { parallel: 1 });
  const { app } = createServerApp({ host, websocket: true, peer: { key: "peer-key-of-16-chars", info: () => ({}) as PeerInfo }, decisions: { list: () => [], stats: () => ({ requests: 0, errors: 0, fallbacks: 0, costUsd: 0, byTarget: {} }) } });

  // Every optional route on: the WebSocket, the router's decisions, LAN peers.
  it("keeps hono's RegExpRouter for every route of every dialect: routes it cannot take would make every request use the slower TrieRouter", async () => {
    await app.request("/health");
    expect((app.router as unknown as { activeRouter: { name: string } }).activeRouter.name).toBe("RegExpRouter");
  });

  it("answers 404 in OpenAI's shape for a POST under /v1/responses/ that is no route (input_tokens is one)", async () => {
    const res = await app.request("/v1/responses/resp_123", { method: "POST", headers: { "content-type": "application/json", authorization: "Bearer peer-key-of-16-chars" }, body: "{}" });
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ error: { message: expect.stringContaining("There is no route POST /v1/responses/resp_123") as string } });
  });

  it("answers 405 with Allow, in the caller's dialect, for a path that exists under another method", async () => {
    const auth = { authorization: "Bearer peer-key-of-16-chars" };
    const openai = await app.request("/v1/embeddings", { method: "GET", headers: auth });
    expect(openai.status).toBe(405);
    expect(openai.headers.get("allow")).toBe("POST");
    expect(await openai.json()).toEqual({ error: { message: "/v1/embeddings takes POST, not GET.", type: "invalid_request_error", param: null, code: "method_not_allowed" } });
    // GET of /v1/chat/completions lists stored completions, as OpenAI's does; PUT is no method of it.
    const chat = await app.request("/v1/chat/completions", { method: "PUT", headers: auth });
    expect(chat.status).toBe(405);
    expect(chat.headers.get("allow")).toBe("GET, POST");
    const ollama = await app.request("/api/tags", { method: "PUT", headers: auth });
    expect(ollama.status).toBe(405);
    expect(await ollama.json()).toEqual({ error: "/api/tags takes GET, not PUT." });
    const anthropic = await app.request("/v1/messages", { method: "GET", headers: auth });
    expect(anthropic.status).toBe(405);
    expect(anthropic.headers.get("allow")).toBe("POST");
    expect(await anthropic.json()).toEqual({ type: "error", error: { type: "invalid_request_error", message: "/v1/messages takes POST, not GET." } });
    const gemini = await app.request("/v1beta/models", { method: "POST", headers: auth });
    expect(gemini.status).toBe(405);
    expect(gemini.headers.get("allow")).toBe("GET");
    expect(await gemini.json()).toMatchObject({ error: { code: 405, message: "/v1beta/models takes GET, not POST.", status: "UNIMPLEMENTED", details: [{ reason: "METHOD_NOT_ALLOWED" }] } });
    const models = await app.request("/v1/models/tiny", { method: "DELETE", headers: auth });
    expect(models.status).toBe(405);
    expect(models.headers.get("allow")).toContain("GET");
    // A path no method has stays a 404.
    expect((await app.request("/v1/nothing-here", { method: "GET", headers: auth })).status).toBe(404);
    expect((await app.request("/v1/nothing-here", { method: "POST", headers: auth })).status).toBe(404);
  });
});
