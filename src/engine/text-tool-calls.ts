import type { ToolDefinition } from "../protocol/request.js";

/**
 * Tool calls written as text, for chat formats that have no function-calling syntax of their own:
 * the tools are described in the system prompt, and the reply is searched for the forms models are
 * trained on: a JSON object `{"name", "arguments"}` (alone or in a ```json fence), Hermes/Qwen
 * `<tool_call>{…}</tool_call>`, `<function=name>{…}</function>` and `<invoke name="…">…</invoke>`.
 */

/** One call found in the text. `input` is the arguments' JSON text, or the raw text when it is not JSON (validation reports that). */
export interface TextToolCall {
  name: string;
  input: string;
}

/** Where a tool call may begin in a reply; text from the first of these on is held back until the reply ends. */
export const toolCallOpeners = ["<tool_call>", "<function=", "<invoke", "```json"] as const;

/** The system prompt text that tells a model without a function-calling format how to call tools. */
export function describeTools(tools: readonly ToolDefinition[]): string {
  const list = tools.map((t) => JSON.stringify({ name: t.name, ...(t.description ? { description: t.description } : {}), parameters: t.inputSchema }));
  return [
    "You can call tools. To call one, reply with exactly this and nothing else:",
    '<tool_call>\n{"name": "<tool name>", "arguments": {<arguments as JSON>}}\n</tool_call>',
    "The available tools, with the JSON Schema of their arguments:",
    ...list,
  ].join("\n");
}

const tagged: { pattern: RegExp; read: (match: RegExpExecArray) => TextToolCall }[] = [
  { pattern: /<tool_call>([\s\S]*?)(?:<\/tool_call>|$)/g, read: (m) => fromObjectText(m[1] ?? "") },
  { pattern: /<function=([^>\s]+)>([\s\S]*?)(?:<\/function>|$)/g, read: (m) => ({ name: m[1] ?? "", input: argumentsText(m[2] ?? "") }) },
  {
    pattern: /<invoke\s+name\s*=\s*["']?([^"'>\s]+)["']?\s*>([\s\S]*?)(?:<\/invoke>|$)/g,
    read: (m) => ({ name: m[1] ?? "", input: argumentsText(m[2] ?? "") }),
  },
];

/**
 * The tool calls in a reply and the text around them. A reply that holds no recognisable call is
 * all text. A call whose arguments are not JSON is still a call (with its raw text as input), so
 * the router can show the model what was wrong.
 */
export function parseToolCalls(reply: string): { text: string; calls: TextToolCall[] } {
  for (const { pattern, read } of tagged) {
    const calls: TextToolCall[] = [];
    const text = reply.replace(pattern, (...args: unknown[]) => {
      calls.push(read(args.slice(0, -2) as unknown as RegExpExecArray));
      return "";
    });
    // Wrappers some models put around their calls (Anthropic-style) are not text for the user.
    if (calls.length > 0) return { text: text.replace(/<\/?function_calls>/g, "").trim(), calls };
  }
  const bare = reply.trim().replace(/^```(?:json)?\s*([\s\S]*?)\s*(?:```)?$/, "$1");
  if (bare.startsWith("{") && /"name"\s*:/.test(bare) && /"(arguments|parameters)"\s*:/.test(bare)) {
    return { text: "", calls: [fromObjectText(bare)] };
  }
  return { text: reply, calls: [] };
}

/** `{"name": …, "arguments": …}` → a call; when it is not JSON, the name is recovered if it can be. */
function fromObjectText(body: string): TextToolCall {
  const text = body.trim();
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { name: /"name"\s*:\s*"([^"]*)"/.exec(text)?.[1] ?? "", input: text };
  }
  if (typeof value !== "object" || value === null) return { name: "", input: text };
  const call = value as { name?: unknown; arguments?: unknown; parameters?: unknown };
  const args = call.arguments ?? call.parameters ?? {};
  return { name: typeof call.name === "string" ? call.name : "", input: typeof args === "string" ? args : JSON.stringify(args) };
}

/** A tag body: JSON arguments, or `<parameter=x>v</parameter>` / `<parameter name="x">v</parameter>` pairs. */
function argumentsText(body: string): string {
  const params = [...body.matchAll(/<parameter(?:=|\s+name\s*=\s*["']?)([^"'>\s]+)["']?\s*>([\s\S]*?)<\/parameter>/g)];
  if (params.length === 0) return normalized(body.trim() || "{}");
  return JSON.stringify(Object.fromEntries(params.map((p) => [p[1] ?? "", parameterValue((p[2] ?? "").trim())])));
}

/** JSON text in one canonical spelling; text that is not JSON is kept as it is. */
function normalized(text: string): string {
  try {
    return JSON.stringify(JSON.parse(text));
  } catch {
    return text;
  }
}

function parameterValue(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}
