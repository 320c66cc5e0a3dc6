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
        return await this.#llama.createGrammarForJsonSchema(grammarSchema(schema) as GbnfJsonSchema as never);
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

/** Keywords that count (characters, items, properties): JSON Schema makes each a whole number, 0 or more. */
const COUNT_KEYWORDS = ["minLength", "maxLength", "minItems", "maxItems", "minProperties", "maxProperties"];
const DEF_PREFIXES = ["#/$defs/", "#/definitions/"];
const REF_HINT = "Put the schema it refers to under $defs (in this schema or one that encloses it) and refer to it as #/$defs/NAME; wren fetches no schemas and follows no other references.";

/**
 * `schema` as node-llama-cpp's grammar compiler reads it: definitions under `definitions` (what
 * draft-07 tools and zod-to-json-schema write) moved to `$defs` and references to them rewritten,
 * since it follows `#/$defs/NAME` only and reads any other reference as "any JSON value".
 */
export function grammarSchema(schema: JsonSchema): JsonSchema {
  const defs = rootDefinitions(schema);
  const convert = (node: unknown, names: boolean): unknown => {
    if (Array.isArray(node)) return node.map((item) => convert(item, false));
    if (typeof node !== "object" || node === null) return node;
    const entries = Object.entries(node as Record<string, unknown>);
    // Object.fromEntries, not assignment: a property may be named `__proto__`.
    if (names) return Object.fromEntries(entries.map(([key, value]) => [key, convert(value, false)]));
    const out = Object.fromEntries(
      entries
        .filter(([key]) => key !== "definitions")
        .map(([key, value]) => {
          if (DATA_KEYWORDS.has(key)) return [key, value];
          if (key === "$ref" && typeof value === "string" && value.startsWith("#/definitions/")) return [key, `#/$defs/${value.slice("#/definitions/".length)}`];
          return [key, convert(value, NAME_MAPS.has(key))];
        }),
    ) as Record<string, unknown>;
    const definitions = (node as Record<string, unknown>)["definitions"];
    if (typeof definitions === "object" && definitions !== null) out["$defs"] = { ...(convert(definitions, true) as object), ...(out["$defs"] as object | undefined) };
    // node-llama-cpp compiles anyOf and allOf to `null` alone. anyOf's grammar is oneOf's (the text
    // written matches one of them either way); allOf is put together where it can be (see mergedAllOf).
    if (Array.isArray(out["anyOf"]) && out["oneOf"] === undefined) {
      out["oneOf"] = out["anyOf"];
      delete out["anyOf"];
    }
    if (Array.isArray(out["allOf"])) return mergedAllOf(out, (name) => convert(defs.get(name), false)) ?? out;
    return out;
  };
  return convert(schema, false) as JsonSchema;
}

/** The definitions at a schema's root, under `$defs` or `definitions`, by name. */
function rootDefinitions(schema: JsonSchema): ReadonlyMap<string, unknown> {
  const defs = new Map<string, unknown>();
  for (const key of ["definitions", "$defs"]) {
    const found = (schema as Record<string, unknown>)[key];
    if (typeof found === "object" && found !== null && !Array.isArray(found)) for (const [name, def] of Object.entries(found)) defs.set(name, def);
  }
  return defs;
}

/** Keywords an object schema may have for its allOf entries to be put together (see {@link mergedAllOf}). */
const MERGEABLE_KEYWORDS = new Set(["type", "properties", "required", "additionalProperties", "description", "title", "default", "examples", "$defs", "definitions"]);

/**
 * A node whose `allOf` is put into one schema, or undefined where it cannot be. One entry is the
 * node itself (pydantic v1 wraps a referenced model that has a default as `allOf: [{$ref}]`); several
 * are merged where each, a reference to a root definition looked up, is an object schema of
 * properties and required names only (a base model and its extension): their properties and
 * required names together, a property in two of them only when it is the same.
 */
