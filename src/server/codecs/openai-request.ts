import type { ChatRequest, Message, ResponseFormat, ToolChoice } from "../../protocol/index.js";
import { WrenError } from "../../shared/errors.js";
import type { OpenAIChatRequest, OpenAICompletionRequest, OpenAIMessage } from "../../wire/openai/index.js";

function text(content: string | Array<{ type: "text"; text: string } | { type: "refusal"; refusal: string }> | null | undefined): string {
  if (content == null) return "";
  if (typeof content === "string") return content;
  return content.map((p) => (p.type === "text" ? p.text : p.refusal)).join("");
}

/**
 * An earlier call's arguments: JSON text parsed; none at all (as some clients send back a call
 * without arguments) the empty object; anything else (a call the output limit cut off, which wren
 * itself answers with its arguments half-written) kept as the text it was, so that a client
 * sending the model's turn back as it got it is answered, as OpenAI answers it.
 */
function parseArguments(raw: string): unknown {
  if (raw.trim() === "") return {};
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    return raw;
  }
}

type UserPart = Exclude<Extract<OpenAIMessage, { role: "user" }>["content"], string>[number];

/** A user content part → canonical; audio and files, which wren's models cannot read, are refused by name. */
function userPart(p: UserPart, param: string): Extract<Message, { role: "user" }>["content"][number] {
  switch (p.type) {
    case "text":
      return { type: "text", text: p.text };
    case "image_url":
      return { type: "image", data: p.image_url.url };
    case "input_audio":
      throw new WrenError("unsupported", "Audio input (an input_audio part) is not supported: wren's models read text and images.", {
        hint: "Send a transcript of the audio as a text part.",
        details: { param },
      });
    case "file":
      throw new WrenError("unsupported", `File parts${p.file.filename ? ` ('${p.file.filename}')` : ""} are not supported: wren has no Files API and reads no PDFs.`, {
        hint: "Send the file's text as a text part.",
        details: { param },
      });
  }
}

/** OpenAI messages → canonical messages (system and developer become system). */
export function convertOpenAIMessages(messages: OpenAIMessage[]): Message[] {
  const toolNames = new Map<string, string>();
  const out: Message[] = [];
  for (const [i, m] of messages.entries()) {
    switch (m.role) {
      case "system":
      case "developer":
        out.push({ role: "system", content: text(m.content) });
        break;
      case "user":
        out.push({
          role: "user",
          content: typeof m.content === "string" ? [{ type: "text", text: m.content }] : m.content.map((p, j) => userPart(p, `messages.${i}.content.${j}`)),
        });
        break;
      case "assistant": {
        const content: Extract<Message, { role: "assistant" }>["content"] = [];
        const t = text(m.content);
        if (t) content.push({ type: "text", text: t });
        for (const call of m.tool_calls ?? []) {
          toolNames.set(call.id, call.function.name);
          content.push({ type: "tool-call", toolCallId: call.id, toolName: call.function.name, input: parseArguments(call.function.arguments) });
        }
        out.push({ role: "assistant", content });
        break;
      }
      case "tool":
        out.push({
          role: "tool",
          content: [{ type: "tool-result", toolCallId: m.tool_call_id, toolName: toolNames.get(m.tool_call_id) ?? "", output: text(m.content) }],
        });
        break;
    }
  }
  return out;
}

function stops(stop: string | string[] | null | undefined): string[] | undefined {
  if (stop == null) return undefined;
  return typeof stop === "string" ? [stop] : stop;
}

function rejectN(n: number | null | undefined): void {
  if (n != null && n !== 1) {
    throw new WrenError("unsupported", `n=${n} is not supported: wren returns one choice per request.`, {
      hint: "Leave n out (or set it to 1) and send several requests instead.",
      details: { param: "n" },
    });
  }
}

function responseFormat(f: OpenAIChatRequest["response_format"]): ResponseFormat | undefined {
  if (!f) return undefined;
  if (f.type === "text") return { type: "text" };
  if (f.type === "json_object") return { type: "json" };
  const { name, description, schema, strict } = f.json_schema;
  return { type: "json", name, ...(schema ? { schema } : {}), ...(description ? { description } : {}), ...(strict != null ? { strict } : {}) };
}

