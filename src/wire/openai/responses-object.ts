/**
 * What wren sends back on the Responses API (the shapes of the `openai` package's `Response`,
 * `ResponseOutputItem` and `ResponseStreamEvent`, for the parts wren produces).
 */

export type ResponsesStatus = "completed" | "failed" | "in_progress" | "cancelled" | "queued" | "incomplete";

export interface ResponsesOutputText {
  type: "output_text";
  text: string;
  annotations: unknown[];
  logprobs: unknown[];
}

export interface ResponsesOutputMessage {
  type: "message";
  id: string;
  role: "assistant";
  status: "in_progress" | "completed" | "incomplete";
  content: ResponsesOutputText[];
}

export interface ResponsesFunctionCall {
  type: "function_call";
  id: string;
  call_id: string;
  name: string;
  arguments: string;
  status: "in_progress" | "completed" | "incomplete";
  /** The namespace tool the function belongs to, when it came from one. */
  namespace?: string;
}

export type ResponsesOutputItem = ResponsesOutputMessage | ResponsesFunctionCall;

export interface ResponsesUsage {
  input_tokens: number;
  input_tokens_details: { cached_tokens: number };
  output_tokens: number;
  output_tokens_details: { reasoning_tokens: number };
  total_tokens: number;
  /** wren extension: true when the prompt was cut to fit the context. */
  wren_input_truncated?: boolean;
}

export interface ResponsesError {
  code: string;
  message: string;
}

/** The Response object, non-streamed and in the lifecycle events. */
export interface ResponsesObject {
  id: string;
  object: "response";
  created_at: number;
  completed_at: number | null;
  status: ResponsesStatus;
  background: boolean;
  error: ResponsesError | null;
  incomplete_details: { reason: "max_output_tokens" | "content_filter" } | null;
  instructions: string | null;
  max_output_tokens: number | null;
  max_tool_calls: number | null;
  model: string;
  output: ResponsesOutputItem[];
  parallel_tool_calls: boolean;
  previous_response_id: string | null;
  reasoning: { effort: string | null; summary: string | null };
  service_tier: string;
  store: boolean;
  temperature: number;
  text: { format: Record<string, unknown>; verbosity: string };
  tool_choice: unknown;
  tools: unknown[];
  top_logprobs: number;
  top_p: number;
  truncation: "auto" | "disabled";
  usage: ResponsesUsage | null;
  user: string | null;
  metadata: Record<string, string>;
  prompt_cache_key: string | null;
  safety_identifier: string | null;
}

/** One item of `GET /v1/responses/{id}/input_items`: an input item as stored, with its id. */
export type ResponsesStoredItem = Record<string, unknown> & { id: string; type: string };

/** One server-sent event of a streamed response: its `type` names the SSE event too. */
export type ResponsesStreamEvent = { type: string; sequence_number: number } & Record<string, unknown>;
