import type { ChatRequest, Message } from "../../protocol/index.js";
import { WrenError } from "../../shared/errors.js";
import type { OllamaChatRequest, OllamaGenerateRequest, OllamaMessage, OllamaOptions } from "../../wire/ollama/index.js";

/** Ollama options → canonical sampling fields; `num_ctx` wins over the header. */
export function ollamaOptions(options: OllamaOptions | null | undefined, headerContext: number | undefined): Partial<ChatRequest> {
  const r: Partial<ChatRequest> = {};
  const o = options ?? {};
  if (o.temperature !== undefined) r.temperature = o.temperature;
  if (o.top_p !== undefined) r.topP = o.top_p;
  if (o.top_k !== undefined) r.topK = o.top_k;
  if (o.min_p !== undefined) r.minP = o.min_p;
  if (o.seed !== undefined) r.seed = o.seed;
  if (o.repeat_penalty !== undefined) r.repeatPenalty = o.repeat_penalty;
  if (o.presence_penalty !== undefined) r.presencePenalty = o.presence_penalty;
  if (o.frequency_penalty !== undefined) r.frequencyPenalty = o.frequency_penalty;
  if (o.num_predict !== undefined && o.num_predict > 0) r.maxOutputTokens = o.num_predict;
  if (o.stop !== undefined) r.stopSequences = typeof o.stop === "string" ? [o.stop] : o.stop;
  const ctx = o.num_ctx ?? headerContext;
  if (ctx !== undefined) r.contextLength = ctx;
  return r;
}

function format(f: OllamaChatRequest["format"]): Partial<ChatRequest> {
  if (f === undefined || f === "") return {};
  return { responseFormat: f === "json" ? { type: "json" } : { type: "json", schema: f } };
}

/** Ollama chat messages → canonical messages. Tool calls get ids (Ollama has none) so results can refer to them. */
export function convertOllamaMessages(messages: OllamaMessage[]): Message[] {
  const out: Message[] = [];
  let counter = 0;
  const pending: Array<{ id: string; name: string }> = [];
  for (const m of messages) {
    switch (m.role) {
      case "system":
        out.push({ role: "system", content: m.content });
        break;
      case "user":
        out.push({
          role: "user",
          content: [{ type: "text", text: m.content }, ...(m.images ?? []).map((data) => ({ type: "image" as const, data, mediaType: "image/png" }))],
        });
        break;
      case "assistant": {
        const content: Extract<Message, { role: "assistant" }>["content"] = [];
        if (m.content) content.push({ type: "text", text: m.content });
        for (const call of m.tool_calls ?? []) {
          const id = call.id ?? `call_${counter++}`;
          pending.push({ id, name: call.function.name });
          content.push({ type: "tool-call", toolCallId: id, toolName: call.function.name, input: call.function.arguments });
        }
        out.push({ role: "assistant", content });
        break;
      }
      case "tool": {
        const i = pending.findIndex((p) => p.name === m.tool_name);
        const call = i >= 0 ? pending.splice(i, 1)[0] : pending.shift();
        out.push({ role: "tool", content: [{ type: "tool-result", toolCallId: call?.id ?? `call_${counter++}`, toolName: m.tool_name ?? call?.name ?? "", output: m.content }] });
        break;
      }
    }
  }
  return out;
}

/** Asked for and silently left out, a client reading `logprobs` would find none. */
function refuseLogprobs(body: OllamaChatRequest | OllamaGenerateRequest): void {
  if (body.logprobs === true || (body.top_logprobs !== undefined && body.top_logprobs > 0)) {
    throw new WrenError("unsupported", "logprobs and top_logprobs are not supported: wren does not return token log probabilities.", {
      hint: "Leave them out (or set logprobs to false).",
    });
  }
}

/** Ollama's levels of `think`, besides `true` and `false`. */
const THINK_LEVELS = new Set(["high", "medium", "low"]);