function mergedAllOf(node: Record<string, unknown>, definition: (name: string) => unknown, seen: ReadonlySet<string> = new Set()): Record<string, unknown> | undefined {
  const { allOf, ...rest } = node;
  if (!Array.isArray(allOf) || allOf.length === 0) return undefined;
  if (allOf.length === 1) {
    const only: unknown = allOf[0];
    return typeof only === "object" && only !== null && !Array.isArray(only) ? { ...(only as Record<string, unknown>), ...rest } : undefined;
  }
  const parts: Array<Record<string, unknown>> = [rest];
  for (const entry of allOf) {
    if (typeof entry !== "object" || entry === null || Array.isArray(entry)) return undefined;
    let part = entry as Record<string, unknown>;
    const ref = part["$ref"];
    if (typeof ref === "string" && Object.keys(part).length === 1) {
      const prefix = DEF_PREFIXES.find((p) => ref.startsWith(p));
      const name = prefix ? ref.slice(prefix.length) : undefined;
      const found = name === undefined || seen.has(name) ? undefined : definition(name);
      if (name === undefined || typeof found !== "object" || found === null || Array.isArray(found)) return undefined;
      part = found as Record<string, unknown>;
      if (Array.isArray(part["allOf"])) {
        const inner = mergedAllOf(part, definition, new Set([...seen, name]));
        if (!inner) return undefined;
        part = inner;
      }
    }
    parts.push(part);
  }
  const merged: Record<string, unknown> = { type: "object" };
  const properties: Record<string, unknown> = {};
  const required = new Set<string>();
  for (const part of parts) {
    for (const key of Object.keys(part)) if (!MERGEABLE_KEYWORDS.has(key)) return undefined;
    if (part["type"] !== undefined && part["type"] !== "object") return undefined;
    const own = part["properties"];
    if (own !== undefined) {
      if (typeof own !== "object" || own === null || Array.isArray(own)) return undefined;
      for (const [name, value] of Object.entries(own)) {
        if (Object.hasOwn(properties, name) && JSON.stringify(properties[name]) !== JSON.stringify(value)) return undefined;
        properties[name] = value;
      }
    }
    const names = part["required"];
    if (names !== undefined) {
      if (!Array.isArray(names)) return undefined;
      for (const name of names) if (typeof name === "string") required.add(name);
    }
    if (part["additionalProperties"] === false) merged["additionalProperties"] = false;
    for (const key of ["description", "title", "default", "examples", "$defs"]) if (part[key] !== undefined && merged[key] === undefined) merged[key] = part[key];
  }
  merged["properties"] = properties;
  if (required.size > 0) merged["required"] = [...required];
  return merged;
}

/** What is wrong with a `$ref` at `path`, given the definitions in scope there, or undefined. */
function refProblem(ref: unknown, path: string, defs: ReadonlySet<string>): SchemaProblem | undefined {
  if (typeof ref !== "string") return { problem: `${path} is ${JSON.stringify(ref)}, not a reference`, hint: REF_HINT };
  const prefix = DEF_PREFIXES.find((p) => ref.startsWith(p));
  if (prefix) {
    const name = ref.slice(prefix.length);
    if (defs.has(name)) return undefined;
    return {
      problem: `${path} is ${JSON.stringify(ref)}, which points to no definition`,
      hint: `Define ${JSON.stringify(name)} under $defs in this schema or one that encloses it, or fix the name (a reference names a whole definition, not a part of one).`,
    };
  }
  if (ref === "#" || ref === "#/") {
    return { problem: `${path} is ${JSON.stringify(ref)}, a reference to the whole schema`, hint: `For a recursive schema, move the part that recurses under $defs and refer to it as #/$defs/NAME, inside and out.` };
  }
  if (ref.startsWith("#")) return { problem: `${path} is ${JSON.stringify(ref)}, which is not a definition`, hint: REF_HINT };
  return { problem: `${path} is ${JSON.stringify(ref)}, a schema outside this one`, hint: REF_HINT };
}

