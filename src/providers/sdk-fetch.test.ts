import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { userText } from "../protocol/index.js";
import { AnthropicModel } from "./anthropic/model.js";
import { GeminiModel } from "./gemini/model.js";
import { OllamaModel } from "./ollama/model.js";
import { OpenAICompatibleModel } from "./openai-compatible/model.js";

/** A server on loopback that records what reached it and answers with `answer`. */
async function serve(answer: (url: string, res: ServerResponse) => void): Promise<{ url: string; seen: Array<{ url: string; headers: IncomingHttpHeaders; body: string }>; server: Server }> {
  const seen: Array<{ url: string; headers: IncomingHttpHeaders; body: string }> = [];
  const server = createServer((req, res) => {
    let body = "";
    req.setEncoding("utf8").on("data", (d: string) => (body += d));
    req.on("end", () => {
      seen.push({ url: req.url ?? "", headers: req.headers, body });
      answer(req.url ?? "", res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen, server };
}

// The redirect is the failure, never the client's answer: a 502 at the server's edge (no status of its own), not a 307 without its location.
describe("a provider endpoint that redirects", () => {
  // The other host a redirect points to: a configured endpoint (or a peer) that answers 307 must not
  // have the prompt, nor the key in a header fetch keeps across origins (x-api-key, x-goog-api-key), sent on there.
  let elsewhere: Awaited<ReturnType<typeof serve>>;
  let redirecting: Awaited<ReturnType<typeof serve>>;
  beforeAll(async () => {
    elsewhere = await serve((_url, res) => res.writeHead(200, { "content-type": "application/json" }).end("{}"));
    redirecting = await serve((url, res) => res.writeHead(307, { location: `${elsewhere.url}${url}` }).end());
  });
  afterAll(() => {
    for (const s of [elsewhere, redirecting]) s.server.close();
  });

  const models = {
    anthropic: () => new AnthropicModel({ modelId: "claude-sonnet-4-6", apiKey: "sk-ant-secret", baseURL: redirecting.url }),
    gemini: () => new GeminiModel({ modelId: "gemini-2.5-flash", apiKey: "AIza-secret", baseURL: redirecting.url }),
    ollama: () => new OllamaModel({ modelId: "llama3.2", baseURL: redirecting.url }),
    // Its own client, not an SDK's fetch: the same failure, in the same words.
    "openai-compatible": () => new OpenAICompatibleModel({ provider: "acme", modelId: "m1", apiKey: "sk-secret", baseURL: redirecting.url }),
  };

  for (const [name, make] of Object.entries(models)) {
    it(`${name}: the redirect fails the call, saying so, and nothing reaches the other host`, async () => {
      const before = elsewhere.seen.length;
      const error = await make()
        .doGenerate({ messages: [userText("the secret plan")] })
        .then(
          () => undefined,
          (e: unknown) => e,
        );
      expect(redirecting.seen.length).toBeGreaterThan(0);
      expect(elsewhere.seen.slice(before)).toEqual([]);
      expect(error).toMatchObject({ code: "upstream_error", status: undefined, hint: expect.stringMatching(/base URL/) });
      expect(String((error as Error | undefined)?.message)).toMatch(/answered with a redirect \(HTTP 307\).*which wren does not follow/);
    });
  }
});
