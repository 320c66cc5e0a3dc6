import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startServer, type RunningServer } from "../../src/runtime/serve.js";
import { CHATML } from "../helpers/gguf-writer.js";
import { MAX_LOOP_HOLD_MS, postWhileProbingHealth, type HealthProbe } from "../helpers/health-probe.js";
import { syntheticModel } from "../helpers/synthetic-models.js";

/** JSON text nesting a schema `levels` deep, written as text: JSON.stringify itself overflows the stack on it. */
function nestedSchemaText(levels: number): string {
  return '{"type":"object","properties":{"a":'.repeat(levels) + '{"type":"string"}' + "}}".repeat(levels);
}

/** JSON text of objects nested `levels` deep. */
function nestedValueText(levels: number): string {
  return '{"a":'.repeat(levels) + "1" + "}".repeat(levels);
}

interface ErrorBody {
  error?: { message?: string; type?: string } | string;
  type?: string;
}

/** The error message of any dialect's error body. */
function messageOf(body: ErrorBody): string {
  if (typeof body.error === "string") return body.error;
  return body.error?.message ?? "";
}

/**
 * That the server's event loop was not held by the request: measured as the CPU time its thread
 * ran between two turns of the loop, which a machine busy with other work does not lengthen, so a
 * loaded machine does not fail it and a request that holds the loop for seconds always does.
 */
function expectLoopNotHeld(probe: HealthProbe, label = ""): void {
  const seen = `event loop held ${Math.round(probe.heldMs)} ms (longest turn ${Math.round(probe.stallMs)} ms, slowest /health ${Math.round(probe.slowestHealthMs)} ms)`;
  expect(probe.heldMs, `${label} ${seen}`).toBeLessThan(MAX_LOOP_HOLD_MS);
}

