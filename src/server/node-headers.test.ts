import type { AddressInfo } from "node:net";
import { serve, type ServerType } from "@hono/node-server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ScriptedHost, ScriptedModel } from "../../test/helpers/scripted-host.js";
import { createServerApp } from "./app.js";

// Served by Node, the request id goes onto Node's response before the route runs (not onto the
// web Response it returns, as under app.request()): every kind of answer must still carry it.
describe("response headers when Node serves the app", () => {
  let server: ServerType;
  let url = "";

  beforeAll(async () => {
    const model = new ScriptedModel("tiny", () => ({ text: "Hello over Node." }));
    const { app } = createServerApp({ host: new ScriptedHost(new Map([["tiny", model]]), { parallel: 2, maxQueued: 4 }) });
    server = await new Promise<ServerType>((resolve) => {
      const s = serve({ fetch: app.fetch, hostname: "127.0.0.1", port: 0 }, () => resolve(s));
    });
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  const chat = (stream: boolean, headers: Record<string, string> = {}) =>
    fetch(`${url}/v1/chat/completions`, {
      method: "POST",
      headers: { "content-type": "application/json", ...headers },
      body: JSON.stringify({ model: "tiny", messages: [{ role: "user", content: "hi" }], stream }),
    });

  it("a non-streamed answer carries the client's request id, its provenance and its JSON type", async () => {
    const res = await chat(false, { "x-request-id": "abc-123" });
    expect(res.status).toBe(200);
    expect(res.headers.get("x-request-id")).toBe("abc-123");
    expect(res.headers.get("content-type")).toBe("application/json");
    expect(res.headers.get("x-wren-model")).toBe("tiny");
    const body = (await res.json()) as { choices: Array<{ message: { content: string } }> };
    expect(body.choices[0]?.message.content).toBe("Hello over Node.");
  });

  it("a streamed answer carries a request id of its own when the client sent none", async () => {
    const res = await chat(true);
    expect(res.status).toBe(200);
    expect(res.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
    expect(res.headers.get("content-type")).toBe("text/event-stream");
    expect(await res.text()).toContain("data: [DONE]");
  });

  it("an error answer carries it too", async () => {
    const res = await fetch(`${url}/v1/models/nope`, { headers: { "x-request-id": "err-1" } });
    expect(res.status).toBe(404);
    expect(res.headers.get("x-request-id")).toBe("err-1");
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe("model_not_found");
  });
});
