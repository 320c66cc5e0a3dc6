import Anthropic from "@anthropic-ai/sdk";
import { ApiError, GoogleGenAI } from "@google/genai";
import { Ollama } from "ollama";
import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningServer } from "../../src/runtime/serve.js";
import type { ChatBody, ScriptedTeacher } from "../helpers/fake-upstreams/scripted-teacher.js";
import { serveChatWithTeacher, TEACHER_MODEL, type ServedChat } from "../helpers/served-chat.js";
import { CHAT_MODEL_REPLY, hasSharedModels, sharedModels } from "../helpers/shared-models.js";

/** The teacher stand-in calls each tool it is offered (for Oslo, Bergen, ...), and otherwise greets. */
function teacherScript(body: ChatBody) {
  const cities = ["Oslo", "Bergen", "Tromsø"];
  const calls = (body.tools ?? []).map((t, i) => ({ name: t.function.name, arguments: { city: cities[i % cities.length] } }));
  return calls.length > 0 ? { toolCalls: calls } : { text: "Hello from the teacher." };
}

/**
 * The less common parameters of each official SDK, as its users send them, against a real
 * `wren serve`: each either works as the SDK expects or is a 4xx in the dialect's error shape that
 * names what is unsupported; none is silently dropped when that changes the answer's meaning.
 */