// Hostile input to a real server over loopback: prompts far beyond the context must not freeze the
// process, and what the client got wrong is a 400 in every dialect, never a 500.
describe("wren serve against hostile input", () => {
  let server: RunningServer;

  beforeAll(async () => {
    const chat = await syntheticModel({ seed: 12, ...CHATML, contextLength: 1024 });
    const long = await syntheticModel({ seed: 13, ...CHATML, contextLength: 32768 });
    server = await startServer({
      models: [
        { path: chat, id: "chat", contextSize: 256 },
        { path: long, id: "long", contextSize: 32768 },
      ],
      port: 0,
      gpu: "cpu",
      threads: 1,
      preload: true,
      // The configuration's default body limit: what let the 16 MB message through.
      maxBodyBytes: 16 * 1024 * 1024,
    });
  });
  afterAll(async () => {
    await server?.close();
  });

  const post = async (path: string, body: unknown): Promise<{ status: number; body: ErrorBody }> => {
    const text = typeof body === "string" ? body : JSON.stringify(body);
    const res = await fetch(`${server.url}${path}`, { method: "POST", headers: { "content-type": "application/json" }, body: text });
    return { status: res.status, body: (await res.json()) as ErrorBody };
  };

  it("refuses a 16 MB user message with 400 while /health keeps answering and the event loop is never held", async () => {
    const body = JSON.stringify({ model: "chat", messages: [{ role: "user", content: "x".repeat(16_000_000) }], max_tokens: 4 });
    const probe = await postWhileProbingHealth(server.url, "/v1/chat/completions", body);
    expect(probe.status).toBe(400);
    expect(probe.body).toMatchObject({
      error: { code: "context_length_exceeded", type: "invalid_request_error", message: expect.stringMatching(/^This model's maximum context length is 256 tokens\. However, your messages resulted in \d+ tokens\. /) },
    });
    expect(probe.polls).toBeGreaterThan(0);
    expectLoopNotHeld(probe);
  });

  it("refuses a 4 MB system prompt on /v1/messages, streamed or not, while /health keeps answering", async () => {
    for (const stream of [false, true]) {
      const body = JSON.stringify({ model: "chat", system: "be brief. ".repeat(400_000), messages: [{ role: "user", content: "hi" }], max_tokens: 4, stream });
      const probe = await postWhileProbingHealth(server.url, "/v1/messages", body);
      expect(probe.status, `stream: ${stream}`).toBe(400);
      expect(probe.body).toMatchObject({ type: "error", error: { type: "invalid_request_error", message: expect.stringMatching(/^prompt is too long: \d+ tokens > 256 maximum\. /) } });
      expectLoopNotHeld(probe, `stream: ${stream}:`);
    }
  });

  it("counts a prompt within the character bound in slices, refusing it once past a 32k context", async () => {
    // About 100k tokens: tokenized whole it would hold the event loop; counted in slices it stops
    // soon after 32k tokens.
    const body = JSON.stringify({ model: "long", messages: [{ role: "user", content: "hello world ".repeat(30_000) }], max_tokens: 4 });
    const probe = await postWhileProbingHealth(server.url, "/v1/chat/completions", body);
    expect(probe.status).toBe(400);
    expect(probe.body).toMatchObject({
      error: { code: "context_length_exceeded", message: expect.stringMatching(/^This model's maximum context length is 32768 tokens\. However, your messages resulted in \d+ tokens\. /) },
    });
    expectLoopNotHeld(probe);
  });

  it("refuses embeddings longer than the context with 400 (OpenAI, and Ollama with truncate: false; Ollama cuts them by default)", async () => {
    // Within the character bound, so it is counted (in slices) before it is refused.
    const long = "hello world ".repeat(1000);
    const openai = await post("/v1/embeddings", { model: "chat", input: ["short", long] });
    expect(openai.status).toBe(400);
    expect(messageOf(openai.body)).toMatch(/^Input 2 of 2 is more than \d+ tokens, more than an embedding input can hold \(\d+ tokens\)\. /);
    const ollama = await post("/api/embed", { model: "chat", input: long, truncate: false });
    expect(ollama.status).toBe(400);
    expect(messageOf(ollama.body)).toMatch(/can hold/);
    expect((await post("/api/embed", { model: "chat", input: long })).status).toBe(200);
  });

  it("refuses 10,000 levels of nesting in tool schemas, earlier tool arguments and response formats, in every dialect", async () => {
    const schema = nestedSchemaText(10_000);
    const value = nestedValueText(10_000);
    const user = '{"role":"user","content":"hi"}';
    const cases: Array<[string, string, string]> = [
      ["openai tool schema", "/v1/chat/completions", `{"model":"chat","messages":[${user}],"tools":[{"type":"function","function":{"name":"t","parameters":${schema}}}]}`],
      ["openai response_format", "/v1/chat/completions", `{"model":"chat","messages":[${user}],"response_format":{"type":"json_schema","json_schema":{"name":"x","schema":${schema}}}}`],
      [
        "openai tool arguments",
        "/v1/chat/completions",
        `{"model":"chat","messages":[${user},{"role":"assistant","content":null,"tool_calls":[{"id":"c1","type":"function","function":{"name":"t","arguments":${JSON.stringify(value)}}}]},{"role":"tool","tool_call_id":"c1","content":"ok"}]}`,
      ],
      ["anthropic tool schema", "/v1/messages", `{"model":"chat","max_tokens":4,"messages":[${user}],"tools":[{"name":"t","input_schema":${schema}}]}`],
      [
        "anthropic tool arguments",
        "/v1/messages",
        `{"model":"chat","max_tokens":4,"messages":[${user},{"role":"assistant","content":[{"type":"tool_use","id":"c1","name":"t","input":${value}}]},{"role":"user","content":[{"type":"tool_result","tool_use_id":"c1","content":"ok"}]}]}`,
      ],
      ["ollama tool schema", "/api/chat", `{"model":"chat","stream":false,"messages":[${user}],"tools":[{"type":"function","function":{"name":"t","parameters":${schema}}}]}`],
      ["ollama format", "/api/chat", `{"model":"chat","stream":false,"messages":[${user}],"format":${schema}}`],
      [
        "ollama tool arguments",
        "/api/chat",
        `{"model":"chat","stream":false,"messages":[${user},{"role":"assistant","content":"","tool_calls":[{"function":{"name":"t","arguments":${value}}}]},{"role":"tool","content":"ok"}]}`,
      ],
    ];
    for (const [label, path, body] of cases) {
      const res = await post(path, body);
      expect(res.status, label).toBe(400);
      expect(messageOf(res.body), label).toMatch(/more than 64 levels deep/);
    }
  });

  it("refuses tool names with a space or a control character, saying which name and what is allowed", async () => {
    for (const name of ["get weather", "get\u0007weather"]) {
      const quoted = JSON.stringify(name);
      const cases: Array<[string, unknown]> = [
        ["/v1/chat/completions", { model: "chat", messages: [{ role: "user", content: "hi" }], tools: [{ type: "function", function: { name, parameters: { type: "object" } } }] }],
        ["/v1/messages", { model: "chat", max_tokens: 4, messages: [{ role: "user", content: "hi" }], tools: [{ name, input_schema: { type: "object" } }] }],
        ["/api/chat", { model: "chat", stream: false, messages: [{ role: "user", content: "hi" }], tools: [{ type: "function", function: { name, parameters: { type: "object" } } }] }],
      ];
      for (const [path, body] of cases) {
        const res = await post(path, body);
        expect(res.status, `${path} ${quoted}`).toBe(400);
        expect(messageOf(res.body)).toContain(`the tool name ${quoted} is not allowed: use 1 to 64 letters, digits, underscores or hyphens`);
      }
    }
  });

  it("refuses a forced tool whose schema admits no value with 400 (OpenAI and Anthropic)", async () => {
    const schema = { type: "object", properties: { color: { enum: [] } }, required: ["color"] };
    const openai = await post("/v1/chat/completions", {
      model: "chat",
      messages: [{ role: "user", content: "hi" }],
      tools: [{ type: "function", function: { name: "pick", parameters: schema } }],
      tool_choice: { type: "function", function: { name: "pick" } },
    });
    expect(openai.status).toBe(400);
    expect(messageOf(openai.body)).toContain('The schema of tool "pick" cannot be satisfied: properties.color.enum is an empty list.');
    const anthropic = await post("/v1/messages", {
      model: "chat",
      max_tokens: 16,
      messages: [{ role: "user", content: "hi" }],
      tools: [{ name: "pick", input_schema: schema }],
      tool_choice: { type: "tool", name: "pick" },
    });
    expect(anthropic.status).toBe(400);
    expect(messageOf(anthropic.body)).toMatch(/cannot be satisfied/);
  });

  it("refuses a $ref a grammar cannot follow and a negative length with 400 in every dialect, in the dialect's error shape", async () => {
    const user = { role: "user", content: "hi" };
    const schemaOf = (a: unknown): Record<string, unknown> => ({ type: "object", properties: { a }, required: ["a"] });
    const refs: Array<[unknown, string]> = [
      [{ $ref: "#/$defs/missing" }, 'properties.a.$ref is "#/$defs/missing", which points to no definition'],
      [{ $ref: "https://example.com/s.json" }, 'properties.a.$ref is "https://example.com/s.json", a schema outside this one'],
      [{ $ref: "#" }, 'properties.a.$ref is "#", a reference to the whole schema'],
      [{ type: "string", maxLength: -1 }, "properties.a.maxLength is -1, not a count"],
    ];
    for (const [a, problem] of refs) {
      const schema = schemaOf(a);
      const cases: Array<[string, string, unknown, (body: ErrorBody) => void]> = [
        [
          "openai response_format",
          "/v1/chat/completions",
          { model: "chat", messages: [user], response_format: { type: "json_schema", json_schema: { name: "x", schema } } },
          (body) => expect(body).toMatchObject({ error: { type: "invalid_request_error", code: "bad_request" } }),
        ],
        ["openai tool", "/v1/chat/completions", { model: "chat", messages: [user], tools: [{ type: "function", function: { name: "t", parameters: schema } }] }, () => undefined],
        [
          "anthropic tool",
          "/v1/messages",
          { model: "chat", max_tokens: 4, messages: [user], tools: [{ name: "t", input_schema: schema }] },
          (body) => expect(body).toMatchObject({ type: "error", error: { type: "invalid_request_error" } }),
        ],
        [
          "gemini responseJsonSchema",
          "/v1beta/models/chat:generateContent",
          { contents: [{ role: "user", parts: [{ text: "hi" }] }], generationConfig: { responseMimeType: "application/json", responseJsonSchema: schema } },
          (body) => expect(body).toMatchObject({ error: { code: 400, status: "INVALID_ARGUMENT" } }),
        ],
        [
          "gemini responseSchema",
          "/v1beta/models/chat:generateContent",
          { contents: [{ role: "user", parts: [{ text: "hi" }] }], generationConfig: { responseMimeType: "application/json", responseSchema: schema } },
          () => undefined,
        ],
        ["ollama format", "/api/chat", { model: "chat", stream: false, messages: [user], format: schema }, (body) => expect(typeof body.error).toBe("string")],
      ];
      for (const [label, path, body, shape] of cases) {
        const res = await post(path, body);
        expect(res.status, `${label}: ${problem}`).toBe(400);
        expect(messageOf(res.body), label).toContain(`cannot be satisfied: ${problem}`);
        shape(res.body);
      }
    }
  });
});
