import type { AddressInfo } from "node:net";
import { serve, type ServerType } from "@hono/node-server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ScriptedHost, ScriptedModel } from "../../test/helpers/scripted-host.js";
import { PEER_SIGNATURE_SKEW_MS, signPeerRequest } from "../shared/peer-signature.js";
import { createServerApp } from "./app.js";

const KEY = "peers-key-for-signature-tests";
const API_KEY = "api-key-for-signature-tests";

/** A wren server with a peers key, served by Node on loopback, and requests signed as another wren signs them. */
describe("a peer's signed requests", () => {
  let server: ServerType;
  let url = "";

  beforeAll(async () => {
    const model = new ScriptedModel("tiny", () => ({ text: "Hello, peer." }));
    const { app } = createServerApp({
      host: new ScriptedHost(new Map([["tiny", model]]), { parallel: 2, maxQueued: 4 }),
      apiKey: API_KEY,
      peer: { key: KEY, info: () => ({ name: "beta", models: [{ id: "tiny" }] }) },
    });
    server = await new Promise<ServerType>((resolve) => {
      const s = serve({ fetch: app.fetch, hostname: "127.0.0.1", port: 0 }, () => resolve(s));
    });
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  const chatBody = (content = "hi") => JSON.stringify({ model: "tiny", messages: [{ role: "user", content }] });
  const post = (path: string, body: string, authorization: string, extra: Record<string, string> = {}) =>
    fetch(`${url}${path}`, { method: "POST", headers: { "content-type": "application/json", authorization, ...extra }, body });
  const refusal = async (response: Response, status = 401): Promise<string> => {
    expect(response.status).toBe(status);
    const body = (await response.json()) as { error: { message: string } } | { type: string; error: { message: string } };
    return body.error.message;
  };

  it("accepts a signed chat request and a signed GET of /v1/peer/info, and the key is not what was sent", async () => {
    const body = chatBody();
    const authorization = signPeerRequest(KEY, { method: "POST", path: "/v1/chat/completions", body });
    expect(authorization).not.toContain(KEY);
    const response = await post("/v1/chat/completions", body, authorization);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ choices: [{ message: { content: "Hello, peer." } }] });
    const info = await fetch(`${url}/v1/peer/info`, { headers: { authorization: signPeerRequest(KEY, { method: "GET", path: "/v1/peer/info" }) } });
    expect(info.status).toBe(200);
    expect(await info.json()).toMatchObject({ name: "beta" });
  });

  it("signs the query too: a path whose query was changed is refused", async () => {
    const body = chatBody();
    const signed = signPeerRequest(KEY, { method: "POST", path: "/v1beta/models/tiny:generateContent?alt=sse", body });
    const message = await refusal(await post("/v1beta/models/tiny:generateContent", body, signed));
    expect(message).toMatch(/signature does not match/);
  });

  it("refuses a signature sent to another path, or for another method, naming a bad signature", async () => {
    const body = chatBody();
    const forEmbeddings = signPeerRequest(KEY, { method: "POST", path: "/v1/embeddings", body });
    expect(await refusal(await post("/v1/chat/completions", body, forEmbeddings))).toMatch(/signature does not match.*changed on the way/);
    const asGet = signPeerRequest(KEY, { method: "GET", path: "/v1/chat/completions", body });
    expect(await refusal(await post("/v1/chat/completions", body, asGet))).toMatch(/signature does not match/);
  });

  it("refuses a body changed after signing, in the caller's dialect, naming the body", async () => {
    const signed = signPeerRequest(KEY, { method: "POST", path: "/v1/chat/completions", body: chatBody("hi") });
    expect(await refusal(await post("/v1/chat/completions", chatBody("something else"), signed))).toMatch(/body does not match its peer signature/);
    // Anthropic's dialect: its own error shape, the same reason.
    const anthropicBody = JSON.stringify({ model: "tiny", max_tokens: 8, messages: [{ role: "user", content: "hi" }] });
    const anthropicSigned = signPeerRequest(KEY, { method: "POST", path: "/v1/messages", body: anthropicBody });
    const response = await post("/v1/messages", anthropicBody.replace('"hi"', '"ho"'), anthropicSigned);
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ type: "error", error: { type: "authentication_error", message: expect.stringMatching(/body does not match/) as string } });
  });

  it("refuses a timestamp outside the window, saying to check the clocks", async () => {
    const body = chatBody();
    const old = signPeerRequest(KEY, { method: "POST", path: "/v1/chat/completions", body }, Date.now() - PEER_SIGNATURE_SKEW_MS - 60_000);
    const response = await post("/v1/chat/completions", body, old);
    expect(response.status).toBe(401);
    const { error } = (await response.json()) as { error: { message: string } };
    expect(error.message).toMatch(/timestamp is stale: \d+ s behind/);
    const ahead = signPeerRequest(KEY, { method: "POST", path: "/v1/chat/completions", body }, Date.now() + PEER_SIGNATURE_SKEW_MS + 60_000);
    expect(await refusal(await post("/v1/chat/completions", body, ahead))).toMatch(/timestamp is stale: \d+ s ahead of/);
  });

  it("accepts a request once: the same signed request sent again is refused as replayed", async () => {
    const body = chatBody();
    const signed = signPeerRequest(KEY, { method: "POST", path: "/v1/chat/completions", body });
    expect((await post("/v1/chat/completions", body, signed)).status).toBe(200);
    expect(await refusal(await post("/v1/chat/completions", body, signed))).toMatch(/nonce was seen already: a replayed request/);
  });

  it("refuses a signature made with another key, saying the keys differ", async () => {
    const body = chatBody();
    const signed = signPeerRequest("another-key-another-key", { method: "POST", path: "/v1/chat/completions", body });
    const response = await post("/v1/chat/completions", body, signed);
    const message = await refusal(response);
    expect(message).toMatch(/signature does not match: the caller's key differs/);
  });

  it("refuses a malformed signature header", async () => {
    expect(await refusal(await post("/v1/chat/completions", chatBody(), "Wren-Peer-HMAC ts=1, sig=zz"))).toMatch(/malformed/);
  });

  it("still lets local clients in with the peers key or the API key as a bearer token", async () => {
    for (const key of [KEY, API_KEY]) {
      const response = await post("/v1/chat/completions", chatBody(), `Bearer ${key}`);
      expect(response.status).toBe(200);
      await response.body?.cancel();
    }
    expect((await fetch(`${url}/v1/peer/info`, { headers: { authorization: `Bearer ${KEY}` } })).status).toBe(200);
    // The API key does not describe the machine; a signature made with it is no peer's either.
    expect((await fetch(`${url}/v1/peer/info`, { headers: { authorization: `Bearer ${API_KEY}` } })).status).toBe(401);
    const signedWithApiKey = signPeerRequest(API_KEY, { method: "GET", path: "/v1/peer/info" });
    expect((await fetch(`${url}/v1/peer/info`, { headers: { authorization: signedWithApiKey } })).status).toBe(401);
  });
});