type OpenAITool = NonNullable<OpenAIChatRequest["tools"]>[number];
type FunctionTool = Extract<OpenAITool, { type: "function" }>;

function unsupportedCustomTool(name: string, param: string): WrenError {
  return new WrenError("unsupported", `Custom tools (type 'custom', here '${name}') are not supported: wren's models call functions with JSON arguments.`, {
    hint: "Declare the tool as a function tool ({type: 'function', function: {name, parameters}}).",
    details: { param },
  });
}

/** The function tools; a custom tool is refused by name. */
function functionTools(tools: OpenAIChatRequest["tools"]): FunctionTool[] {
  return (tools ?? []).map((t, i) => {
    if (t.type === "custom") throw unsupportedCustomTool(t.custom.name, `tools.${i}`);
    return t;
  });
}

function notAmongTools(name: string): WrenError {
  return new WrenError("bad_request", `tool_choice names '${name}', which is not among the tools.`, {
    hint: "Name one of the functions listed in tools.",
    details: { param: "tool_choice" },
  });
}

/** tool_choice → the canonical choice, and the tools it leaves offered (`allowed_tools` narrows them). */
function toolChoice(c: OpenAIChatRequest["tool_choice"], declared: FunctionTool[]): { choice?: ToolChoice; tools: FunctionTool[] } {
  if (c == null) return { tools: declared };
  if (c === "required" && declared.length === 0) {
    // Answered with text, a client that demanded a call would find none.
    throw new WrenError("bad_request", 'tool_choice is "required", but no tools were sent: there is no function to call.', {
      hint: 'Send the functions in tools, or leave tool_choice out (or send "auto" or "none").',
      details: { param: "tool_choice" },
    });
  }
  if (typeof c === "string") return { choice: c, tools: declared };
  if (c.type === "custom") throw unsupportedCustomTool(c.custom.name, "tool_choice");
  if (c.type === "function") {
    if (!declared.some((t) => t.function.name === c.function.name)) throw notAmongTools(c.function.name);
    return { choice: { type: "tool", toolName: c.function.name }, tools: declared };
  }
  if (c.allowed_tools.tools.length === 0) {
    throw new WrenError("bad_request", "tool_choice allowed_tools lists no tools.", {
      hint: 'List at least one of the functions in tools, or send tool_choice "none".',
      details: { param: "tool_choice" },
    });
  }
  const allowed = new Set<string>();
  for (const t of c.allowed_tools.tools) {
    const name = t.function?.name;
    if (t.type !== "function" || name === undefined) {
      throw new WrenError("unsupported", `allowed_tools lists a tool of type '${t.type}'${t.type === "function" ? " without function.name" : ""}; wren offers function tools only.`, {
        hint: 'List function tools as {"type":"function","function":{"name":"..."}}.',
        details: { param: "tool_choice" },
      });
    }
    if (!declared.some((d) => d.function.name === name)) throw notAmongTools(name);
    allowed.add(name);
  }
  return { choice: c.allowed_tools.mode, tools: declared.filter((t) => allowed.has(t.function.name)) };
}

/** Fields both OpenAI endpoints share, without undefined values. */
function sampling(body: OpenAIChatRequest | OpenAICompletionRequest): Partial<ChatRequest> {
  // Left out, a bias that bans a token (-100) or forces one would silently stop doing so; biases of
  // 0 change nothing and are accepted.
  if (body.logit_bias && Object.values(body.logit_bias).some((bias) => bias !== 0)) {
    throw new WrenError("unsupported", "logit_bias is not supported: wren cannot bias a model's tokens by their OpenAI token ids.", {
      hint: "Leave logit_bias out; to keep words out of the answer, use stop or a response_format schema.",
      details: { param: "logit_bias" },
    });
  }
  const r: Partial<ChatRequest> = {};
  if (body.temperature != null) r.temperature = body.temperature;
  if (body.top_p != null) r.topP = body.top_p;
  if (body.seed != null) r.seed = body.seed;
  if (body.presence_penalty != null) r.presencePenalty = body.presence_penalty;
  if (body.frequency_penalty != null) r.frequencyPenalty = body.frequency_penalty;
  if (body.user) r.user = body.user;
  const s = stops(body.stop);
  if (s) r.stopSequences = s;
  return r;
}

