import fc from "fast-check";
import { fuzzString, oddString } from "./strings.js";
import type { FuzzRequest } from "./valid-requests.js";

/**
 * Values too big to hold in every generated case (or to pass through JSON.stringify's recursion):
 * a placeholder the body serializer expands when the request is sent.
 */
export class Expand {
  constructor(
    readonly kind: "deep-array" | "deep-object" | "deep-schema" | "huge-string" | "wide-array",
    readonly size: number,
  ) {}
}

/** Numbers at the edges: out of every range wren checks, non-integers, overflows. */
const edgeNumber = fc.constantFrom(-1, 0, -0, 0.5, 1.5, 3, 1e308, -1e308, 5e-324, 2 ** 31, 2 ** 53 + 1, -(2 ** 63), 1e21, 123456789012345);

/** Any value a client could put where wren expects something else. */
export const fuzzValue: fc.Arbitrary<unknown> = fc.oneof(
  { arbitrary: fc.jsonValue({ maxDepth: 3 }), weight: 4 },
  { arbitrary: fuzzString, weight: 4 },
  { arbitrary: edgeNumber, weight: 3 },
  { arbitrary: fc.constantFrom(null, true, false, [], {}, [null], { "": "" }), weight: 2 },
  { arbitrary: fc.integer({ min: 1_000, max: 100_000 }).map((n) => new Expand("deep-array", n)), weight: 1 },
  { arbitrary: fc.integer({ min: 1_000, max: 100_000 }).map((n) => new Expand("deep-object", n)), weight: 1 },
  { arbitrary: fc.integer({ min: 10_000, max: 200_000 }).map((n) => new Expand("wide-array", n)), weight: 1 },
  { arbitrary: fc.integer({ min: 100_000, max: 2_000_000 }).map((n) => new Expand("huge-string", n)), weight: 1 },
);

/** Schemas a tool or a structured answer could carry: odd types, refs, recursion, huge enums. */
const fuzzSchema: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(
    { type: "wat" },
    { type: ["string", "null", 7] },
    { $ref: "#/definitions/nope" },
    { $ref: "#" },
    { type: "object", properties: { a: { $ref: "#" } }, required: ["a"] },
    { type: "object", required: ["missing"] },
    { type: "string", pattern: "(a+)+$" },
    { type: "string", minLength: 1e9 },
    { type: "array", minItems: 1e9 },
    { type: "integer", minimum: 10, maximum: 1 },
    { enum: [] },
    { anyOf: [] },
    { not: {} },
    { type: "object", additionalProperties: { type: "object", additionalProperties: { type: "object" } } },
    { type: "object", properties: { "": { type: "string" }, "\u0000": { type: "number" } } },
  ),
  fc.dictionary(oddString, fc.jsonValue({ maxDepth: 3 }), { maxKeys: 6 }),
  fc.integer({ min: 100, max: 5_000 }).map((n) => ({ type: "object", properties: Object.fromEntries(Array.from({ length: n }, (_, i) => [`p${i}`, { type: "string" }])) })),
  fc.integer({ min: 1_000, max: 50_000 }).map((n) => ({ enum: Array.from({ length: n }, (_, i) => `v${i}`) })),
  fc.integer({ min: 50, max: 3_000 }).map((depth) => new Expand("deep-schema", depth)),
  fuzzValue,
);

/** Every path to a value inside a JSON body, the root first. */
function paths(value: unknown, prefix: (string | number)[] = [], out: (string | number)[][] = []): (string | number)[][] {
  out.push(prefix);
  if (out.length > 200) return out;
  if (Array.isArray(value)) value.forEach((v, i) => paths(v, [...prefix, i], out));
  else if (value !== null && typeof value === "object" && !(value instanceof Expand)) {
    for (const [k, v] of Object.entries(value)) paths(v, [...prefix, k], out);
  }
  return out;
}

/** A deep copy that keeps the Expand placeholders. */
function clone(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(clone);
  if (value !== null && typeof value === "object" && !(value instanceof Expand)) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, clone(v)]));
  }
  return value;
}

type Json = Record<string | number, unknown>;

function setAt(body: unknown, path: (string | number)[], value: unknown, remove = false): unknown {
  if (path.length === 0) return value;
  let node = body as Json;
  for (const key of path.slice(0, -1)) node = node[key] as Json;
  const last = path[path.length - 1]!;
  if (remove) {
    if (Array.isArray(node) && typeof last === "number") node.splice(last, 1);
    else delete node[last];
  } else node[last] = value;
  return body;
}

/** The dialect's tools and forced tool choice, with a fuzzed name and schema. */
function setTools(body: Json, path: string, name: string, schema: unknown): void {
  if (path.startsWith("/v1/messages")) {
    body.tools = [{ name, input_schema: schema }];
    body.tool_choice = { type: "tool", name };
  } else if (path.startsWith("/api/")) {
    body.tools = [{ type: "function", function: { name, parameters: schema } }];
  } else {
    body.tools = [{ type: "function", function: { name, parameters: schema } }];
    body.tool_choice = { type: "function", function: { name } };
  }
}

