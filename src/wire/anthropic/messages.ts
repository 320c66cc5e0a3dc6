import { z } from "zod";
import { anthropicContentBlockSchema, anthropicSystemBlockSchema, stringOr } from "./blocks.js";
import { anthropicToolChoiceSchema, anthropicToolSchema } from "./tools.js";

/**
 * Anthropic Messages API requests (`/v1/messages`, `/v1/messages/count_tokens`), as current
 * clients send them (`@anthropic-ai/sdk`, Claude Code with `?beta=true`). Lenient, as Anthropic's
 * clients expect: the fields wren reads are checked; every other top-level field (`cache_control`,
 * `context_management`, `container`, `mcp_servers`, `service_tier`, `speed`, `diagnostics`, fields
 * newer than this schema) is kept unread, and the route logs its name.
 */

const system = stringOr(anthropicSystemBlockSchema);
const content = stringOr(anthropicContentBlockSchema);

export const anthropicMessageSchema = z.discriminatedUnion("role", [
  z.looseObject({ role: z.literal("user"), content }),
  z.looseObject({ role: z.literal("assistant"), content }),
  // Mid-conversation instructions (current Messages API): a system turn where it was sent.
  z.looseObject({ role: z.literal("system"), content: system }),
]);
export type AnthropicMessage = z.output<typeof anthropicMessageSchema>;

/** Every `thinking` type (`enabled`, `disabled`, `adaptive`, ...) is accepted; a local model without reasoning does not think. */
const thinking = z.looseObject({ type: z.string(), budget_tokens: z.number().int().nullish() });

/** Structured output: a JSON schema the answer must follow. */
const jsonOutputFormat = z.looseObject({ type: z.literal("json_schema"), schema: z.record(z.string(), z.unknown()) });

const outputConfig = z.looseObject({ effort: z.string().nullish(), format: jsonOutputFormat.nullish() });

const common = {
  model: z.string().min(1),
  messages: z.array(anthropicMessageSchema).min(1),
  system: system.optional(),
  tools: z.array(anthropicToolSchema).nullish(),
  tool_choice: anthropicToolChoiceSchema.nullish(),
  thinking: thinking.nullish(),
  output_config: outputConfig.nullish(),
  /** The beta API's older spelling of `output_config.format`. */
  output_format: jsonOutputFormat.nullish(),
};

export const anthropicMessagesRequestSchema = z.looseObject({
  ...common,
  max_tokens: z.number().int().min(1),
  stream: z.boolean().nullish(),
  stop_sequences: z.array(z.string()).nullish(),
  temperature: z.number().min(0).max(1).nullish(),
  top_p: z.number().min(0).max(1).nullish(),
  top_k: z.number().int().min(0).nullish(),
  metadata: z.looseObject({ user_id: z.string().nullish() }).nullish(),
});
export type AnthropicMessagesRequest = z.output<typeof anthropicMessagesRequestSchema>;

export const anthropicCountTokensRequestSchema = z.looseObject(common);
export type AnthropicCountTokensRequest = z.output<typeof anthropicCountTokensRequestSchema>;

/** Top-level fields wren reads; any other is ignored (and logged). */
export const ANTHROPIC_READ_FIELDS: ReadonlySet<string> = new Set(Object.keys(anthropicMessagesRequestSchema.shape));

export type AnthropicStopReason = "end_turn" | "max_tokens" | "stop_sequence" | "tool_use" | "refusal";

export interface AnthropicUsage {
  input_tokens: number;
  output_tokens: number;
  cache_creation_input_tokens: number;
  cache_read_input_tokens: number;
  /** wren extension: true when the prompt was cut to fit the context. */
  wren_input_truncated?: boolean;
}

export type AnthropicResponseBlock =
  | { type: "text"; text: string }
  | { type: "tool_use"; id: string; name: string; input: unknown };

export interface AnthropicMessageResponse {
  id: string;
  type: "message";
  role: "assistant";
  model: string;
  content: AnthropicResponseBlock[];
  stop_reason: AnthropicStopReason | null;
  stop_sequence: string | null;
  usage: AnthropicUsage;
}
