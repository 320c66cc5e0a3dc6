import { getLlama, type LlamaModel } from "node-llama-cpp";
import type { WrenError } from "../shared/errors.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { collectStream, userText, type ChatRequest } from "../protocol/index.js";
import { CHATML } from "../../test/helpers/gguf-writer.js";
import { syntheticModel } from "../../test/helpers/synthetic-models.js";
import { Engine } from "./engine.js";
import type { LocalModel } from "./local-model.js";
import { PromptBounds } from "./prompt-bound.js";

function nested(levels: number): unknown {
  let value: unknown = { type: "string" };
  for (let i = 0; i < levels; i++) value = { type: "object", properties: { a: value }, required: ["a"] };
  return value;
}

function nestedArray(levels: number): unknown {
  let value: unknown = [];
  for (let i = 0; i < levels; i++) value = [value];
  return value;
}

const words = (n: number): string => "hello world ".repeat(n);

// Prompts that cannot fit are refused or cut before they can hold the event loop or reach
// node-llama-cpp's context shift; malformed tools and schemas are client faults.
describe("prompt bounds and request checks on a generated chat model", () => {
  let engine: Engine;
  let chat: LocalModel;
  let plain: LocalModel;

  beforeAll(async () => {
    engine = await Engine.create({ gpu: "cpu", threads: 1 });
    // Trained for 1024 tokens, served with 256: a client could ask for more.
    chat = await engine.loadModel(await syntheticModel({ seed: 12, ...CHATML, contextLength: 1024 }), { id: "chat", contextSize: 256 });
    plain = await engine.loadModel(await syntheticModel({ seed: 11 }), { id: "plain", contextSize: 256 });
  });
  afterAll(async () => {
    await engine?.dispose();
  });

  const generate = (model: LocalModel, request: ChatRequest): Promise<unknown> => collectStream(model.doStream(request));

  it("refuses a 16 MB message by its length alone, naming its size and the context", async () => {
    const huge = "x".repeat(16_000_000);
    await expect(generate(chat, { messages: [userText(huge)], maxOutputTokens: 4 })).rejects.toMatchObject({
      code: "context_overflow",
      message: "The prompt is 16000000 characters, more than the 256-token context can hold.",
      hint: expect.stringMatching(/num_ctx \/ x-wren-context-length/),
    });
    // The sequence was never taken.
    expect(chat.stats()).toMatchObject({ active: 0, queued: 0 });
  });

  it("refuses a prompt within the character bound once counting passes the context", async () => {
    // 1,200 characters: within the character bound (every vocabulary holds byte tokens like
    // "<0x0A>", so the bound is at least 6 x 256), but about 400 tokens.
    const request: ChatRequest = { messages: [{ role: "system", content: words(100) }, userText("hi")], maxOutputTokens: 4 };
    expect(await chat.countTokens(request)).toBeGreaterThan(256);
    await expect(generate(chat, request)).rejects.toMatchObject({
      code: "context_overflow",
      message: expect.stringMatching(/^The prompt is more than \d+ tokens, more than the 256-token context can hold\.$/),
    });
  });

  it("refuses more messages than the context has tokens before rendering them", async () => {
    const messages = Array.from({ length: 300 }, () => userText("hi"));
    await expect(generate(chat, { messages, maxOutputTokens: 1 })).rejects.toMatchObject({
      code: "context_overflow",
      message: "The prompt is 300 messages, more than the 256-token context can hold.",
    });
  });

  it("refuses a prompt one token short of filling the context instead of compressing it", async () => {
    // Grown a character at a time: the last prompt that leaves room for one token of answer, and
    // the first that does not (counted whole, so the exact check refuses it, not the bounded count).
    const text = words(200);
    const tokensOf = (n: number): Promise<number> => chat.countTokens({ messages: [userText(text.slice(0, n))] });
    let n = 1;
    while ((await tokensOf(n)) < 255) n++;
    const tokens = await tokensOf(n);
    expect(tokens).toBeLessThanOrEqual(256);
    const fits = { messages: [userText(text.slice(0, n - 1))], maxOutputTokens: 1, temperature: 0 };
    const tokensOfFits = await tokensOf(n - 1);
    expect(tokensOfFits).toBeLessThan(255);
    await expect(generate(chat, fits)).resolves.toMatchObject({ usage: { inputTokens: tokensOfFits } });
    await expect(generate(chat, { messages: [userText(text.slice(0, n))], maxOutputTokens: 1 })).rejects.toMatchObject({
      code: "context_overflow",
      message: `The prompt is ${tokens} tokens, more than the 256-token context can hold.`,
    });
  });

  it("counts the tools a template spells out in the character bound, and caps a schema's properties and enum values", async () => {
    const described = { name: "t", description: "d".repeat(4_000_000), inputSchema: { type: "object" } };
    await expect(generate(chat, { messages: [userText("hi")], tools: [described] })).rejects.toMatchObject({
      code: "context_overflow",
      message: "The prompt is 4000003 characters, more than the 256-token context can hold.",
    });
    const properties = Object.fromEntries(Array.from({ length: 1001 }, (_, i) => [`p${i}`, { type: "string" }]));
    for (const toolChoice of ["auto", "required"] as const) {
      await expect(generate(chat, { messages: [userText("hi")], tools: [{ name: "wide", inputSchema: { type: "object", properties } }], toolChoice })).rejects.toMatchObject({
        code: "bad_request",
        message: 'The schema of tool "wide" declares 1001 properties, enum values and alternatives in all; wren accepts at most 1000 per schema.',
      });
    }
    // An 18,000-value enum took seconds to compile to a grammar, holding the event loop.
    const values = Array.from({ length: 18_000 }, (_, i) => `v${i}`);
    await expect(generate(chat, { messages: [userText("hi")], responseFormat: { type: "json", schema: { enum: values } } })).rejects.toMatchObject({
      code: "bad_request",
      message: "The response format's schema declares 18000 properties, enum values and alternatives in all; wren accepts at most 1000 per schema.",
    });
    const half = { type: "object", properties: { a: { enum: values.slice(0, 600) }, b: { anyOf: values.slice(0, 400).map((v) => ({ const: v })) } } };
    await expect(generate(chat, { messages: [userText("hi")], responseFormat: { type: "json", schema: half } })).rejects.toMatchObject({
      message: expect.stringMatching(/declares 1002 properties, enum values and alternatives/),
    });
  });

  it("refuses stop sequences too many or too long to prepare for matching, and takes ones at the limits", async () => {
    // A 1 MB stop string (a fuzzed Ollama request) held the event loop for 0.4 s and took 230 MB.
    await expect(generate(chat, { messages: [userText("hi")], stopSequences: ["x".repeat(1_000_000)], maxOutputTokens: 2 })).rejects.toMatchObject({
      code: "bad_request",
      message: "Stop sequence 1 is 1000000 characters long; wren accepts at most 1000 characters a stop sequence.",
      details: { param: "stop" },
    });
    const many = Array.from({ length: 17 }, (_, i) => `<end${i}>`);
    await expect(generate(chat, { messages: [userText("hi")], stopSequences: many, maxOutputTokens: 2 })).rejects.toMatchObject({
      code: "bad_request",
      message: "The request gives 17 stop sequences; wren accepts at most 16.",
    });
    const atLimits = [...many.slice(0, 15), "y".repeat(1000)];
    await expect(generate(chat, { messages: [userText("hi")], stopSequences: atLimits, maxOutputTokens: 2, temperature: 0 })).resolves.toMatchObject({ finishReason: expect.any(String) });
  });

  it("keeps the latest text of an over-long completion prompt and reports it truncated", async () => {
    const result = (await generate(plain, { messages: [], rawPrompt: "once upon a time ".repeat(1_000_000), maxOutputTokens: 2, temperature: 0 })) as {
      usage: { inputTruncated?: boolean; inputTokens: number };
    };
    expect(result.usage.inputTruncated).toBe(true);
    // Only the last slice of text was kept and tokenized, not the 17 MB (millions of tokens) sent.
    expect(result.usage.inputTokens).toBeLessThan(10_000);
  });

  it("counts a long prompt in slices, within a few tokens of tokenizing it whole", async () => {
    // Trained for 64k tokens: a count_tokens request may bring a prompt of that size, which is
    // counted 8 KB at a time with turns of the event loop between, never tokenized in one piece.
    const long = await engine.loadModel(await syntheticModel({ seed: 11, contextLength: 65_536 }), { id: "long", contextSize: 256 });
    const text = words(12_000);
    const slices = Math.ceil(text.length / 8192);
    const whole = long.tokenize(text).length;
    const counted = await long.countTokens({ messages: [], rawPrompt: text });
    expect(whole).toBeGreaterThan(12_000);
    // One more for the BOS token a completion prompt starts with; at most two per cut between slices.
    expect(counted).toBeGreaterThanOrEqual(whole);
    expect(counted).toBeLessThanOrEqual(whole + 1 + 2 * slices);
  });

  it("counts tokens up to the model's largest context and refuses beyond it", async () => {
    expect(await chat.countTokens({ messages: [userText("hi")] })).toBeGreaterThan(1);
    // Past the served context but within the trained one: counted, not refused.
    expect(await chat.countTokens({ messages: [userText(words(100))] })).toBeGreaterThan(256);
    await expect(chat.countTokens({ messages: [userText("x".repeat(4_000_000))] })).rejects.toMatchObject({
      code: "context_overflow",
      message: "The prompt is 4000000 characters, more than the 1024-token context can hold.",
    });
    await expect(plain.countTokens({ messages: [], rawPrompt: words(100) })).rejects.toMatchObject({
      code: "context_overflow",
      message: expect.stringMatching(/^The prompt is more than \d+ tokens, more than the 256-token context can hold\.$/),
      hint: expect.stringMatching(/at most 256 tokens/),
    });
  });

  it("refuses embedding inputs longer than the embedding context, naming which input", async () => {
    await expect(plain.doEmbed(["short", words(100)])).rejects.toMatchObject({
      code: "context_overflow",
      message: expect.stringMatching(/^Input 2 of 2 is more than \d+ tokens, more than an embedding input can hold \(\d+ tokens\)\.$/),
      hint: expect.stringMatching(/^Split it into pieces of at most \d+ tokens and embed each\.$/),
    });
    await expect(plain.doEmbed(["x".repeat(16_000_000)])).rejects.toMatchObject({
      code: "context_overflow",
      message: expect.stringMatching(/^The input is 16000000 characters, more than an embedding input can hold \(\d+ tokens\)\.$/),
    });
    expect((await plain.doEmbed(["short"])).embeddings).toHaveLength(1);
  });

  it("names the room an embedding input really has (the context less the start and end tokens the model adds): an input of that many tokens embeds, one more is refused by wren", async () => {
    // "a a a …": one token per word, checked.
    const ofTokens = (n: number) => `a${" a".repeat(n - 1)}`;
    expect(plain.tokenize(ofTokens(100))).toHaveLength(100);
    // A whole context's worth (256 tokens) used to pass wren's check and fail inside llama.cpp's embedding context.
    const refusal = await plain.doEmbed([ofTokens(256)]).then(
      () => undefined,
      (error: unknown) => error as WrenError,
    );
    expect(refusal).toMatchObject({ code: "context_overflow" });
    const room = refusal!.details!.maxTokens as number;
    expect(refusal!.message).toMatch(new RegExp(`^The input is (more than )?\\d+ tokens, more than an embedding input can hold \\(${room} tokens\\)\\.$`));
    expect(room).toBeLessThan(256);
    expect(room).toBeGreaterThan(250);
    expect(refusal!.hint).toBe(`Split it into pieces of at most ${room} tokens and embed each.`);
    const fits = await plain.doEmbed([ofTokens(room)]);
    expect(fits.embeddings[0]!.length).toBeGreaterThan(0);
    expect(fits.usage.inputTokens).toBe(room);
    await expect(plain.doEmbed([ofTokens(room + 1)])).rejects.toMatchObject({ code: "context_overflow", details: { maxTokens: room } });
    // Cut to fit when asked: the same room.
    expect((await plain.doEmbed([ofTokens(400)], { truncate: true })).usage.inputTokens).toBe(room);
  });

  it("refuses tool names a chat template cannot carry", async () => {
    for (const name of ["get weather", "bad\u0001name", "", "x".repeat(65)]) {
      await expect(generate(chat, { messages: [userText("hi")], tools: [{ name, inputSchema: { type: "object" } }] })).rejects.toMatchObject({
        code: "bad_request",
        message: `Tool 1: the tool name ${JSON.stringify(name)} is not allowed: use 1 to 64 letters, digits, underscores or hyphens.`,
      });
    }
  });

  it("refuses JSON nested past 64 levels in tool schemas, earlier tool arguments and response formats", async () => {
    const deep = nested(10_000) as Record<string, unknown>;
    await expect(generate(chat, { messages: [userText("hi")], tools: [{ name: "t", inputSchema: deep }] })).rejects.toMatchObject({
      code: "bad_request",
      message: 'The schema of tool "t" nests JSON more than 64 levels deep.',
    });
    await expect(generate(chat, { messages: [userText("hi")], responseFormat: { type: "json", schema: deep } })).rejects.toMatchObject({
      code: "bad_request",
      message: "The response format's schema nests JSON more than 64 levels deep.",
    });
    const history: ChatRequest["messages"] = [
      userText("hi"),
      { role: "assistant", content: [{ type: "tool-call", toolCallId: "c1", toolName: "t", input: nestedArray(10_000) }] },
      { role: "tool", content: [{ type: "tool-result", toolCallId: "c1", toolName: "t", output: "ok" }] },
    ];
    await expect(generate(chat, { messages: history })).rejects.toMatchObject({
      code: "bad_request",
      message: 'The arguments of the earlier tool call "t" nests JSON more than 64 levels deep.',
    });
    await expect(chat.countTokens({ messages: history })).rejects.toMatchObject({ code: "bad_request" });
    // 64 levels are fine.
    const ok = { type: "json" as const, schema: nested(30) as Record<string, unknown> };
    await expect(generate(chat, { messages: [userText("hi")], responseFormat: ok, maxOutputTokens: 2 })).resolves.toBeDefined();
  });

  it("refuses a forced tool whose schema admits no value", async () => {
    const tool = { name: "pick", inputSchema: { type: "object", properties: { color: { enum: [] } }, required: ["color"] } };
    await expect(generate(chat, { messages: [userText("hi")], tools: [tool], toolChoice: "required" })).rejects.toMatchObject({
      code: "bad_request",
      message: 'The schema of tool "pick" cannot be satisfied: properties.color.enum is an empty list.',
    });
  });

  it("refuses a schema that repeats more than llama.cpp's grammar allows, saying which keyword", async () => {
    const many = { type: "object", properties: { a: { type: "array", items: { type: "string" }, minItems: 1e9 } }, required: ["a"] };
    await expect(generate(chat, { messages: [userText("hi")], tools: [{ name: "t", inputSchema: many }], toolChoice: "required" })).rejects.toMatchObject({
      code: "bad_request",
      message: 'The schema of tool "t" cannot be satisfied: properties.a.minItems is 1000000000, more repetitions than a grammar takes (2000).',
    });
    // What no check foresees (maxItems 2001) still names repetition counts, not "a schema of objects, arrays...".
    const most = { type: "object", properties: { a: { type: "array", items: { type: "string" }, maxItems: 2001 } }, required: ["a"] };
    await expect(generate(chat, { messages: [userText("hi")], tools: [{ name: "t", inputSchema: most }], toolChoice: "required" })).rejects.toMatchObject({
      code: "bad_request",
      hint: expect.stringContaining("minItems, maxItems, minLength and maxLength"),
    });
  });

  it("refuses a schema whose type names no JSON type, and follows one with a property named type", async () => {
    const bogus = { type: "json" as const, schema: { type: "bogus" } };
    await expect(generate(chat, { messages: [userText("hi")], responseFormat: bogus })).rejects.toMatchObject({
      code: "bad_request",
      message: `The response format's schema cannot be satisfied: type is "bogus", which names no JSON type.`,
      hint: expect.stringContaining('"string", "number", "integer"'),
    });
    const typo = { type: "object", properties: { a: { type: ["string", "strnig"] } } };
    await expect(generate(chat, { messages: [userText("hi")], tools: [{ name: "t", inputSchema: typo }] })).rejects.toMatchObject({
      message: 'The schema of tool "t" cannot be satisfied: properties.a.type is ["string","strnig"], which names no JSON type.',
    });
    // `type` and `enum` as property names are names, not keywords.
    const named = { type: "json" as const, schema: { type: "object", properties: { type: { type: "string" }, enum: { type: ["integer", "null"] } } } };
    await expect(generate(chat, { messages: [userText("hi")], responseFormat: named, maxOutputTokens: 2 })).resolves.toBeDefined();
  });

  it("refuses a $ref a grammar cannot follow, and a negative or contradictory length or count, naming the path", async () => {
    const refused: Array<[unknown, string]> = [
      [{ $ref: "#/$defs/missing" }, 'properties.a.$ref is "#/$defs/missing", which points to no definition'],
      [{ $ref: "https://example.com/s.json" }, 'properties.a.$ref is "https://example.com/s.json", a schema outside this one'],
      [{ $ref: "other.json#/x" }, 'properties.a.$ref is "other.json#/x", a schema outside this one'],
      [{ $ref: "#" }, 'properties.a.$ref is "#", a reference to the whole schema'],
      [{ $ref: "#/properties/b" }, 'properties.a.$ref is "#/properties/b", which is not a definition'],
      [{ type: "string", maxLength: -1 }, "properties.a.maxLength is -1, not a count (a whole number, 0 or more)"],
      [{ type: "array", items: { type: "string" }, minItems: 1.5 }, "properties.a.minItems is 1.5, not a count (a whole number, 0 or more)"],
      [{ type: "string", minLength: 5, maxLength: 2 }, "properties.a.maxLength is 2, less than its minLength 5"],
      [{ type: "array", prefixItems: [{ type: "string" }, { type: "string" }], maxItems: 1 }, "properties.a.maxItems is 1, less than its 2 prefixItems, which a grammar writes every one of"],
      [{ type: "object", properties: { x: { type: "string" }, y: { type: "string" } }, maxProperties: 1 }, "properties.a.maxProperties is 1, less than its 2 properties, which a grammar writes every one of"],
      [{ type: "object", $defs: { x: { type: "string" } }, properties: { b: { $ref: "#/$defs/x/type" } } }, 'properties.a.properties.b.$ref is "#/$defs/x/type", which points to no definition'],
    ];
    for (const [a, problem] of refused) {
      const schema = { type: "object", properties: { a }, required: ["a"] };
      await expect(generate(chat, { messages: [userText("hi")], tools: [{ name: "t", inputSchema: schema }], toolChoice: "required" }), problem).rejects.toMatchObject({
        code: "bad_request",
        message: `The schema of tool "t" cannot be satisfied: ${problem}.`,
        hint: expect.any(String),
      });
    }
    await expect(generate(chat, { messages: [userText("hi")], responseFormat: { type: "json", schema: { type: "object", properties: { n: { $ref: "#" } } } } })).rejects.toMatchObject({
      code: "bad_request",
      message: `The response format's schema cannot be satisfied: properties.n.$ref is "#", a reference to the whole schema.`,
      hint: expect.stringContaining("#/$defs/"),
    });
  });

  it("follows a $ref to #/$defs/NAME or #/definitions/NAME, and a definition that refers to itself", async () => {
    const forced = async (inputSchema: Record<string, unknown>): Promise<unknown> => {
      const result = (await generate(chat, { messages: [userText("hi")], tools: [{ name: "t", inputSchema }], toolChoice: "required", maxOutputTokens: 40, temperature: 0 })) as {
        content: Array<{ type: string; input?: unknown }>;
      };
      return result.content.find((p) => p.type === "tool-call")?.input;
    };
    const pick = { const: "fixed" };
    expect(await forced({ type: "object", $defs: { x: pick }, properties: { a: { $ref: "#/$defs/x" } }, required: ["a"] })).toEqual({ a: "fixed" });
    expect(await forced({ type: "object", definitions: { x: pick }, properties: { a: { $ref: "#/definitions/x" } }, required: ["a"] })).toEqual({ a: "fixed" });
    // A property named "definitions" is a name, not the keyword.
    const named = { type: "object", definitions: { x: pick }, properties: { definitions: { $ref: "#/definitions/x" } }, required: ["definitions"] };
    expect(await forced(named)).toEqual({ definitions: "fixed" });
    const tree = { $defs: { node: { type: "object", properties: { kids: { type: "array", items: { $ref: "#/$defs/node" }, maxItems: 0 } } } }, $ref: "#/$defs/node" };
    expect(await forced(tree)).toEqual({ kids: [] });
  });

  it("follows anyOf and allOf, which node-llama-cpp alone compiles to null: pydantic's Optional fields and zod's nullable ones", async () => {
    const forced = async (inputSchema: Record<string, unknown>): Promise<unknown> => {
      const result = (await generate(chat, { messages: [userText("hi")], tools: [{ name: "t", inputSchema }], toolChoice: "required", maxOutputTokens: 60, temperature: 0 })) as {
        content: Array<{ type: string; input?: unknown }>;
      };
      return result.content.find((p) => p.type === "tool-call")?.input;
    };
    const either = (await forced({ type: "object", properties: { a: { anyOf: [{ const: "fixed" }, { const: 7 }] } }, required: ["a"] })) as { a: unknown };
    expect(["fixed", 7]).toContain(either.a);
    // pydantic v1 wraps a referenced model with a default in a one-entry allOf.
    const wrapped = { type: "object", $defs: { x: { const: "fixed" } }, properties: { a: { allOf: [{ $ref: "#/$defs/x" }], description: "the a" } }, required: ["a"] };
    expect(await forced(wrapped)).toEqual({ a: "fixed" });
    const parts = [
      { type: "object", properties: { x: { const: 1 } }, required: ["x"] },
      { type: "object", properties: { y: { const: 2 } }, required: ["y"] },
    ];
    expect(await forced({ allOf: parts })).toEqual({ x: 1, y: 2 });
    // Several schemas that are not plain objects to put together cannot be one grammar: said, not compiled to null.
    await expect(generate(chat, { messages: [userText("hi")], responseFormat: { type: "json", schema: { type: "object", properties: { a: { allOf: [{ type: "string" }, { maxLength: 3 }] } } } } })).rejects.toMatchObject({
      code: "bad_request",
      message: expect.stringContaining("properties.a.allOf"),
    });
  });

  it("answers 400, not 500, when a stop sequence cuts a forced tool call short", async () => {
    const tool = { name: "note", inputSchema: { type: "object", properties: { text: { type: "string" } }, required: ["text"] } };
    await expect(
      generate(chat, { messages: [userText("hi")], tools: [tool], toolChoice: "required", stopSequences: ['"'], maxOutputTokens: 40, temperature: 0 }),
    ).rejects.toMatchObject({ code: "bad_request", message: expect.stringMatching(/stop sequence ended the forced tool call/) });
  });
});