/**
 * `think` asks for the model's reasoning in `thinking`, apart from the answer. wren's models give
 * no reasoning channel, so thinking asked for is refused in Ollama's words for a model without it
 * (clients such as Ollama's own retry without `think` on this 400), not answered without the
 * `thinking` the client waits for. `think: false` is what the model does anyway.
 */
function refuseThinking(body: OllamaChatRequest | OllamaGenerateRequest): void {
  const think = body.think;
  if (think === undefined || think === false) return;
  if (typeof think === "string" && !THINK_LEVELS.has(think)) {
    throw new WrenError("bad_request", `invalid think value: ${JSON.stringify(think)} (must be "high", "medium", "low", true, or false)`, {
      details: { param: "think" },
    });
  }
  throw new WrenError("unsupported", `${JSON.stringify(body.model)} does not support thinking`, {
    hint: "wren's models answer without a separate reasoning channel; send think: false or leave it out.",
    details: { param: "think" },
  });
}

/**
 * `/api/generate` fields that would change what the model is asked, which wren cannot honour:
 * refused rather than left out, as Ollama refuses `suffix` for a model that cannot fill in.
 */
function refuseGenerateFields(body: OllamaGenerateRequest): void {
  if (body.suffix) {
    throw new WrenError("unsupported", `Model '${body.model}' does not support insert: wren continues the prompt and cannot fill in up to a suffix.`, {
      hint: "Leave suffix out and send the text before the gap as the prompt.",
    });
  }
  if (body.template) {
    throw new WrenError("unsupported", "A template in the request is not supported: wren formats the prompt with the model's own chat template.", {
      hint: "Leave template out, or apply your template yourself and send the result as the prompt with raw: true.",
    });
  }
  if (body.context && body.context.length > 0) {
    throw new WrenError("unsupported", "context (the tokens of an earlier /api/generate answer) is not supported: wren returns none to continue from.", {
      hint: "Send the earlier conversation with /api/chat, or as part of the prompt.",
    });
  }
  if (body.raw && body.images && body.images.length > 0) {
    throw new WrenError("unsupported", "images cannot go with raw: true: a raw prompt is text the model continues, with no place for an image.", {
      hint: "Leave raw out to send the images with the prompt, or leave the images out.",
    });
  }
}

export function ollamaChatToRequest(body: OllamaChatRequest, headerContext: number | undefined): ChatRequest {
  refuseLogprobs(body);
  refuseThinking(body);
  const request: ChatRequest = { messages: convertOllamaMessages(body.messages), ...ollamaOptions(body.options, headerContext), ...format(body.format) };
  // Ollama continues a final assistant message (its template leaves that turn open).
  if (request.messages.at(-1)?.role === "assistant") request.continueFinalMessage = true;
  if (body.tools && body.tools.length > 0) {
    request.tools = body.tools.map((t) => ({
      name: t.function.name,
      ...(t.function.description ? { description: t.function.description } : {}),
      inputSchema: t.function.parameters ?? { type: "object", properties: {} },
    }));
  }
  return request;
}

/** `/api/generate`: with `raw` the prompt is continued verbatim; otherwise it is one user turn (plus system). */
export function ollamaGenerateToRequest(body: OllamaGenerateRequest, headerContext: number | undefined): ChatRequest {
  refuseLogprobs(body);
  refuseThinking(body);
  refuseGenerateFields(body);
  const base = { ...ollamaOptions(body.options, headerContext), ...format(body.format) };
  if (body.raw) return { messages: [], rawPrompt: body.prompt ?? "", ...base };
  const messages: Message[] = [];
  if (body.system) messages.push({ role: "system", content: body.system });
  const images = (body.images ?? []).map((data) => ({ type: "image" as const, data, mediaType: "image/png" }));
  messages.push({ role: "user", content: [{ type: "text", text: body.prompt ?? "" }, ...images] });
  return { messages, ...base };
}