/** What is wrong with one schema object's counts (see {@link COUNT_KEYWORDS}), or undefined. */
function countProblem(node: Record<string, unknown>, at: string): SchemaProblem | undefined {
  const path = (key: string): string => (at ? `${at}.${key}` : key);
  for (const key of COUNT_KEYWORDS) {
    const value = node[key];
    if (value !== undefined && !(typeof value === "number" && Number.isInteger(value) && value >= 0)) {
      return { problem: `${path(key)} is ${JSON.stringify(value)}, not a count (a whole number, 0 or more)`, hint: `Make ${key} a whole number, 0 or more, or leave it out.` };
    }
  }
  for (const what of ["Length", "Items", "Properties"]) {
    const min = node[`min${what}`];
    const max = node[`max${what}`];
    if (typeof min === "number" && typeof max === "number" && max < min) {
      return { problem: `${path(`max${what}`)} is ${max}, less than its min${what} ${min}`, hint: `No value fits: make max${what} at least min${what}.` };
    }
  }
  const max = node["maxItems"];
  const prefix = node["prefixItems"];
  if (typeof max === "number" && Array.isArray(prefix) && max < prefix.length) {
    return {
      problem: `${path("maxItems")} is ${max}, less than its ${prefix.length} prefixItems, which a grammar writes every one of`,
      hint: "Make maxItems at least the number of prefixItems, or leave it out.",
    };
  }
  const maxProperties = node["maxProperties"];
  const properties = node["properties"];
  const declared = typeof properties === "object" && properties !== null ? Object.keys(properties).length : 0;
  if (typeof maxProperties === "number" && maxProperties < declared) {
    return {
      problem: `${path("maxProperties")} is ${maxProperties}, less than its ${declared} properties, which a grammar writes every one of`,
      hint: "Make maxProperties at least the number of properties, or leave it out.",
    };
  }
  return undefined;
}

/** What is wrong with a schema a grammar cannot follow, and what to do about it. */
export interface SchemaProblem {
  problem: string;
  hint: string;
}

/**
 * Why a schema admits no value at all, names no type JSON has, asks for more repetitions
 * (minItems, minLength) than llama.cpp's grammar parser takes, has a `$ref` its grammar cannot
 * follow or a length or count it cannot keep, or undefined. node-llama-cpp compiles an empty
 * `enum`, `oneOf` or `anyOf` to a grammar that matches nothing a JSON parser accepts (JSON Schema
 * itself requires these arrays to be non-empty), and a `type` it does not know (`"strnig"`) to one
 * that allows only `null`: the model's output could never be used. A `$ref` other than to a
 * definition in scope (see {@link grammarSchema}), and a count below 0 or below its minimum or
 * the entries it must write, it compiles to "any JSON value" or to other bounds, with a warning on
 * stderr: the output need not follow the schema the client sent.
 */
export function schemaProblem(schema: JsonSchema): SchemaProblem | undefined {
  const rootDefs = rootDefinitions(schema);
  const stack: Array<{ node: unknown; path: string; names: boolean; defs: ReadonlySet<string> }> = [{ node: schema, path: "", names: false, defs: new Set() }];
  while (stack.length > 0) {
    const item = stack.pop();
    if (!item || typeof item.node !== "object" || item.node === null) continue;
    const isList = Array.isArray(item.node);
    let defs = item.defs;
    if (!isList && !item.names) {
      const node = item.node as Record<string, unknown>;
      const found = countProblem(node, item.path);
      if (found) return found;
      // Definitions are seen by the schema that holds them and everything inside it.
      const own = [node["$defs"], node["definitions"]].flatMap((d) => (typeof d === "object" && d !== null && !Array.isArray(d) ? Object.keys(d) : []));
      if (own.length > 0) defs = new Set([...defs, ...own]);
    }
    const entries: Array<readonly [string, unknown]> = isList ? (item.node as unknown[]).map((v, i) => [String(i), v] as const) : Object.entries(item.node as Record<string, unknown>);
    for (const [key, value] of entries) {
      const path = item.path ? `${item.path}.${key}` : key;
      if (!isList && !item.names && key === "$ref") {
        const found = refProblem(value, path, defs);
        if (found) return found;
        continue;
      }
      if (!isList && !item.names && ["enum", "oneOf", "anyOf", "allOf"].includes(key) && Array.isArray(value) && value.length === 0) {
        return { problem: `${path} is an empty list`, hint: "Give every enum, oneOf, anyOf and allOf at least one entry." };
      }
      if (!isList && !item.names && key === "allOf" && Array.isArray(value) && !mergedAllOf(item.node as Record<string, unknown>, (name) => rootDefs.get(name))) {
        return {
          problem: `${path} has ${value.length} schemas that a grammar cannot put together: only object schemas of properties and required names (or references to such definitions) are merged`,
          hint: "Write the schema as one, or use oneOf or anyOf where one of them is meant.",
        };
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
      stack.push({ node: value, path, names: !isList && !item.names && NAME_MAPS.has(key), defs });
    }
  }
  return undefined;
}