describe("PromptBounds on a generated model's vocabulary", () => {
  let model: LlamaModel;
  let bounds: PromptBounds;

  beforeAll(async () => {
    const llama = await getLlama({ gpu: false, maxThreads: 1 });
    model = await llama.loadModel({ modelPath: await syntheticModel({ seed: 11 }) });
    bounds = new PromptBounds(model);
  });
  afterAll(async () => {
    await model?.dispose();
  });

  it("takes its character bound from the longest token: byte tokens like <0x0A> at least", () => {
    expect(bounds.longestTokenBytes).toBeGreaterThanOrEqual(6);
    expect(bounds.charLimit(100)).toBe(bounds.longestTokenBytes * 100);
  });

  it("counts a long text in slices to within a few tokens per cut of tokenizing it whole", async () => {
    const text = "the quick brown fox jumps over the lazy dog, 日本語 👍 ".repeat(2000);
    const whole = model.tokenize(text, false).length;
    const counted = await bounds.count(text, Number.MAX_SAFE_INTEGER);
    expect(counted.over).toBe(false);
    const cuts = Math.ceil(text.length / 8192);
    expect(Math.abs(counted.tokens - whole)).toBeLessThanOrEqual(2 * cuts);
    const short = await bounds.count("hello world", 1000);
    expect(short).toEqual({ tokens: model.tokenize("hello world", false).length, over: false });
  });

  it("stops counting once past the limit", async () => {
    const counted = await bounds.count("hello world ".repeat(100_000), 100);
    expect(counted.over).toBe(true);
    expect(counted.tokens).toBeGreaterThan(100);
    // One slice was enough to know: it did not count the 1.2 MB.
    expect(counted.tokens).toBeLessThan(9000);
  });

  it("keeps the end of a prompt holding more than the limit, never half a surrogate pair", async () => {
    const prompt = "start " + "👍a".repeat(200_000) + " the end";
    const kept = await bounds.tail(prompt, 50);
    expect(prompt.endsWith(kept)).toBe(true);
    expect(kept.length).toBeLessThan(prompt.length);
    expect(model.tokenize(kept, false).length).toBeGreaterThan(50);
    const first = kept.charCodeAt(0);
    expect(first >= 0xdc00 && first <= 0xdfff).toBe(false);
    expect(await bounds.tail("short prompt", 50)).toBe("short prompt");
  });
});
