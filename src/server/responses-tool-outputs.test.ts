import type { AddressInfo } from "node:net";
import { serve, type ServerType } from "@hono/node-server";
import OpenAI, { BadRequestError } from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ScriptedHost, ScriptedModel } from "../../test/helpers/scripted-host.js";
import { createServerApp } from "./app.js";

const weather = { type: "function" as const, name: "weather", parameters: { type: "object", properties: { city: { type: "string" } } }, strict: false };

async function badRequest(promise: Promise<unknown>): Promise<BadRequestError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(BadRequestError);
  return error as BadRequestError;
}

// OpenAI refuses a function_call_output whose call is neither in the input nor in the previous
// response ("No tool call found for function call output with call_id …"): the usual sign of a
// client that forgot previous_response_id. wren refuses it too, rather than show the model a
// result of a call it never made.
describe("Responses function_call_output items, with the openai client on loopback", () => {
  const model = new ScriptedModel("tiny", (req) => (req.messages.at(-1)?.role === "user" ? { toolCalls: [{ name: "weather", input: '{"city":"Paris"}' }] } : { text: "It is sunny." }));
  let server: ServerType;
  let client: OpenAI;

  beforeAll(async () => {
    const { app } = createServerApp({ host: new ScriptedHost(new Map([["tiny", model]])) });
    server = await new Promise<ServerType>((resolve) => {
      const s = serve({ fetch: app.fetch, hostname: "127.0.0.1", port: 0 }, () => resolve(s));
    });
    client = new OpenAI({ apiKey: "k", baseURL: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`, maxRetries: 0 });
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  it("an output for a call that was never made is a 400 naming the call_id, streamed or not, and reaches no model", async () => {
    const seen = model.requests.length;
    const input = [{ role: "user" as const, content: "Weather?" }, { type: "function_call_output" as const, call_id: "call_zz", output: "sunny" }];
    for (const stream of [false, true]) {
      const error = await badRequest(client.responses.create({ model: "tiny", input, tools: [weather], stream }));
      expect(error.message).toContain("No tool call found for function call output with call_id call_zz");
      expect(error.param).toBe("input.1.call_id");
      expect(error.type).toBe("invalid_request_error");
    }
    const custom = await badRequest(client.responses.create({ model: "tiny", input: [{ type: "custom_tool_call_output", call_id: "call_yy", output: "done" }] }));
    expect(custom.message).toContain("No tool call found for custom tool call output with call_id call_yy");
    expect(model.requests.length).toBe(seen);
  });

  it("an output may answer a call wren skipped (Codex's local_shell_call), which has no function to match", async () => {
    const res = await client.responses.create({
      model: "tiny",
      input: [
        { role: "user", content: "List the files." },
        { type: "local_shell_call", id: "lsc_1", call_id: "call_shell", status: "completed", action: { type: "exec", command: ["ls"], env: {} } },
        { type: "function_call_output", call_id: "call_shell", output: "README.md" },
      ],
    });
    expect(res.status).toBe("completed");
  });

  it("an output answers a call of the same input, or of the previous response", async () => {
    const inline = await client.responses.create({
      model: "tiny",
      input: [
        { role: "user", content: "Weather?" },
        { type: "function_call", call_id: "call_a", name: "weather", arguments: '{"city":"Oslo"}' },
        { type: "function_call_output", call_id: "call_a", output: "sunny" },
      ],
      tools: [weather],
    });
    expect(inline.output_text).toBe("It is sunny.");

    const first = await client.responses.create({ model: "tiny", input: "Weather?", tools: [weather] });
    const call = first.output.find((o) => o.type === "function_call");
    expect(call?.type).toBe("function_call");
    const next = await client.responses.create({
      model: "tiny",
      previous_response_id: first.id,
      input: [{ type: "function_call_output", call_id: call?.type === "function_call" ? call.call_id : "", output: "sunny" }],
      tools: [weather],
    });
    expect(next.output_text).toBe("It is sunny.");
    expect(model.requests.at(-1)?.messages.at(-1)).toMatchObject({ role: "tool", content: [{ type: "tool-result", toolName: "weather", output: "sunny" }] });
  });
});
