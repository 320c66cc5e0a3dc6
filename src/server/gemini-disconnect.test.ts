import type { AddressInfo } from "node:net";
import { serve, type ServerType } from "@hono/node-server";
import { GoogleGenAI } from "@google/genai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ScriptedHost, ScriptedModel } from "../../test/helpers/scripted-host.js";
import { createServerApp } from "./app.js";

/** Resolves once `check` holds, polling; the test's own timeout bounds the wait. */
async function until(check: () => boolean): Promise<void> {
  while (!check()) await new Promise((resolve) => setTimeout(resolve, 10));
}

describe("a Gemini client that leaves a stream, with @google/genai on loopback", () => {
  // 20,000 paced deltas: the client leaves long before the answer would end on its own.
  const model = new ScriptedModel("tiny", () => ({ text: "word ".repeat(20000), chunk: 5, delayMs: 1 }));
  const host = new ScriptedHost(new Map([["tiny", model]]));
  let server: ServerType;
  let url: string;

  beforeAll(async () => {
    const { app } = createServerApp({ host });
    server = await new Promise<ServerType>((resolve) => {
      const s = serve({ fetch: app.fetch, hostname: "127.0.0.1", port: 0 }, () => resolve(s));
    });
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  it("aborting generateContentStream (alt=sse) stops the model and frees its sequence", async () => {
    const ai = new GoogleGenAI({ apiKey: "k", httpOptions: { baseUrl: url, retryOptions: { attempts: 1 } } });
    const controller = new AbortController();
    const stream = await ai.models.generateContentStream({ model: "tiny", contents: "hi", config: { abortSignal: controller.signal } });
    const texts: string[] = [];
    await expect(
      (async () => {
        for await (const chunk of stream) {
          texts.push(chunk.text ?? "");
          if (texts.length === 3) controller.abort();
        }
      })(),
    ).rejects.toThrow();
    expect(texts.join("")).toBe("word word word ");
    await until(() => model.aborted === 1 && host.held === 0);
  });

  it("closing a JSON-array stream (no alt) stops the model and frees its sequence", async () => {
    const res = await fetch(`${url}/v1beta/models/tiny:streamGenerateContent`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ contents: [{ parts: [{ text: "hi" }] }] }),
    });
    expect(res.headers.get("content-type")).toContain("application/json");
    const reader = res.body!.getReader();
    expect((await reader.read()).done).toBe(false);
    await reader.cancel();
    await until(() => model.aborted === 2 && host.held === 0);
  });
});
