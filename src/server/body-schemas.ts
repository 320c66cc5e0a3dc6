import { z } from "zod";
import * as anthropic from "../wire/anthropic/index.js";
import * as gemini from "../wire/gemini/index.js";
import * as ollama from "../wire/ollama/index.js";
import * as openai from "../wire/openai/index.js";
import * as openaiResponses from "../wire/openai/responses-request.js";

/**
 * Every schema the wire modules export, by a name that is the same in any thread that imports
 * them: how the server names a dialect's schema to the body-parsing worker (a schema itself cannot
 * be sent to another thread).
 */
export const bodySchemas: ReadonlyMap<string, z.ZodType> = new Map(
  Object.entries({ anthropic, gemini, ollama, openai, openaiResponses }).flatMap(([dialect, exports]) =>
    Object.entries(exports as Record<string, unknown>)
      .filter((entry): entry is [string, z.ZodType] => entry[1] instanceof z.ZodType)
      .map(([name, schema]): [string, z.ZodType] => [`${dialect}.${name}`, schema]),
  ),
);

const names = new Map([...bodySchemas].map(([name, schema]) => [schema, name]));

/** The name of a wire schema in {@link bodySchemas}, or undefined for one built elsewhere. */
export function bodySchemaName(schema: z.ZodType): string | undefined {
  return names.get(schema);
}
