import { describe, expect, it } from "vitest";
import { ScriptedHost, ScriptedModel } from "../../test/helpers/scripted-host.js";
import { createServerApp, type ServerAppOptions } from "./app.js";

/**
 * A web page open in the user's browser can send requests to wren on 127.0.0.1 with no CORS at all:
 * a "simple" POST (`text/plain`, which the OpenAI and Ollama routes read as JSON) goes out unasked,
 * and a WebSocket is never subject to CORS. The browser always names the page's origin (`Origin`),
 * which no SDK, curl or wren command sends: a request from an origin that `server.cors` does not allow
 * (nor the server's own) is refused before it reaches a model, so a page cannot spend the user's
 * teachers' keys, pull models or use the local model.
 */
function setup(options: Partial<ServerAppOptions> = {}) {
  const model = new ScriptedModel("tiny", () => ({ text: "abcd", chunk: 2 }));
  const host = new ScriptedHost(new Map([["tiny", model]]));
  const { app } = createServerApp({ host, version: "9.9.9", ...options });
  const post = (path: string, headers: Record<string, string>, body: unknown) =>
    Promise.resolve(app.request(`http://127.0.0.1:11435${path}`, { method: "POST", headers: { "content-type": "text/plain;charset=UTF-8", ...headers }, body: JSON.stringify(body) }));
  const chat = { model: "tiny", messages: [{ role: "user", content: "hi" }], stream: false };
  return { model, post, chat };
}

describe("requests from web pages of other origins", () => {
  it("are refused (403, in the route's dialect) while server.cors allows none, before any model is called", async () => {
    const { model, post, chat } = setup();
    const openai = await post("/v1/chat/completions", { origin: "https://evil.example" }, chat);
    expect(openai.status).toBe(403);
    expect(await openai.json()).toMatchObject({ error: { code: "forbidden" } });
    const ollama = await post("/api/chat", { origin: "https://evil.example" }, chat);
    expect(ollama.status).toBe(403);
    expect(((await ollama.json()) as { error: string }).error).toContain("https://evil.example");
    expect((await post("/v1/chat/completions", { origin: "null" }, chat)).status).toBe(403);
    expect(model.requests).toHaveLength(0);
  });

  it("are answered from the server's own origin, from an origin server.cors allows, and without an Origin (SDKs, curl)", async () => {
    const plain = setup();
    expect((await plain.post("/v1/chat/completions", {}, plain.chat)).status).toBe(200);
    expect((await plain.post("/v1/chat/completions", { origin: "http://127.0.0.1:11435" }, plain.chat)).status).toBe(200);
    const listed = setup({ corsOrigins: ["http://app.test"] });
    expect((await listed.post("/v1/chat/completions", { origin: "http://app.test" }, listed.chat)).status).toBe(200);
    expect((await listed.post("/v1/chat/completions", { origin: "https://evil.example" }, listed.chat)).status).toBe(403);
    const any = setup({ corsOrigins: ["*"] });
    expect((await any.post("/v1/chat/completions", { origin: "https://evil.example" }, any.chat)).status).toBe(200);
  });
});

describe("what a browser on this machine may still do, and DNS rebinding", () => {
  it("lets in pages served from this machine and desktop apps' own origins, as Ollama does", async () => {
    const { post, chat } = setup();
    for (const origin of ["http://localhost:3000", "http://127.0.0.1:8080", "https://localhost", "http://[::1]:5173", "http://0.0.0.0:8000", "app://obsidian.md", "tauri://localhost", "vscode-webview://1a2b3c", "vscode-file://vscode-app"]) {
      expect((await post("/v1/chat/completions", { origin }, chat)).status, origin).toBe(200);
    }
    for (const origin of ["http://localhost.evil.example", "http://127.0.0.1.evil.example", "chrome-extension://abcdef"]) {
      expect((await post("/v1/chat/completions", { origin }, chat)).status, origin).toBe(403);
    }
  });

  it("refuses, on a server only this machine reaches, a request that names another host: a page whose name now resolves to 127.0.0.1", async () => {
    const model = new ScriptedModel("tiny", () => ({ text: "abcd", chunk: 2 }));
    const { app } = createServerApp({ host: new ScriptedHost(new Map([["tiny", model]])), version: "9.9.9" });
    const chat = JSON.stringify({ model: "tiny", messages: [{ role: "user", content: "hi" }], stream: false });
    const send = (url: string, headers: Record<string, string> = {}) => Promise.resolve(app.request(url, { method: "POST", headers: { "content-type": "application/json", ...headers }, body: chat }));
    // Same origin as far as the browser knows: the page and its requests both name evil.example.
    const rebound = await send("http://evil.example:11435/v1/chat/completions", { origin: "http://evil.example:11435" });
    expect(rebound.status).toBe(403);
    expect(await rebound.json()).toMatchObject({ error: { code: "forbidden", message: expect.stringContaining("evil.example") } });
    expect((await send("http://evil.example:11435/v1/chat/completions")).status).toBe(403);
    expect(model.requests).toHaveLength(0);
    for (const host of ["127.0.0.1:11435", "localhost:11435", "[::1]:11435", "wren.localhost:11435"]) expect((await send(`http://${host}/v1/chat/completions`)).status, host).toBe(200);
    // A server exposed on purpose (it then requires a key) answers to the names its network gives it.
    const exposed = createServerApp({ host: new ScriptedHost(new Map([["tiny", model]])), version: "9.9.9", exposed: true, apiKey: "k" }).app;
    const there = await exposed.request("http://gpu-box.lan:11435/v1/chat/completions", { method: "POST", headers: { "content-type": "application/json", authorization: "Bearer k" }, body: chat });
    expect(there.status).toBe(200);
  });
});