const samplingKeys = ["temperature", "top_p", "top_k", "max_tokens", "max_completion_tokens", "n", "seed", "presence_penalty", "frequency_penalty", "dimensions", "stop", "stop_sequences", "logprobs", "top_logprobs"];
const ollamaOptionKeys = ["num_ctx", "num_predict", "temperature", "top_p", "top_k", "min_p", "seed", "stop", "repeat_penalty", "num_thread", "num_gpu"];

/** One change that (most likely) turns a valid request into a client fault. */
const mutation = fc.oneof(
  fc.record({ op: fc.constant("drop" as const), at: fc.nat() }),
  fc.record({ op: fc.constant("set" as const), at: fc.nat(), value: fuzzValue }),
  fc.record({ op: fc.constant("extra" as const), key: oddString, value: fuzzValue }),
  fc.record({ op: fc.constant("model" as const), value: fc.oneof(fuzzString, fuzzValue) }),
  fc.record({ op: fc.constant("tools" as const), name: fuzzString, schema: fuzzSchema }),
  fc.record({ op: fc.constant("format" as const), schema: fuzzSchema }),
  fc.record({ op: fc.constant("sampling" as const), key: fc.constantFrom(...samplingKeys), value: fc.oneof(edgeNumber, fuzzValue) }),
  fc.record({ op: fc.constant("options" as const), key: fc.constantFrom(...ollamaOptionKeys), value: fc.oneof(edgeNumber, fuzzValue) }),
  fc.record({ op: fc.constant("body" as const), value: fuzzValue }),
);
export type Mutation = typeof mutation extends fc.Arbitrary<infer M> ? M : never;

/** Applies one mutation to a copy of a valid request's body. */
export function mutate(request: FuzzRequest, m: Mutation): FuzzRequest {
  const body = clone(request.body ?? {}) as Json;
  const all = paths(body);
  let next: unknown = body;
  const isRecord = typeof body === "object" && body !== null && !Array.isArray(body) && !(body instanceof Expand);
  // A body that an earlier mutation replaced with a non-object has no fields to change.
  if (!isRecord && m.op !== "drop" && m.op !== "set" && m.op !== "body") return request;
  switch (m.op) {
    case "drop":
      next = all.length > 1 ? setAt(body, all[1 + (m.at % (all.length - 1))]!, undefined, true) : body;
      break;
    case "set":
      next = setAt(body, all[m.at % all.length]!, m.value);
      break;
    case "extra":
      body[m.key] = m.value;
      break;
    case "model":
      body.model = m.value;
      break;
    case "tools":
      setTools(body, request.path, m.name, m.schema);
      break;
    case "format":
      if (request.path.startsWith("/api/")) body.format = m.schema;
      else body.response_format = { type: "json_schema", json_schema: { name: "x", schema: m.schema } };
      break;
    case "sampling":
      body[m.key] = m.value;
      break;
    case "options":
      body.options = { ...(typeof body.options === "object" && body.options !== null ? body.options : {}), [m.key]: m.value };
      break;
    case "body":
      next = m.value;
      break;
  }
  return { ...request, body: next };
}

const SMALL = 8;

/**
 * Puts back a small token budget where a mutation left none (OpenAI and Ollama then generate until
 * the context is full) or a large one under a grammar (JSON output and forced tool calls may never
 * reach an end token): a handful of such requests would hold every sequence for minutes and turn
 * the rest of the run into queue timeouts. Wrong types and out-of-range budgets stay as they are.
 */
export function boundTokens(request: FuzzRequest): FuzzRequest {
  const body = request.body;
  if (typeof body !== "object" || body === null || Array.isArray(body) || body instanceof Expand) return request;
  const b = { ...(body as Json) };
  const constrained = b.format !== undefined || b.response_format !== undefined || b.tools !== undefined;
  const big = (v: unknown): boolean => typeof v === "number" && (v > 64 || (constrained && v < 1));
  if (request.path.startsWith("/api/")) {
    const options = b.options;
    if (options === undefined || options === null) b.options = { num_predict: SMALL };
    else if (typeof options === "object" && !Array.isArray(options) && !(options instanceof Expand)) {
      const o = options as Json;
      if (o.num_predict === undefined || big(o.num_predict)) b.options = { ...o, num_predict: SMALL };
    }
  } else if (request.path === "/v1/chat/completions" || request.path === "/v1/completions") {
    if ((b.max_tokens === undefined || b.max_tokens === null) && (b.max_completion_tokens === undefined || b.max_completion_tokens === null)) b.max_tokens = SMALL;
    if (big(b.max_tokens)) b.max_tokens = SMALL;
    if (big(b.max_completion_tokens)) b.max_completion_tokens = SMALL;
  } else if (request.path === "/v1/messages" && big(b.max_tokens)) {
    b.max_tokens = SMALL;
  }
  return { ...request, body: b };
}

/** A valid POST request with one or two mutations. */
export function mutatedRequest(valid: fc.Arbitrary<FuzzRequest>): fc.Arbitrary<FuzzRequest> {
  return fc.tuple(valid.filter((r) => r.method === "POST"), fc.array(mutation, { minLength: 1, maxLength: 2 })).map(([request, ms]) => boundTokens(ms.reduce(mutate, request)));
}
