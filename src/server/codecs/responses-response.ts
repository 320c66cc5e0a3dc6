import type { AssistantMessage, FinishReason, GenerateResult, Provenance, Usage } from "../../protocol/index.js";
import type { SerializedError } from "../../shared/errors.js";
import { deserializeError, httpStatusOf } from "../../shared/errors.js";
import type {
  ResponsesError,
  ResponsesObject,
  ResponsesOutputItem,
  ResponsesStatus,
  ResponsesUsage,
} from "../../wire/openai/responses-object.js";
import type { ResponsesCreateRequest, ResponsesFunctionTool } from "../../wire/openai/responses-request.js";
import { namespaceOf } from "./responses-tools.js";
import { errorBody } from "../error-body.js";
import { newId, nowSeconds } from "../ids.js";
import { provenanceField, type ProvenanceField } from "../provenance.js";

/** What a response echoes of its request, fixed when it starts. */
export interface ResponseShell {
  id: string;
  createdAt: number;
  body: ResponsesCreateRequest;
}

export function newResponseShell(body: ResponsesCreateRequest): ResponseShell {
  return { id: newId("resp_"), createdAt: nowSeconds(), body };
}

export function responsesUsage(usage: Usage): ResponsesUsage {
  return {
    input_tokens: usage.inputTokens,
    // Models that do not report prompt-cache hits claim none.
    input_tokens_details: { cached_tokens: usage.cachedInputTokens ?? 0 },
    output_tokens: usage.outputTokens,
    output_tokens_details: { reasoning_tokens: 0 },
    total_tokens: usage.totalTokens,
    ...(usage.inputTruncated ? { wren_input_truncated: true } : {}),
  };
}

/** How a finished generation ends: the response status and, when incomplete, why. */
export function responsesStatus(reason: FinishReason): { status: ResponsesStatus; incomplete: ResponsesObject["incomplete_details"] } {
  switch (reason) {
    case "length":
      return { status: "incomplete", incomplete: { reason: "max_output_tokens" } };
    case "content-filter":
      return { status: "incomplete", incomplete: { reason: "content_filter" } };
    case "abort":
      return { status: "cancelled", incomplete: null };
    case "error":
      return { status: "failed", incomplete: null };
    default:
      return { status: "completed", incomplete: null };
  }
}

/**
 * A failure as a Response's `error`: OpenAI's error code where the OpenAI dialect has one
 * (`context_length_exceeded` among them), `rate_limit_exceeded` for 429s (clients such as Codex
 * retry those), `server_error` for 5xx.
 */
export function responsesError(error: SerializedError): ResponsesError {
  const wren = deserializeError(error);
  const status = httpStatusOf(wren);
  const body = errorBody(wren, "openai", "responses") as { error: { message: string; code: string | null } };
  const code = status === 429 ? "rate_limit_exceeded" : status >= 500 ? "server_error" : (body.error.code ?? "invalid_prompt");
  return { code, message: body.error.message };
}

/** The function tools as the response echoes them. */
function echoedTools(body: ResponsesCreateRequest): unknown[] {
  const echo = (t: ResponsesFunctionTool) => ({ type: "function", name: t.name, description: t.description ?? null, parameters: t.parameters ?? null, strict: t.strict ?? true });
  return (body.tools ?? []).flatMap((t): unknown[] => {
    if (t.type === "function") return [echo(t)];
    if (t.type === "namespace") return [{ type: "namespace", name: t.name, description: t.description ?? null, tools: t.tools.flatMap((i) => (i.type === "function" ? [echo(i)] : [])) }];
    return [];
  });
}