/** Documented parameters of features wren has no part for: each a 400 that names it and says what to send. */
function refuseUnsupportedFeatures(body: OpenAIChatRequest): void {
  const refuse = (param: string, message: string, hint: string): never => {
    throw new WrenError("unsupported", message, { hint, details: { param } });
  };
  const other = body.modalities?.filter((m) => m !== "text") ?? [];
  if (other.length > 0) refuse("modalities", `modalities asks for ${other.join(", ")}; wren's models answer text only.`, 'Leave modalities out, or send ["text"].');
  if (body.audio != null) refuse("audio", "audio output is not supported: wren's models answer text only.", "Leave audio out.");
  if (body.web_search_options != null) {
    refuse("web_search_options", "web_search_options asks for a web search, which wren does not run.", "Leave web_search_options out, or search yourself and send the results in the messages.");
  }
  if (body.moderation != null) refuse("moderation", "moderation is not supported: wren runs no moderation model.", "Leave moderation out.");
  if (body.functions != null || body.function_call != null) {
    refuse(
      body.functions != null ? "functions" : "function_call",
      "functions and function_call (deprecated by OpenAI) are not supported.",
      "Send the functions as tools ({type: 'function', function}) and function_call as tool_choice; calls come back in message.tool_calls.",
    );
  }
}

/**
 * vLLM's `continue_final_message` (with `add_generation_prompt: false`, which vLLM requires beside
 * it and wren takes as implied): the final assistant message is continued, its answer only the
 * text after it, instead of answered by a new turn (OpenAI's reading). Values that contradict each
 * other or the messages are refused rather than read one way or the other.
 */
function continuesFinalMessage(body: OpenAIChatRequest): boolean {
  const refuse = (param: string, message: string, hint: string): never => {
    throw new WrenError("bad_request", message, { hint, details: { param } });
  };
  if (body.continue_final_message !== true) {
    if (body.add_generation_prompt === false) {
      refuse(
        "add_generation_prompt",
        "add_generation_prompt: false without continue_final_message asks for a prompt with no turn for the answer, which wren does not make: its chat prompts end in the turn the model answers.",
        "Leave add_generation_prompt out; to continue a final assistant message, send continue_final_message: true with it.",
      );
    }
    return false;
  }
  if (body.add_generation_prompt === true) {
    refuse(
      "add_generation_prompt",
      "continue_final_message and add_generation_prompt are both true: the final assistant message cannot be continued and also be followed by a new turn.",
      "Send add_generation_prompt: false (or leave it out) with continue_final_message: true.",
    );
  }
  const last = body.messages.at(-1);
  if (last?.role !== "assistant") {
    refuse(
      "continue_final_message",
      `continue_final_message is true, but the final message is a ${last?.role ?? "missing"} message; only an assistant message can be continued.`,
      "End messages with the assistant message to continue (its text so far), or leave continue_final_message out.",
    );
  }
  if (last?.role === "assistant" && last.tool_calls?.length) {
    refuse(
      "continue_final_message",
      "continue_final_message is true, but the final assistant message has tool_calls; only an assistant message's text can be continued.",
      "Send the tool results and let the model answer after them, or leave continue_final_message out.",
    );
  }
  return true;
}

