import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { serve, type ServerType } from "@hono/node-server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { enumAnswerRequest } from "../../test/helpers/enum-answers.js";
import { ScriptedHost, ScriptedModel } from "../../test/helpers/scripted-host.js";
import { userText, type ChatRequest } from "../protocol/index.js";
import { PeerModel } from "../providers/peer/model.js";
import { createServerApp } from "../server/app.js";
import { answerPeerRequest, PEER_PROOF_HEADER } from "../shared/peer-signature.js";
import { fetchPeerInfo } from "./info-client.js";

const KEY = "the-peers-key-never-sent-0123456789";

interface Captured {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  rawHeaders: string[];
}

/** A stand-in for another wren: answers each API's shape, and keeps every request it was sent. */
let captured: Captured[] = [];
let standIn: Server;
let standInUrl = "";

/** A real wren server app holding the same peers key, served by Node on loopback. */
let wren: ServerType;
let wrenUrl = "";

beforeAll(async () => {
  standIn = createServer((req, res) => {
    let body = "";
    req.setEncoding("utf8").on("data", (d: string) => (body += d));
    req.on("end", () => {
      captured.push({ method: req.method ?? "", url: req.url ?? "", headers: req.headers, rawHeaders: req.rawHeaders });
      res.setHeader("content-type", "application/json");
      if (req.url === "/v1/peer/info") {
        const info = JSON.stringify({ name: "stand-in", models: [{ id: "chat" }] });
        return res.setHeader(PEER_PROOF_HEADER, answerPeerRequest(KEY, req.headers.authorization ?? "", info)).end(info);
      }
      if (req.url?.startsWith("/v1beta/")) {
        return res.end(JSON.stringify({ candidates: [{ content: { role: "model", parts: [{ text: "positive" }] }, finishReason: "STOP" }], usageMetadata: { promptTokenCount: 3, candidatesTokenCount: 1 } }));
      }
      res.end(JSON.stringify({ id: "c1", object: "chat.completion", created: 0, model: "chat", choices: [{ index: 0, message: { role: "assistant", content: "hello" }, finish_reason: "stop" }], usage: { prompt_tokens: 3, completion_tokens: 1, total_tokens: 4 } }));
    });
  });
  await new Promise<void>((resolve) => standIn.listen(0, "127.0.0.1", resolve));
  standInUrl = `http://127.0.0.1:${(standIn.address() as AddressInfo).port}`;

  const model = new ScriptedModel("chat", () => ({ text: "positive" }));
  const { app } = createServerApp({ host: new ScriptedHost(new Map([["chat", model]]), { parallel: 2, maxQueued: 4 }), peer: { key: KEY, info: () => ({ name: "real", models: [{ id: "chat" }] }) } });
  wren = await new Promise<ServerType>((resolve) => {
    const s = serve({ fetch: app.fetch, hostname: "127.0.0.1", port: 0 }, () => resolve(s));
  });
  wrenUrl = `http://127.0.0.1:${(wren.address() as AddressInfo).port}`;
});

afterAll(async () => {
  standIn.closeAllConnections();
  await new Promise((resolve) => standIn.close(resolve));
  await new Promise((resolve) => wren.close(resolve));
});

const peerAt = (url: string) => ({ name: "desk", url, key: KEY, models: [{ id: "chat" }], inFlight: 0, healthy: true });
const chat: ChatRequest = { messages: [userText("hi")], maxOutputTokens: 8 };

/** The key appears in none of a request's header names or values, nor its URL. */
function expectNoKey(request: Captured): void {
  expect(request.url).not.toContain(KEY);
  for (const part of request.rawHeaders) expect(part).not.toContain(KEY);
  expect(request.headers.authorization).toMatch(/^Wren-Peer-HMAC ts=\d+, nonce=[\w-]+, body=[0-9a-f]{64}, sig=[0-9a-f]{64}$/);
  expect(request.headers["x-api-key"]).toBeUndefined();
  expect(request.headers["x-goog-api-key"]).toBeUndefined();
}

describe("what wren sends a peer", () => {
  it("asks for peer info with a signature, never the key", async () => {
    captured = [];
    expect(await fetchPeerInfo(standInUrl, KEY)).toMatchObject({ name: "stand-in" });
    expect(captured).toHaveLength(1);
    expect(captured[0]).toMatchObject({ method: "GET", url: "/v1/peer/info" });
    expectNoKey(captured[0]!);
  });

  it("calls a peer's model with a signature, never the key: its OpenAI API and its Gemini API for enum answers", async () => {
    captured = [];
    const model = new PeerModel({ list: () => [peerAt(standInUrl)] }, "desk/chat");
    expect((await model.doGenerate(chat)).content).toEqual([{ type: "text", text: "hello" }]);
    expect(await model.doGenerate(enumAnswerRequest(["positive", "negative"], 4))).toMatchObject({ content: [{ type: "text", text: '{"answer":"positive"}' }] });
    expect(captured.map((r) => `${r.method} ${r.url}`)).toEqual(["POST /v1/chat/completions", "POST /v1beta/models/chat:generateContent"]);
    for (const request of captured) expectNoKey(request);
  });
});

describe("a peer call to another wren", () => {
  it("is let in by its signature: peer info, chat and an enum answer", async () => {
    expect(await fetchPeerInfo(wrenUrl, KEY)).toMatchObject({ name: "real" });
    const model = new PeerModel({ list: () => [peerAt(wrenUrl)] }, "desk/chat");
    expect((await model.doGenerate(chat)).content).toEqual([{ type: "text", text: "positive" }]);
    const parts: string[] = [];
    for await (const part of model.doStream(chat)) if (part.type === "text-delta") parts.push(part.delta);
    expect(parts.join("")).toBe("positive");
    expect(await model.doGenerate(enumAnswerRequest(["positive", "negative"], 4))).toMatchObject({ content: [{ type: "text", text: '{"answer":"positive"}' }] });
  });

  it("is refused with a reason when the keys differ, and fetchPeerInfo says why", async () => {
    const other = { ...peerAt(wrenUrl), key: "some-other-key-some-other-key" };
    const error = await fetchPeerInfo(wrenUrl, other.key).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "unauthorized" });
    expect((error as Error).message).toMatch(/refused this machine's key: The peer signature does not match/);
    const model = new PeerModel({ list: () => [other] }, "desk/chat");
    await expect(model.doGenerate(chat)).rejects.toMatchObject({ message: expect.stringMatching(/signature does not match/) as string });
  });
});
