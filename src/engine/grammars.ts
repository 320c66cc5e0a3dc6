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

  forSchema(schema: JsonSchema): Promise<LlamaGrammar> {
    const key = JSON.stringify(schema);
    return this.#get(key, async () => {
      try {
        // The schema is validated by llama.cpp's compiler at run time; its static type is a generic
        // that plain data cannot satisfy.
        return await this.#llama.createGrammarForJsonSchema(schema as GbnfJsonSchema as never);
      } catch (cause) {
        throw new WrenError("bad_request", `The JSON schema cannot be turned into a grammar: ${cause instanceof Error ? cause.message : String(cause)}`, {
          cause,
          hint: "Use a schema of objects, arrays, strings, numbers, booleans, enums and const values.",
        });
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

/** Keywords whose value is data, not a schema: never searched for schema problems. */
const DATA_KEYWORDS = new Set(["const", "default", "examples", "enum", "description", "title"]);

/**
 * Why a schema admits no value at all, or undefined. node-llama-cpp compiles an empty `enum`,
 * `oneOf` or `anyOf` to a grammar that matches nothing a JSON parser accepts, so the model's output
 * could never be used; JSON Schema itself requires these arrays to be non-empty.
 */
export function schemaProblem(schema: JsonSchema): string | undefined {
  const stack: Array<{ node: unknown; path: string }> = [{ node: schema, path: "" }];
  while (stack.length > 0) {
    const item = stack.pop();
    if (!item || typeof item.node !== "object" || item.node === null) continue;
    const entries = Array.isArray(item.node) ? item.node.map((v, i) => [String(i), v] as const) : Object.entries(item.node);
    for (const [key, value] of entries) {
      const path = item.path ? `${item.path}.${key}` : key;
      if (!Array.isArray(item.node) && ["enum", "oneOf", "anyOf", "allOf"].includes(key) && Array.isArray(value) && value.length === 0) {
        return `${path} is an empty list`;
      }
      if (!Array.isArray(item.node) && DATA_KEYWORDS.has(key)) continue;
      stack.push({ node: value, path });
    }
  }
  return undefined;
}
