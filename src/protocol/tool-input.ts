/**
 * A tool call's input as the object Anthropic's `tool_use.input`, Gemini's `functionCall.args` and
 * Ollama's `arguments` are: JSON text is parsed; what is not a JSON object (a call the output limit
 * cut off, its arguments half-written) is the empty object, never a string no client expects there.
 */
export function toolInputObject(input: unknown): Record<string, unknown> {
  let value = input;
  if (typeof value === "string") {
    try {
      value = JSON.parse(value) as unknown;
    } catch {
      value = {};
    }
  }
  return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}
