import { serve, type ServerType } from "@hono/node-server";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ScriptedHost, ScriptedModel } from "../../../test/helpers/scripted-host.js";
import { collectStream, resultText, userText } from "../../protocol/index.js";
import { createServerApp } from "../../server/app.js";
import { createModel } from "../registry.js";

describe("the wren preset: another wren server as a teacher", () => {
  let server: ServerType;
  let url: string;
  beforeAll(async () => {
    const host = new ScriptedHost(
      new Map([
        [
          "qwen",
          new ScriptedModel("qwen", (req) =>
            req.tools?.length ? { toolCalls: [{ name: "get_weather", input: '{"city":"Oslo"}' }] } : { text: "Hello from the other wren." },
          ),
        ],
      ]),
    );
    const { app } = createServerApp({ host });
    server = await new Promise<ServerType>((resolve) => {
      const s = serve({ fetch: app.fetch, hostname: "127.0.0.1", port: 0 }, () => resolve(s));
    });
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it("answers streamed and non-streamed, with tool calls, through the openai-compatible provider", async () => {
    const { model, leavesMachine } = createModel("wren:qwen", { env: {}, providers: { wren: { baseURL: url } } });
    expect(leavesMachine).toBe(false);
    expect(resultText(await collectStream(model.doStream({ messages: [userText("Hi")] })))).toBe("Hello from the other wren.");
    expect(resultText(await model.doGenerate({ messages: [userText("Hi")] }))).toBe("Hello from the other wren.");
    const tools = [{ name: "get_weather", inputSchema: { type: "object", properties: { city: { type: "string" } } } }];
    const streamed = await collectStream(model.doStream({ messages: [userText("Weather?")], tools }));
    expect(streamed.content).toEqual([expect.objectContaining({ type: "tool-call", toolName: "get_weather", input: { city: "Oslo" } })]);
    expect(streamed.finishReason).toBe("tool-calls");
    const generated = await model.doGenerate({ messages: [userText("Weather?")], tools });
    expect(generated.content).toEqual([expect.objectContaining({ type: "tool-call", toolName: "get_weather", input: { city: "Oslo" } })]);
  });
});
