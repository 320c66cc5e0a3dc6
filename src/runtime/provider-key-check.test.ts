import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkProviderKey, providerBaseURL } from "./provider-key-check.js";

/** A stand-in that accepts one key, in each wire format's own header, on its model-listing path. */
describe("checking a provider key with one cheap call", () => {
  const seen: Array<{ path: string; headers: http.IncomingHttpHeaders }> = [];
  let server: http.Server;
  let url: string;
  beforeAll(async () => {
    server = http.createServer((req, res) => {
      seen.push({ path: req.url ?? "", headers: req.headers });
      const key = req.headers["authorization"]?.replace(/^Bearer /, "") ?? req.headers["x-api-key"] ?? req.headers["x-goog-api-key"];
      res.writeHead(key === "good" ? 200 : 401, { "content-type": "application/json" }).end("{}");
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it("accepts a good key and says which a provider refuses, in each wire format", async () => {
    for (const wire of ["openai-compatible", "anthropic", "gemini"] as const) {
      expect(await checkProviderKey({ wire, baseURL: `${url}/v1`, apiKey: "good" })).toEqual({ status: "ok" });
      expect(await checkProviderKey({ wire, baseURL: `${url}/v1`, apiKey: "bad" })).toEqual({ status: "refused", httpStatus: 401 });
    }
    expect(seen.map((s) => s.path)).toEqual(["/v1/models", "/v1/models", "/v1/v1/models?limit=1", "/v1/v1/models?limit=1", "/v1/v1beta/models?pageSize=1", "/v1/v1beta/models?pageSize=1"]);
    expect(seen[2]?.headers["anthropic-version"]).toBe("2023-06-01");
  });

  it("offline, or with nobody answering, skips the check and says why", async () => {
    expect(await checkProviderKey({ wire: "openai-compatible", baseURL: url, apiKey: "x", offline: true })).toEqual({ status: "skipped", reason: "offline" });
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    expect(await checkProviderKey({ wire: "openai-compatible", baseURL: `http://127.0.0.1:${port}/v1`, apiKey: "x" })).toEqual({
      status: "skipped",
      reason: `could not reach 127.0.0.1:${port}`,
    });
  });

  it("knows where the built-in providers live", () => {
    expect(providerBaseURL("groq", "openai-compatible")).toBe("https://api.groq.com/openai/v1");
    expect(providerBaseURL("anthropic", "anthropic")).toBe("https://api.anthropic.com");
    expect(providerBaseURL("mine", "openai-compatible")).toBeUndefined();
  });
});