/** The Response object, its settings echoed from the request. */
export function responseObject(
  shell: ResponseShell,
  state: { status: ResponsesStatus; output: ResponsesOutputItem[]; usage?: Usage; error?: ResponsesError; incomplete?: ResponsesObject["incomplete_details"]; provenance?: Provenance },
): ResponsesObject & ProvenanceField {
  const b = shell.body;
  const done = state.status !== "in_progress" && state.status !== "queued";
  return {
    id: shell.id,
    object: "response",
    created_at: shell.createdAt,
    completed_at: state.status === "completed" ? nowSeconds() : null,
    status: state.status,
    background: false,
    error: state.error ?? null,
    incomplete_details: state.incomplete ?? null,
    instructions: b.instructions ?? null,
    max_output_tokens: b.max_output_tokens ?? null,
    max_tool_calls: b.max_tool_calls ?? null,
    model: b.model,
    output: state.output,
    parallel_tool_calls: b.parallel_tool_calls ?? true,
    previous_response_id: b.previous_response_id ?? null,
    reasoning: { effort: b.reasoning?.effort ?? null, summary: b.reasoning?.summary ?? null },
    service_tier: "default",
    store: b.store ?? true,
    temperature: b.temperature ?? 1,
    text: { format: b.text?.format ?? { type: "text" }, verbosity: b.text?.verbosity ?? "medium" },
    tool_choice: b.tool_choice ?? "auto",
    tools: echoedTools(b),
    top_logprobs: b.top_logprobs ?? 0,
    top_p: b.top_p ?? 1,
    truncation: b.truncation ?? "disabled",
    usage: done && state.usage ? responsesUsage(state.usage) : null,
    user: b.user ?? null,
    metadata: b.metadata ?? {},
    prompt_cache_key: b.prompt_cache_key ?? null,
    safety_identifier: b.safety_identifier ?? null,
    ...(done ? provenanceField(state.provenance) : {}),
  };
}

/** A collected result's content as output items: each text block a message, each tool call a function_call. */
export function outputItems(result: GenerateResult, itemStatus: "completed" | "incomplete", body: ResponsesCreateRequest): ResponsesOutputItem[] {
  const oneCall = body.parallel_tool_calls === false;
  // With parallel_tool_calls false the response makes at most one call, as OpenAI's does.
  const firstCall = result.content.findIndex((p) => p.type === "tool-call");
  // An empty text block is no message, as in the stream.
  const content = result.content.filter((p, i) => (p.type === "text" ? p.text !== "" : !oneCall || i === firstCall));
  return content.map((p): ResponsesOutputItem => {
    if (p.type === "text") {
      return { type: "message", id: newId("msg_"), role: "assistant", status: itemStatus, content: [{ type: "output_text", text: p.text, annotations: [], logprobs: [] }] };
    }
    const args = typeof p.input === "string" ? p.input : JSON.stringify(p.input);
    const namespace = namespaceOf(body, p.toolName);
    return { type: "function_call", id: newId("fc_"), call_id: p.toolCallId, name: p.toolName, arguments: args, status: itemStatus, ...(namespace ? { namespace } : {}) };
  });
}

/** A collected result → the non-streamed Response. */
export function responseFromResult(shell: ResponseShell, result: GenerateResult): ResponsesObject & ProvenanceField {
  const { status, incomplete } = responsesStatus(result.finishReason);
  return responseObject(shell, {
    status,
    incomplete,
    output: outputItems(result, status === "completed" ? "completed" : "incomplete", shell.body),
    usage: result.usage,
    ...(result.provenance ? { provenance: result.provenance } : {}),
  });
}

/** The model's turn as a message of the conversation, for a response that continues this one. */
export function outputAsMessage(output: ResponsesOutputItem[]): AssistantMessage | undefined {
  const content: AssistantMessage["content"] = [];
  for (const item of output) {
    if (item.type === "message") {
      const text = item.content.map((c) => c.text).join("");
      if (text) content.push({ type: "text", text });
      continue;
    }
    let input: unknown = item.arguments;
    try {
      input = JSON.parse(item.arguments) as unknown;
    } catch {
      // Kept as the text the model wrote; the next turn shows it as it was.
    }
    content.push({ type: "tool-call", toolCallId: item.call_id, toolName: item.name, input });
  }
  return content.length > 0 ? { role: "assistant", content } : undefined;
}