describe.runIf(hasSharedModels)("official SDKs' less common parameters against wren serve", () => {
  let served: ServedChat;
  let server: RunningServer;
  let teacher: ScriptedTeacher;
  let openai: OpenAI;
  let anthropic: Anthropic;
  let gemini: GoogleGenAI;
  let ollama: Ollama;
  const input = "Say hello.";

  beforeAll(async () => {
    served = await serveChatWithTeacher(teacherScript, { extraModels: [{ path: sharedModels.stories, id: "stories", contextSize: 256, sequences: 1 }] });
    ({ server, teacher } = served);
    openai = new OpenAI({ baseURL: `${server.url}/v1`, apiKey: "unused", maxRetries: 0 });
    anthropic = new Anthropic({ baseURL: server.url, apiKey: "unused", maxRetries: 0 });
    ollama = new Ollama({ host: server.url });
    gemini = new GoogleGenAI({ apiKey: "unused", httpOptions: { baseUrl: server.url, retryOptions: { attempts: 1 } } });
  });
  afterAll(async () => {
    await served?.close();
  });

  it("OpenAI Responses: top_logprobs and the logprobs include are refused, not answered with empty logprobs", async () => {
    const topLogprobs = await openai.responses.create({ model: "chat", input, top_logprobs: 3 }).catch((e: unknown) => e);
    expect(topLogprobs).toBeInstanceOf(OpenAI.BadRequestError);
    expect((topLogprobs as InstanceType<typeof OpenAI.BadRequestError>).error).toMatchObject({ code: "unsupported", param: "top_logprobs" });
    const included = await openai.responses.create({ model: "chat", input, include: ["message.output_text.logprobs"] }).catch((e: unknown) => e);
    expect(included).toBeInstanceOf(OpenAI.BadRequestError);
    expect((included as InstanceType<typeof OpenAI.BadRequestError>).error).toMatchObject({ code: "unsupported", param: "include" });
    // Without them, and with other includes, it answers.
    const res = await openai.responses.create({ model: "chat", input, top_logprobs: 0, include: ["reasoning.encrypted_content"] });
    expect(res.output_text).toBe(CHAT_MODEL_REPLY);
  });

  it("Gemini: responseLogprobs and logprobs are refused, not answered without logprobsResult", async () => {
    for (const config of [{ responseLogprobs: true }, { responseLogprobs: true, logprobs: 3 }, { logprobs: 2 }]) {
      const error = await gemini.models.generateContent({ model: "chat", contents: input, config }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ApiError);
      expect((error as ApiError).status).toBe(400);
      expect((error as ApiError).message).toMatch(/log probabilities/);
    }
    const res = await gemini.models.generateContent({ model: "chat", contents: input, config: { responseLogprobs: false } });
    expect(res.text).toBe(CHAT_MODEL_REPLY);
  });

  it("Ollama: logprobs are refused on /api/chat and /api/generate, not answered without them", async () => {
    const messages = [{ role: "user", content: input }];
    await expect(ollama.chat({ model: "chat", messages, logprobs: true })).rejects.toMatchObject({ status_code: 400, error: expect.stringMatching(/logprobs/) });
    await expect(ollama.chat({ model: "chat", messages, top_logprobs: 2 })).rejects.toMatchObject({ status_code: 400 });
    await expect(ollama.generate({ model: "chat", prompt: input, logprobs: true })).rejects.toMatchObject({ status_code: 400, error: expect.stringMatching(/logprobs/) });
    expect((await ollama.chat({ model: "chat", messages, logprobs: false })).message.content).toBe(CHAT_MODEL_REPLY);
  });

  it("Ollama: think is refused as Ollama refuses it for a model without thinking, on /api/chat and /api/generate", async () => {
    const messages = [{ role: "user", content: input }];
    const refusal = { status_code: 400, error: expect.stringMatching(/^"chat" does not support thinking/) as string };
    for (const think of [true, "high", "medium", "low"] as const) {
      await expect(ollama.chat({ model: "chat", messages, think }), String(think)).rejects.toMatchObject(refusal);
      await expect(ollama.generate({ model: "chat", prompt: input, think }), String(think)).rejects.toMatchObject(refusal);
      await expect(ollama.chat({ model: "chat", messages, think, stream: true }), String(think)).rejects.toMatchObject(refusal);
    }
    // A level Ollama does not know is refused as such.
    await expect(ollama.chat({ model: "chat", messages, think: "max" as "high" })).rejects.toMatchObject({ status_code: 400, error: expect.stringMatching(/think/) });
    // Thinking turned off is what the model does anyway: it answers, with no thinking.
    const off = await ollama.chat({ model: "chat", messages, think: false });
    expect(off.message.content).toBe(CHAT_MODEL_REPLY);
    expect(off.message.thinking).toBeUndefined();
    expect((await ollama.generate({ model: "chat", prompt: input, think: false })).response).toBe(CHAT_MODEL_REPLY);
  });

  it("Ollama: show gives the model's effective parameters in Ollama's lines", async () => {
    const show = await ollama.show({ model: "chat" });
    expect(show.parameters).toMatch(/^num_ctx {24}512$/);
    expect((await ollama.show({ model: "stories" })).template).toBe("{{ .Prompt }}");
  });

  it("Ollama /api/generate: suffix, template and context are refused, images reach the model as /api/chat's do", async () => {
    const options = { num_predict: 8 };
    await expect(ollama.generate({ model: "chat", prompt: "def add(a, b):", suffix: "return c", options })).rejects.toMatchObject({ status_code: 400, error: expect.stringMatching(/does not support insert/) });
    await expect(ollama.generate({ model: "chat", prompt: input, template: "<|user|>{{ .Prompt }}<|bot|>", options })).rejects.toMatchObject({ status_code: 400, error: expect.stringMatching(/template/) });
    await expect(ollama.generate({ model: "chat", prompt: input, context: [1, 2, 3], options })).rejects.toMatchObject({ status_code: 400, error: expect.stringMatching(/context/) });
    // The local model reads no images: /api/chat says so, and /api/generate now does too.
    const image = "iVBORw0KGgo=";
    await expect(ollama.chat({ model: "chat", messages: [{ role: "user", content: input, images: [image] }] })).rejects.toMatchObject({ status_code: 400, error: expect.stringMatching(/images/) });
    await expect(ollama.generate({ model: "chat", prompt: input, images: [image] })).rejects.toMatchObject({ status_code: 400, error: expect.stringMatching(/images/) });
    await expect(ollama.generate({ model: "stories", prompt: "Once", images: [image] })).rejects.toMatchObject({ status_code: 400, error: expect.stringMatching(/images/) });
    // Empty ones are nothing asked for.
    expect((await ollama.generate({ model: "chat", prompt: input, suffix: "", template: "", context: [] })).response).toBe(CHAT_MODEL_REPLY);
  });

  it("OpenAI chat: documented hints are accepted, features wren lacks are refused by name", async () => {
    const messages = [{ role: "user" as const, content: input }];
    const res = await openai.chat.completions.create({
      model: "chat",
      messages,
      safety_identifier: "user-1",
      prompt_cache_key: "conversation-1",
      prompt_cache_retention: "24h",
      verbosity: "low",
      prediction: { type: "content", content: "Hello" },
      modalities: ["text"],
    });
    expect(res.choices[0]!.message.content).toBe(CHAT_MODEL_REPLY);
    const refused: Array<[string, Partial<OpenAI.ChatCompletionCreateParamsNonStreaming>]> = [
      ["modalities", { modalities: ["text", "audio"], audio: { voice: "alloy", format: "mp3" } }],
      ["audio", { audio: { voice: "alloy", format: "mp3" } }],
      ["web_search_options", { web_search_options: {} }],
      ["functions", { functions: [{ name: "get_weather", parameters: { type: "object", properties: {} } }] }],
      ["function_call", { function_call: "auto" }],
    ];
    for (const [param, extra] of refused) {
      const error = await openai.chat.completions.create({ model: "chat", messages, ...extra }).catch((e: unknown) => e);
      expect(error, param).toBeInstanceOf(OpenAI.BadRequestError);
      expect((error as InstanceType<typeof OpenAI.BadRequestError>).error, param).toMatchObject({ code: "unsupported", param });
      expect((error as Error).message, param).not.toMatch(/Unrecognized/);
    }
  });

  it("OpenAI chat: store keeps a completion to retrieve, list, read the messages of, update and delete", async () => {
    const messages: OpenAI.ChatCompletionMessageParam[] = [
      { role: "system", content: "Be brief." },
      { role: "user", content: [{ type: "text", text: input }] },
    ];
    const created = await openai.chat.completions.create({ model: "chat", messages, store: true, metadata: { topic: "greeting" } });
    const retrieved = await openai.chat.completions.retrieve(created.id);
    expect(retrieved).toMatchObject({ id: created.id, object: "chat.completion", model: "chat", metadata: { topic: "greeting" }, choices: [{ message: { role: "assistant", content: CHAT_MODEL_REPLY } }] });
    const stored = await openai.chat.completions.messages.list(created.id);
    expect(stored.data).toMatchObject([
      { id: `${created.id}-0`, role: "system", content: "Be brief.", content_parts: null },
      { id: `${created.id}-1`, role: "user", content: input, content_parts: [{ type: "text", text: input }] },
    ]);
    const page = await openai.chat.completions.messages.list(created.id, { limit: 1, order: "desc" });
    expect(page.data.map((m) => m.role)).toEqual(["user"]);
    expect(page.hasNextPage()).toBe(true);
    // Streamed answers are kept too; answers without store: true are not.
    const streamed = await openai.chat.completions.stream({ model: "chat", messages, store: true }).finalChatCompletion();
    expect((await openai.chat.completions.retrieve(streamed.id)).choices[0]!.message.content).toBe(CHAT_MODEL_REPLY);
    const unstored = await openai.chat.completions.create({ model: "chat", messages });
    const missing = await openai.chat.completions.retrieve(unstored.id).catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(OpenAI.NotFoundError);
    expect((missing as InstanceType<typeof OpenAI.NotFoundError>).message).toMatch(/store: true/);
    // Listed oldest first, a page at a time, and by metadata.
    const ids: string[] = [];
    for await (const completion of openai.chat.completions.list({ limit: 1 })) ids.push(completion.id);
    expect(ids).toEqual([created.id, streamed.id]);
    expect((await openai.chat.completions.list({ order: "desc" })).data.map((c) => c.id)).toEqual([streamed.id, created.id]);
    expect((await openai.chat.completions.list({ metadata: { topic: "greeting" } })).data.map((c) => c.id)).toEqual([created.id]);
    expect((await openai.chat.completions.list({ model: "stories" })).data).toEqual([]);
    // Paging on from a completion no longer kept ends the list rather than starting it over.
    expect((await openai.chat.completions.list({ after: unstored.id })).data).toEqual([]);
    const updated = await openai.chat.completions.update(created.id, { metadata: { topic: "farewell" } });
    // The SDK's type has no metadata, though the API answers it.
    const metadataOf = (completion: OpenAI.ChatCompletion) => (completion as OpenAI.ChatCompletion & { metadata?: unknown }).metadata;
    expect(metadataOf(updated)).toEqual({ topic: "farewell" });
    expect(metadataOf(await openai.chat.completions.retrieve(created.id))).toEqual({ topic: "farewell" });
    expect(await openai.chat.completions.delete(created.id)).toEqual({ id: created.id, object: "chat.completion.deleted", deleted: true });
    await expect(openai.chat.completions.retrieve(created.id)).rejects.toBeInstanceOf(OpenAI.NotFoundError);
    await expect(openai.chat.completions.messages.list(created.id)).rejects.toBeInstanceOf(OpenAI.NotFoundError);
  });

  it("OpenAI: logit_bias is refused on chat and completions, not ignored", async () => {
    const bias = { "15339": -100 };
    const chat = await openai.chat.completions.create({ model: "chat", messages: [{ role: "user", content: input }], logit_bias: bias }).catch((e: unknown) => e);
    expect(chat).toBeInstanceOf(OpenAI.BadRequestError);
    expect((chat as InstanceType<typeof OpenAI.BadRequestError>).error).toMatchObject({ code: "unsupported", param: "logit_bias" });
    const completion = await openai.completions.create({ model: "stories", prompt: "Once", max_tokens: 4, logit_bias: bias }).catch((e: unknown) => e);
    expect(completion).toBeInstanceOf(OpenAI.BadRequestError);
    expect((completion as InstanceType<typeof OpenAI.BadRequestError>).error).toMatchObject({ code: "unsupported", param: "logit_bias" });
    // Biases of 0 change nothing.
    const none = await openai.chat.completions.create({ model: "chat", messages: [{ role: "user", content: input }], logit_bias: { "15339": 0 } });
    expect(none.choices[0]!.message.content).toBe(CHAT_MODEL_REPLY);
  });

  it("OpenAI chat: tool_choice allowed_tools narrows the tools offered; custom tools are refused by name", async () => {
    const fn = (name: string) => ({ type: "function" as const, function: { name, parameters: { type: "object", properties: { city: { type: "string" } }, required: ["city"] } } });
    const messages = [{ role: "user" as const, content: "What is the weather in Oslo?" }];
    const tools = [fn("get_time"), fn("get_weather")];
    const res = await openai.chat.completions.create({
      model: TEACHER_MODEL,
      messages,
      tools,
      tool_choice: { type: "allowed_tools", allowed_tools: { mode: "required", tools: [{ type: "function", function: { name: "get_weather" } }] } },
    });
    const call = res.choices[0]!.message.tool_calls![0]!;
    expect(call.type === "function" ? call.function.name : call.type).toBe("get_weather");
    const sent = teacher.requests.at(-1)!;
    expect(sent.tools?.map((t) => t.function.name)).toEqual(["get_weather"]);
    expect(sent["tool_choice"]).toBe("required");
    const unknown = await openai.chat.completions
      .create({ model: TEACHER_MODEL, messages, tools, tool_choice: { type: "allowed_tools", allowed_tools: { mode: "auto", tools: [{ type: "function", function: { name: "nope" } }] } } })
      .catch((e: unknown) => e);
    expect((unknown as InstanceType<typeof OpenAI.BadRequestError>).error).toMatchObject({ param: "tool_choice", message: expect.stringMatching(/'nope'/) as string });
    const custom = await openai.chat.completions
      .create({ model: "chat", messages, tools: [{ type: "custom", custom: { name: "shell" } }], tool_choice: { type: "custom", custom: { name: "shell" } } })
      .catch((e: unknown) => e);
    expect(custom).toBeInstanceOf(OpenAI.BadRequestError);
    expect((custom as InstanceType<typeof OpenAI.BadRequestError>).error).toMatchObject({ code: "unsupported", param: "tools.0", message: expect.stringMatching(/Custom tools/) as string });
  });

  it("Anthropic: document blocks reach the model, a PDF as a note that it cannot be read, never dropped", async () => {
    const pdf = Buffer.from("%PDF-1.4\n1 0 obj << >> endobj\n%%EOF\n").toString("base64");
    const content: Anthropic.ContentBlockParam[] = [
      { type: "text", text: "Compare these." },
      { type: "document", title: "notes.txt", context: "Meeting notes", source: { type: "text", media_type: "text/plain", data: "Ship on Friday." } },
      { type: "document", source: { type: "content", content: [{ type: "text", text: "First part." }, { type: "text", text: "Second part." }] } },
      { type: "document", source: { type: "content", content: "Plain content." } },
      { type: "document", title: "report.pdf", source: { type: "base64", media_type: "application/pdf", data: pdf } },
      { type: "document", source: { type: "url", url: "https://example.com/paper.pdf" } },
    ];
    const res = await anthropic.messages.create({ model: TEACHER_MODEL, max_tokens: 64, messages: [{ role: "user", content }] });
    expect(res.content[0]).toMatchObject({ type: "text", text: "Hello from the teacher." });
    const sent = JSON.stringify(teacher.requests.at(-1)!.messages);
    for (const text of ["Compare these.", "notes.txt", "Meeting notes", "Ship on Friday.", "First part.", "Second part.", "Plain content."]) expect(sent, text).toContain(text);
    // The PDF's bytes are not text the model can read: it is told what was attached and that it could not be read.
    expect(sent).not.toContain(pdf);
    expect(sent).toMatch(/report\.pdf[^"]*application\/pdf[^"]*cannot read/);
    expect(sent).toMatch(/https:\/\/example\.com\/paper\.pdf[^"]*cannot read/);
    // In a tool result too.
    await anthropic.messages.create({
      model: TEACHER_MODEL,
      max_tokens: 64,
      messages: [
        { role: "user", content: "Read the file." },
        { role: "assistant", content: [{ type: "tool_use", id: "toolu_1", name: "read", input: { path: "report.pdf" } }] },
        { role: "user", content: [{ type: "tool_result", tool_use_id: "toolu_1", content: [{ type: "document", title: "report.pdf", source: { type: "base64", media_type: "application/pdf", data: pdf } }] }] },
      ],
      tools: [{ name: "read", input_schema: { type: "object", properties: { path: { type: "string" } } } }],
    });
    expect(JSON.stringify(teacher.requests.at(-1)!.messages)).toMatch(/report\.pdf[^"]*cannot read/);
  });

  it("Anthropic: models.list and models.retrieve answer in Anthropic's shape, with its paging", async () => {
    const models: Anthropic.ModelInfo[] = [];
    for await (const model of anthropic.models.list({ limit: 1 })) models.push(model);
    expect(models.map((m) => m.id)).toEqual(["chat", "stories", "auto", "default"]);
    const chat = await anthropic.models.retrieve("chat");
    expect(chat).toMatchObject({ type: "model", id: "chat", display_name: "chat", max_input_tokens: 512 });
    expect(Number.isNaN(Date.parse(chat.created_at))).toBe(false);
    const page = await anthropic.models.list({ limit: 2, after_id: "chat" });
    expect(page.data.map((m) => m.id)).toEqual(["stories", "auto"]);
    expect(page).toMatchObject({ has_more: true, first_id: "stories", last_id: "auto" });
    const back = await anthropic.models.list({ limit: 2, before_id: "default" });
    expect(back.data.map((m) => m.id)).toEqual(["stories", "auto"]);
    await expect(anthropic.models.retrieve("nope")).rejects.toMatchObject({ status: 404, error: { type: "error", error: { type: "not_found_error" } } });
    // OpenAI's clients still get OpenAI's list on the same path.
    expect((await openai.models.list()).data[0]).toMatchObject({ id: "chat", object: "model" });
  });

  it("OpenAI chat: audio and file parts are refused by name, not as an invalid content", async () => {
    const cases: Array<[OpenAI.ChatCompletionContentPart, RegExp]> = [
      [{ type: "input_audio", input_audio: { data: "UklGRg==", format: "wav" } }, /Audio input/],
      [{ type: "file", file: { filename: "report.pdf", file_data: "data:application/pdf;base64,JVBERi0=" } }, /File parts \('report.pdf'\)/],
      [{ type: "file", file: { file_id: "file-abc" } }, /File parts/],
    ];
    for (const [part, message] of cases) {
      const error = await openai.chat.completions.create({ model: "chat", messages: [{ role: "user", content: [{ type: "text", text: input }, part] }] }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(OpenAI.BadRequestError);
      expect((error as InstanceType<typeof OpenAI.BadRequestError>).error).toMatchObject({ code: "unsupported", param: "messages.0.content.1", message: expect.stringMatching(message) as string });
    }
  });

  it("OpenAI: several prompts, token ids, echo, suffix, logprobs and best_of are refused by name on completions and embeddings", async () => {
    const expectRefusal = async (promise: Promise<unknown>, message: RegExp, param: string) => {
      const error = await promise.catch((e: unknown) => e);
      expect(error).toBeInstanceOf(OpenAI.BadRequestError);
      expect((error as InstanceType<typeof OpenAI.BadRequestError>).error).toMatchObject({ code: "unsupported", param, message: expect.stringMatching(message) as string });
    };
    await expectRefusal(openai.completions.create({ model: "stories", prompt: ["Once", "Twice"], max_tokens: 4 }), /2 prompts/, "prompt");
    await expectRefusal(openai.completions.create({ model: "stories", prompt: [9038, 2402], max_tokens: 4 }), /token ids/, "prompt");
    await expectRefusal(openai.completions.create({ model: "stories", prompt: [[9038], [2402]], max_tokens: 4 }), /token ids/, "prompt");
    await expectRefusal(openai.embeddings.create({ model: "stories", input: [9038, 2402] }), /token ids/, "input");
    await expectRefusal(openai.embeddings.create({ model: "stories", input: [[9038], [2402]] }), /token ids/, "input");
    // What completions may ask for beyond the text is refused naming the parameter, as OpenAI names a bad one.
    await expectRefusal(openai.completions.create({ model: "stories", prompt: "Once", max_tokens: 4, echo: true }), /echo is not supported/, "echo");
    await expectRefusal(openai.completions.create({ model: "stories", prompt: "Once", max_tokens: 4, suffix: " the end" }), /suffix is not supported/, "suffix");
    await expectRefusal(openai.completions.create({ model: "stories", prompt: "Once", max_tokens: 4, logprobs: 2 }), /logprobs is not supported/, "logprobs");
    await expectRefusal(openai.completions.create({ model: "stories", prompt: "Once", max_tokens: 4, best_of: 3 }), /best_of is not supported/, "best_of");
    expect((await openai.completions.create({ model: "stories", prompt: "Once", max_tokens: 4, echo: false, best_of: 1 })).choices).toHaveLength(1);
    // One prompt in a list is still one prompt.
    const one = await openai.completions.create({ model: "stories", prompt: ["Once upon a time"], max_tokens: 4 });
    expect(one.choices).toHaveLength(1);
  });

  it("OpenAI chat: parallel_tool_calls false answers with at most one call, streamed or not", async () => {
    const fn = (name: string) => ({ type: "function" as const, function: { name, parameters: { type: "object", properties: { city: { type: "string" } }, required: ["city"] } } });
    const request = { model: TEACHER_MODEL, messages: [{ role: "user" as const, content: "Weather and time in Oslo?" }], tools: [fn("get_weather"), fn("get_time")] };
    const names = (calls: OpenAI.ChatCompletionMessageToolCall[] | undefined) => (calls ?? []).map((c) => (c.type === "function" ? c.function.name : c.type));
    // The teacher calls both tools: parallel calls pass through as they came.
    expect(names((await openai.chat.completions.create(request)).choices[0]!.message.tool_calls)).toEqual(["get_weather", "get_time"]);
    const one = await openai.chat.completions.create({ ...request, parallel_tool_calls: false });
    expect(names(one.choices[0]!.message.tool_calls)).toEqual(["get_weather"]);
    expect(one.choices[0]!.finish_reason).toBe("tool_calls");
    const streamed = await openai.chat.completions.stream({ ...request, parallel_tool_calls: false }).finalChatCompletion();
    expect(names(streamed.choices[0]!.message.tool_calls)).toEqual(["get_weather"]);
    expect(JSON.parse(streamed.choices[0]!.message.tool_calls![0]!.type === "function" ? streamed.choices[0]!.message.tool_calls![0]!.function.arguments : "")).toEqual({ city: "Oslo" });
  });

  it("Anthropic: disable_parallel_tool_use answers with at most one tool_use block, streamed or not", async () => {
    const tool = (name: string) => ({ name, input_schema: { type: "object" as const, properties: { city: { type: "string" } }, required: ["city"] } });
    const request = { model: TEACHER_MODEL, max_tokens: 256, messages: [{ role: "user" as const, content: "Weather and time in Oslo?" }], tools: [tool("get_weather"), tool("get_time")] };
    const names = (message: Anthropic.Message) => message.content.flatMap((b) => (b.type === "tool_use" ? [b.name] : []));
    expect(names(await anthropic.messages.create(request))).toEqual(["get_weather", "get_time"]);
    for (const tool_choice of [{ type: "auto", disable_parallel_tool_use: true }, { type: "any", disable_parallel_tool_use: true }] as const) {
      const one = await anthropic.messages.create({ ...request, tool_choice });
      expect(names(one), tool_choice.type).toEqual(["get_weather"]);
      expect(one.stop_reason).toBe("tool_use");
      const streamed = await anthropic.messages.stream({ ...request, tool_choice }).finalMessage();
      expect(names(streamed), tool_choice.type).toEqual(["get_weather"]);
      expect(streamed.content.find((b) => b.type === "tool_use")).toMatchObject({ input: { city: "Oslo" } });
    }
  });

  it("Anthropic: a streamed answer's content blocks come one after another, never two open at once", async () => {
    const tool = (name: string) => ({ name, input_schema: { type: "object" as const, properties: { city: { type: "string" } }, required: ["city"] } });
    const stream = anthropic.messages.stream({ model: TEACHER_MODEL, max_tokens: 256, messages: [{ role: "user", content: "Weather and time in Oslo?" }], tools: [tool("get_weather"), tool("get_time")] });
    const events: string[] = [];
    stream.on("streamEvent", (e) => {
      if (e.type === "content_block_start" || e.type === "content_block_stop") events.push(`${e.type}:${e.index}`);
    });
    const message = await stream.finalMessage();
    expect(events).toEqual(["content_block_start:0", "content_block_stop:0", "content_block_start:1", "content_block_stop:1"]);
    expect(message.content).toMatchObject([
      { type: "tool_use", name: "get_weather", input: { city: "Oslo" } },
      { type: "tool_use", name: "get_time", input: { city: "Bergen" } },
    ]);
    expect(await anthropic.messages.stream({ model: "chat", max_tokens: 64, messages: [{ role: "user", content: input }] }).finalText()).toBe(CHAT_MODEL_REPLY);
  });

  it("Anthropic: a final assistant message is continued, as the Messages API documents, streamed or not", async () => {
    const messages: Anthropic.MessageParam[] = [
      { role: "user", content: input },
      { role: "assistant", content: "Hello from the" },
    ];
    const message = await anthropic.messages.create({ model: "chat", max_tokens: 64, messages });
    expect(message.content).toEqual([{ type: "text", text: " tiny synthetic model." }]);
    expect(message.stop_reason).toBe("end_turn");
    expect(message.usage.output_tokens).toBe(4);
    expect(await anthropic.messages.stream({ model: "chat", max_tokens: 64, messages }).finalText()).toBe(" tiny synthetic model.");
    // Block content continues the same way; the prefill is counted as input.
    const blocks: Anthropic.MessageParam[] = [messages[0]!, { role: "assistant", content: [{ type: "text", text: "Hello from the tiny" }] }];
    expect(await anthropic.messages.create({ model: "chat", max_tokens: 64, messages: blocks })).toMatchObject({ content: [{ type: "text", text: " synthetic model." }] });
    const counted = await anthropic.messages.countTokens({ model: "chat", messages });
    expect(counted.input_tokens).toBeGreaterThan((await anthropic.messages.countTokens({ model: "chat", messages: [messages[0]!] })).input_tokens);
    // As Anthropic does, a final assistant message that ends in whitespace is refused.
    const spaced = await anthropic.messages.create({ model: "chat", max_tokens: 64, messages: [messages[0]!, { role: "assistant", content: "Hello from " }] }).catch((e: unknown) => e);
    expect(spaced).toBeInstanceOf(Anthropic.BadRequestError);
    expect((spaced as InstanceType<typeof Anthropic.BadRequestError>).error).toMatchObject({
      type: "error",
      error: { type: "invalid_request_error", message: expect.stringMatching(/^messages: final assistant content cannot end with trailing whitespace/) as string },
    });
  });

  it("OpenAI chat: a final assistant message starts a new turn, as OpenAI's does, and is continued with vLLM's continue_final_message, streamed or not", async () => {
    const chat = await openai.chat.completions.create({ model: "chat", messages: [{ role: "user", content: input }, { role: "assistant", content: "Hello from the" }] });
    expect(chat.choices[0]?.message.content).toBe(CHAT_MODEL_REPLY);
    // Sent as vLLM's clients send it: extra fields in the body.
    const prefill = {
      model: "chat",
      messages: [{ role: "user" as const, content: input }, { role: "assistant" as const, content: "Hello from the" }],
      continue_final_message: true,
      add_generation_prompt: false,
    };
    const continued = await openai.chat.completions.create(prefill);
    expect(continued.choices[0]).toMatchObject({ message: { content: " tiny synthetic model." }, finish_reason: "stop" });
    let streamed = "";
    for await (const chunk of await openai.chat.completions.create({ ...prefill, stream: true })) streamed += chunk.choices[0]?.delta.content ?? "";
    expect(streamed).toBe(" tiny synthetic model.");
  });

  it("Ollama /api/chat: a final assistant message is continued, as Ollama's template leaves it open, streamed or not", async () => {
    const messages = [
      { role: "user", content: input },
      { role: "assistant", content: "Hello from the" },
    ];
    const res = await ollama.chat({ model: "chat", messages });
    expect(res.message).toMatchObject({ role: "assistant", content: " tiny synthetic model." });
    expect(res.done_reason).toBe("stop");
    expect(res.eval_count).toBe(4);
    let streamed = "";
    for await (const part of await ollama.chat({ model: "chat", messages, stream: true })) streamed += part.message.content;
    expect(streamed).toBe(" tiny synthetic model.");
  });

  it("OpenAI Responses: a streamed response's output items come one after another, never two open at once", async () => {
    const fn = (name: string) => ({ type: "function" as const, name, parameters: { type: "object", properties: { city: { type: "string" } }, required: ["city"] }, strict: false });
    const stream = openai.responses.stream({ model: TEACHER_MODEL, input: "Weather and time in Oslo?", tools: [fn("get_weather"), fn("get_time")] });
    const items: string[] = [];
    let sequence = -1;
    stream.on("event", (e) => {
      expect(e.sequence_number).toBe(++sequence);
      if (e.type === "response.output_item.added" || e.type === "response.output_item.done") items.push(`${e.type}:${e.output_index}`);
    });
    const final = await stream.finalResponse();
    expect(items).toEqual(["response.output_item.added:0", "response.output_item.done:0", "response.output_item.added:1", "response.output_item.done:1"]);
    expect(final.output.map((o) => (o.type === "function_call" ? [o.name, JSON.parse(o.arguments)] : o.type))).toEqual([
      ["get_weather", { city: "Oslo" }],
      ["get_time", { city: "Bergen" }],
    ]);
  });
});
