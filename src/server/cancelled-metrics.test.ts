import type { AddressInfo } from "node:net";
import { serve, type ServerType } from "@hono/node-server";
import { afterEach, describe, expect, it } from "vitest";
import { ScriptedHost, ScriptedModel } from "../../test/helpers/scripted-host.js";
import { createServerApp } from "./app.js";

async function until(condition: () => boolean | Promise<boolean>): Promise<void> {
  while (!(await condition())) await new Promise((resolve) => setTimeout(resolve, 5));
}

describe("a request whose client went away, in wren_requests_total", () => {
  let server: ServerType | undefined;
  afterEach(async () => {
    await new Promise((resolve) => server?.close(resolve));
  });

  it("counts a non-streamed request cancelled while it waited for the model as 499, not 200", async () => {
    const host = new ScriptedHost(new Map([["tiny", new ScriptedModel("tiny", () => ({ text: "hi" }))]]), { parallel: 1 });
    const { app } = createServerApp({ host });
    server = await new Promise<ServerType>((resolve) => {
      const s = serve({ fetch: app.fetch, hostname: "127.0.0.1", port: 0 }, () => resolve(s));
    });
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const line = async (prefix: string): Promise<string | undefined> => (await (await fetch(`${url}/metrics`)).text()).split("\n").find((l) => l.startsWith(prefix));

    // The model's one place is taken: the request waits in its line.
    const running = await host.reserve("tiny");
    const client = new AbortController();
    const asked = fetch(`${url}/v1/chat/completions`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ model: "tiny", messages: [{ role: "user", content: "hi" }] }),
      signal: client.signal,
    }).catch((error: unknown) => error);
    await until(() => host.queues()[0]!.queued === 1);
    client.abort();
    expect(await asked).toBeInstanceOf(Error);
    await until(async () => (await line("wren_requests_in_flight ")) === "wren_requests_in_flight 0");
    running.release();

    expect(await line('wren_requests_total{dialect="openai",status="499"}')).toBe('wren_requests_total{dialect="openai",status="499"} 1');
    expect(await line('wren_requests_total{dialect="openai",status="200"}')).toBeUndefined();

    // An answered request still counts as 200.
    const answered = await fetch(`${url}/v1/chat/completions`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ model: "tiny", messages: [{ role: "user", content: "hi" }] }),
    });
    expect(answered.status).toBe(200);
    await answered.json();
    expect(await line('wren_requests_total{dialect="openai",status="200"}')).toBe('wren_requests_total{dialect="openai",status="200"} 1');
  });
});
