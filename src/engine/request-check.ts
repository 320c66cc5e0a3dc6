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
 * The most object properties a tool or response schema may declare in all. Rendering a schema into
 * a prompt and compiling it to a grammar are synchronous work in proportion to it (about 70 ms per
 * thousand properties on one core), and no answer that fills more properties fits a context anyway.
 */
export const MAX_SCHEMA_PROPERTIES = 1000;

function checkSchema(schema: JsonSchema, what: string): void {
  if (exceedsJsonDepth(schema)) throw tooDeep(what);
  const properties = propertyCount(schema);
  if (properties > MAX_SCHEMA_PROPERTIES) {
    throw new WrenError("bad_request", `${what} declares ${properties} properties; wren accepts at most ${MAX_SCHEMA_PROPERTIES} per schema.`, {
      hint: "Split the tool into smaller ones, or describe rarely used fields as one free-form object.",
    });
  }
  const problem = schemaProblem(schema);
  if (problem) {
    throw new WrenError("bad_request", `${what} cannot be satisfied: ${problem}.`, {
      hint: "Give every enum, oneOf, anyOf and allOf at least one entry.",
    });
  }
}

/** Object properties declared anywhere in a schema (its depth is already bounded). */
function propertyCount(schema: JsonSchema): number {
  let count = 0;
  const stack: unknown[] = [schema];
  while (stack.length > 0) {
    const node = stack.pop();
    if (typeof node !== "object" || node === null) continue;
    if (Array.isArray(node)) {
      stack.push(...(node as unknown[]));
      continue;
    }
    for (const [key, value] of Object.entries(node as Record<string, unknown>)) {
      if (key === "properties" && typeof value === "object" && value !== null && !Array.isArray(value)) count += Object.keys(value).length;
      stack.push(value);
    }
  }
  return count;
}

/**
 * Checks what a canonical request carries into recursive code (chat templates, the grammar compiler,
 * JSON.stringify) before any of it runs, whatever edge it came from: tool names a template can
 * carry, nesting within {@link MAX_JSON_DEPTH}, schemas that admit at least one value.
 */
export function checkRequestShape(request: ChatRequest): void {
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
