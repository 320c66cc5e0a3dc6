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

function checkSchema(schema: JsonSchema, what: string): void {
  if (exceedsJsonDepth(schema)) throw tooDeep(what);
  const problem = schemaProblem(schema);
  if (problem) {
    throw new WrenError("bad_request", `${what} cannot be satisfied: ${problem}.`, {
      hint: "Give every enum, oneOf, anyOf and allOf at least one entry.",
    });
  }
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
