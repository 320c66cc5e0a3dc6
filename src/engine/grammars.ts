import type { GbnfJsonSchema, Llama, LlamaGrammar } from "node-llama-cpp";
import type { JsonSchema } from "../protocol/messages.js";
import { WrenError } from "../shared/errors.js";

/**
 * Compiles JSON schemas to llama.cpp grammars once per distinct schema: compiling is work a hot
 * path should not repeat. Bounded so a client sending endless schemas cannot grow it forever.
 */
export class GrammarCache {
  readonly #llama: Llama;
  readonly #cache = new Map<string, Promise<LlamaGrammar>>();
  readonly #limit: number;

  constructor(llama: Llama, limit = 64) {
    this.#llama = llama;
    this.#limit = limit;
  }

  /** A grammar for any JSON value (`response_format: json_object`). */
  json(): Promise<LlamaGrammar> {
    return this.#get("\u0000json", () => this.#llama.getGrammarFor("json"));
  }

  /** A grammar for exactly one of `values`, as plain text (no JSON around it). */
  choice(values: readonly string[]): Promise<LlamaGrammar> {
    const grammar = `root ::= ${values.map(gbnfLiteral).join(" | ")}`;
    return this.#get(`\u0000choice${grammar}`, () => this.#llama.createGrammar({ grammar }));
  }

  forSchema(schema: JsonSchema): Promise<LlamaGrammar> {
    const key = JSON.stringify(schema);
    return this.#get(key, async () => {
      try {
        // The schema is validated by llama.cpp's compiler at run time; its static type is a generic
        // that plain data cannot satisfy.
        return await this.#llama.createGrammarForJsonSchema(schema as GbnfJsonSchema as never);
      } catch (cause) {
        const message = cause instanceof Error ? cause.message : String(cause);
        // llama.cpp's parser refuses a rule repeated too often (its reason goes only to stderr).
        const hint = /parse grammar/i.test(message)
          ? `Keep minItems, maxItems, minLength and maxLength at ${MAX_GRAMMAR_REPETITIONS} or less (less for complex items), or leave them out.`
          : "Use a schema of objects, arrays, strings, numbers, booleans, enums and const values.";
        throw new WrenError("bad_request", `The JSON schema cannot be turned into a grammar: ${message}`, { cause, hint });
      }
    });
  }

  #get(key: string, make: () => Promise<LlamaGrammar>): Promise<LlamaGrammar> {
    const hit = this.#cache.get(key);
    if (hit) {
      this.#cache.delete(key);
      this.#cache.set(key, hit);
      return hit;
    }
    const made = make();
    made.catch(() => this.#cache.delete(key));
    this.#cache.set(key, made);
    if (this.#cache.size > this.#limit) {
      const oldest = this.#cache.keys().next().value;
      if (oldest !== undefined) this.#cache.delete(oldest);
    }
    return made;
  }
}

/** A GBNF string literal of `text`: quote and backslash escaped, control characters as `\xNN`. */
function gbnfLiteral(text: string): string {
  // eslint-disable-next-line no-control-regex
  const body = text.replace(/["\\]|[\u0000-\u001f\u007f]/g, (c) => (c === '"' || c === "\\" ? `\\${c}` : `\\x${c.charCodeAt(0).toString(16).padStart(2, "0")}`));
  return `"${body}"`;
}

/** The most repetitions of one rule llama.cpp's grammar parser takes ("exceeds sane defaults" past it). */
const MAX_GRAMMAR_REPETITIONS = 2000;
/** Keywords compiled to a rule repeated at least their value times. */
const MIN_REPETITIONS = new Set(["minItems", "minLength"]);

/** Keywords whose value is data, not a schema: never searched for schema problems. */
const DATA_KEYWORDS = new Set(["const", "default", "examples", "enum", "description", "title"]);
/** Keywords whose value maps names to schemas: a key there named `type` is a name, not the keyword. */
const NAME_MAPS = new Set(["properties", "patternProperties", "$defs", "definitions", "dependentSchemas"]);
const JSON_TYPES = ["string", "number", "integer", "boolean", "object", "array", "null"];

/** What is wrong with a schema a grammar cannot follow, and what to do about it. */
export interface SchemaProblem {
  problem: string;
  hint: string;
}

/**
 * Why a schema admits no value at all, names no type JSON has, or asks for more repetitions
 * (minItems, minLength) than llama.cpp's grammar parser takes, or undefined. node-llama-cpp
 * compiles an empty `enum`, `oneOf` or `anyOf` to a grammar that matches nothing a JSON parser
 * accepts (JSON Schema itself requires these arrays to be non-empty), and a `type` it does not
 * know (`"strnig"`) to one that allows only `null`: the model's output could never be used.
 */
export function schemaProblem(schema: JsonSchema): SchemaProblem | undefined {
  const stack: Array<{ node: unknown; path: string; names: boolean }> = [{ node: schema, path: "", names: false }];
  while (stack.length > 0) {
    const item = stack.pop();
    if (!item || typeof item.node !== "object" || item.node === null) continue;
    const isList = Array.isArray(item.node);
    const entries: Array<readonly [string, unknown]> = isList ? (item.node as unknown[]).map((v, i) => [String(i), v] as const) : Object.entries(item.node as Record<string, unknown>);
    for (const [key, value] of entries) {
      const path = item.path ? `${item.path}.${key}` : key;
      if (!isList && !item.names && ["enum", "oneOf", "anyOf", "allOf"].includes(key) && Array.isArray(value) && value.length === 0) {
        return { problem: `${path} is an empty list`, hint: "Give every enum, oneOf, anyOf and allOf at least one entry." };
      }
      if (!isList && !item.names && key === "type") {
        const types: unknown[] = Array.isArray(value) ? value : [value];
        const unknown = types.find((t) => typeof t !== "string" || !JSON_TYPES.includes(t));
        if (unknown !== undefined || types.length === 0) {
          return {
            problem: `${path} is ${JSON.stringify(value)}, which names no JSON type`,
            hint: `Use one of ${JSON_TYPES.map((t) => `"${t}"`).join(", ")}, or a list of them.`,
          };
        }
        continue;
      }
      if (!isList && !item.names && MIN_REPETITIONS.has(key) && typeof value === "number" && value > MAX_GRAMMAR_REPETITIONS) {
        return {
          problem: `${path} is ${value}, more repetitions than a grammar takes (${MAX_GRAMMAR_REPETITIONS})`,
          hint: `Keep minItems and minLength at ${MAX_GRAMMAR_REPETITIONS} or less, or leave them out.`,
        };
      }
      if (!isList && !item.names && DATA_KEYWORDS.has(key)) continue;
      stack.push({ node: value, path, names: !isList && !item.names && NAME_MAPS.has(key) });
    }
  }
  return undefined;
}