/** An OpenAI chat completion request → the canonical request. */
export function openaiChatToRequest(body: OpenAIChatRequest, contextLength: number | undefined): ChatRequest {
  rejectN(body.n);
  refuseUnsupportedFeatures(body);
  // Asked for and silently left out, a client reading choices[0].logprobs.content would find null.
  if (body.logprobs === true || (body.top_logprobs != null && body.top_logprobs > 0)) {
    throw new WrenError("unsupported", "logprobs and top_logprobs are not supported: wren does not return token log probabilities.", {
      hint: "Leave them out (or set logprobs to false).",
      details: { param: body.logprobs === true ? "logprobs" : "top_logprobs" },
    });
  }
  const continued = continuesFinalMessage(body);
  const request: ChatRequest = { messages: convertOpenAIMessages(body.messages), ...sampling(body) };
  if (continued) request.continueFinalMessage = true;
  const max = body.max_completion_tokens ?? body.max_tokens;
  if (max != null) request.maxOutputTokens = max;
  const format = responseFormat(body.response_format);
  if (format) request.responseFormat = format;
  const { choice, tools } = toolChoice(body.tool_choice, functionTools(body.tools));
  if (tools.length > 0) {
    request.tools = tools.map((t) => ({
      name: t.function.name,
      ...(t.function.description ? { description: t.function.description } : {}),
      inputSchema: t.function.parameters ?? { type: "object", properties: {} },
      ...(t.function.strict != null ? { strict: t.function.strict } : {}),
    }));
  }
  if (choice) request.toolChoice = choice;
  if (contextLength !== undefined) request.contextLength = contextLength;
  return request;
}

/**
 * Input given as token ids: refused, as ids of another tokenizer (clients count them with
 * OpenAI's tiktoken) mean other text to a local model.
 */
export function refuseTokenIds(input: readonly unknown[], param: "prompt" | "input"): asserts input is string[] {
  if (input.some((x) => typeof x !== "string")) {
    throw new WrenError("unsupported", `${param} as token ids is not supported: ids of another tokenizer would be other text to wren's models.`, {
      hint: `Send ${param} as text.${param === "input" ? " (LangChain's OpenAIEmbeddings sends token ids unless check_embedding_ctx_length is off.)" : ""}`,
      details: { param },
    });
  }
}

/** The one text prompt of a completion request. */
function completionPrompt(prompt: OpenAICompletionRequest["prompt"]): string {
  if (typeof prompt === "string") return prompt;
  refuseTokenIds(prompt, "prompt");
  if (prompt.length > 1) {
    throw new WrenError("unsupported", `prompt holds ${prompt.length} prompts; wren completes one prompt per request.`, {
      hint: "Send one request per prompt.",
      details: { param: "prompt" },
    });
  }
  return prompt[0] ?? "";
}

/** What a legacy completion may ask for that wren does not do: refused by name, each saying what to send instead. */
function refuseCompletionOptions(body: OpenAICompletionRequest): void {
  const refused: Array<[param: string, asked: boolean, message: string, hint: string]> = [
    ["echo", body.echo === true, "echo is not supported: wren answers with the completion only, not the prompt before it.", "Leave echo out and put the prompt before the completion yourself."],
    ["suffix", Boolean(body.suffix), "suffix is not supported: wren continues the prompt and cannot fill in up to a suffix.", "Leave suffix out and send the text before the gap as the prompt."],
    ["logprobs", body.logprobs != null, "logprobs is not supported: wren does not return log probabilities.", "Leave logprobs out."],
    ["best_of", body.best_of != null && body.best_of !== 1, "best_of is not supported: wren generates one completion per request.", "Leave best_of out (or send 1), and send one request per completion wanted."],
  ];
  const first = refused.find(([, asked]) => asked);
  if (first) throw new WrenError("unsupported", first[2], { hint: first[3], details: { param: first[0] } });
}

/** A legacy text completion request → the canonical request (raw prompt, no chat template). */
export function openaiCompletionToRequest(body: OpenAICompletionRequest, contextLength: number | undefined): ChatRequest {
  rejectN(body.n);
  refuseCompletionOptions(body);
  const prompt = completionPrompt(body.prompt);
  const request: ChatRequest = { messages: [], rawPrompt: prompt, ...sampling(body) };
  if (body.max_tokens != null) request.maxOutputTokens = body.max_tokens;
  if (contextLength !== undefined) request.contextLength = contextLength;
  return request;
}
