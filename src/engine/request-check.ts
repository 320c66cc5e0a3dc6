import type { JsonSchema } from "../protocol/messages.js";
import type { ChatRequest } from "../protocol/request.js";
import { WrenError } from "../shared/errors.js";
import { exceedsJsonDepth, MAX_JSON_DEPTH } from "../shared/json-depth.js";
import { toolNameProblem } from "../wire/tool-name.js";
import { schemaProblem } from "./grammars.js";

function tooDeep(what: string): WrenError {
  return new WrenError("bad_request", `${what} nests JSON more than ${MAX_JSON_DEPTH} levels deep.`, {
    hint: `Flatten it to at most ${MAX_JSON_DEPTH} levels of nesting.`,
  });
}

/**
 * The most choices a tool or response schema may declare in all: object properties, enum values and
 * oneOf / anyOf / allOf / prefixItems entries (OpenAI's own cap on enum values). Rendering a schema
 * into a prompt and compiling it to a grammar are synchronous work that grows faster than these
 * (an 8,000-value enum compiles in a third of a second on one core, 18,000 values in seconds), and
 * grammar sampling slows with them for every token.
 */
export const MAX_SCHEMA_ENTRIES = 1000;

/**
 * Stop sequences a request may give, and characters each may have. node-llama-cpp prepares every
 * stop sequence for matching synchronously, in time and memory that grow with its length: a
 * 1 MB stop string held the event loop for 0.4 s and took 230 MB. Real stop sequences are the end
 * of a turn or a closing tag; OpenAI's own API takes 4 of them.
 */
export const MAX_STOP_SEQUENCES = 16;
export const MAX_STOP_SEQUENCE_CHARS = 1000;

function checkStopSequences(stops: readonly string[]): void {
  if (stops.length > MAX_STOP_SEQUENCES) {
    throw new WrenError("bad_request", `The request gives ${stops.length} stop sequences; wren accepts at most ${MAX_STOP_SEQUENCES}.`, {
      hint: "Keep the stop sequences that can really end an answer (the end of a turn, a closing tag).",
      details: { param: "stop" },
    });
  }
  for (const [index, stop] of stops.entries()) {
    if (stop.length > MAX_STOP_SEQUENCE_CHARS) {
      throw new WrenError("bad_request", `Stop sequence ${index + 1} is ${stop.length} characters long; wren accepts at most ${MAX_STOP_SEQUENCE_CHARS} characters a stop sequence.`, {
        hint: "Use a shorter stop sequence: the first characters that can only appear where the answer should end are enough.",
        details: { param: "stop" },
      });
    }
  }
}

const LIST_KEYWORDS = new Set(["enum", "oneOf", "anyOf", "allOf", "prefixItems"]);
const MAP_KEYWORDS = new Set(["properties", "patternProperties", "$defs", "definitions"]);

function checkSchema(schema: JsonSchema, what: string): void {
  if (exceedsJsonDepth(schema)) throw tooDeep(what);
  const entries = schemaEntries(schema);
  if (entries > MAX_SCHEMA_ENTRIES) {
    throw new WrenError(
      "bad_request",
      `${what} declares ${entries} properties, enum values and alternatives in all; wren accepts at most ${MAX_SCHEMA_ENTRIES} per schema.`,
      { hint: "Split it into smaller schemas, or take a long list of values as a plain string and check it yourself." },
    );
  }
  const found = schemaProblem(schema);
  if (found) throw new WrenError("bad_request", `${what} cannot be satisfied: ${found.problem}.`, { hint: found.hint });
}

/** Properties, enum values and alternatives declared anywhere in a schema (its depth is already bounded). */
function schemaEntries(schema: JsonSchema): number {
  let count = 0;
  const stack: unknown[] = [schema];
  while (stack.length > 0) {
    const node = stack.pop();
    if (typeof node !== "object" || node === null) continue;
    if (Array.isArray(node)) {
      // A loop, not a spread: a spread of a huge array overflows the argument limit.
      for (const item of node as unknown[]) stack.push(item);
      continue;
    }
    for (const [key, value] of Object.entries(node as Record<string, unknown>)) {
      if (MAP_KEYWORDS.has(key) && typeof value === "object" && value !== null && !Array.isArray(value)) {
        // A map of names to schemas: its keys are names (a property may well be called "enum").
        if (key === "properties") count += Object.keys(value).length;
        for (const item of Object.values(value as Record<string, unknown>)) stack.push(item);
        continue;
      }
      if (LIST_KEYWORDS.has(key) && Array.isArray(value)) count += value.length;
      // Enum and const values are data, not schemas: nothing inside them to count.
      if (key !== "enum" && key !== "const") stack.push(value);
    }
  }
  return count;
}

/**
 * Checks what a canonical request carries into recursive code (chat templates, the grammar compiler,
 * JSON.stringify, stop sequence matching) before any of it runs, whatever edge it came from: tool
 * names a template can carry, nesting within {@link MAX_JSON_DEPTH}, schemas of at most
 * {@link MAX_SCHEMA_ENTRIES} entries that admit at least one value, at most
 * {@link MAX_STOP_SEQUENCES} stop sequences of at most {@link MAX_STOP_SEQUENCE_CHARS} characters.
 */
export function checkRequestShape(request: ChatRequest): void {
  if (request.stopSequences) checkStopSequences(request.stopSequences);
  for (const [index, tool] of (request.tools ?? []).entries()) {
    const problem = toolNameProblem(tool.name);
    if (problem) {
      throw new WrenError("bad_request", `Tool ${index + 1}: ${problem}.`, {
        hint: "Rename the tool; names appear verbatim in chat templates and grammars.",
        details: { param: "tools" },
      });
    }
    checkSchema(tool.inputSchema, `The schema of tool "${tool.name}"`);
  }
  const format = request.responseFormat;
  if (format?.type === "json" && format.schema) checkSchema(format.schema, "The response format's schema");
  for (const message of request.messages) {
    if (message.role !== "assistant") continue;
    for (const part of message.content) {
      if (part.type === "tool-call" && exceedsJsonDepth(part.input)) throw tooDeep(`The arguments of the earlier tool call "${part.toolName}"`);
    }
  }
}
