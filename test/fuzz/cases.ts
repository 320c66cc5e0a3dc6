import fc from "fast-check";
import { mutatedRequest } from "./mutations.js";
import { oversize, rawCase, type RawCase } from "./raw-http.js";
import { nastyString, oddString } from "./strings.js";
import { validOpenAIChat, validRequest, type FuzzRequest } from "./valid-requests.js";

/** A change to the body's text after serialization: JSON that does not parse, or odd bytes. */
export type TextMutation = { op: "truncate"; at: number } | { op: "insert"; at: number; text: string } | { op: "bom" } | { op: "empty" } | { op: "utf16" };

/**
 * One thing the fuzzer does. `expect: "success"` requests are valid and must get 2xx (and a
 * complete stream with no error in it); everything else must get anything but a 5xx.
 */
export type FuzzCase =
  | { kind: "http"; label: string; expect: "success" | "no-server-fault"; request: FuzzRequest; headers: Record<string, string>; text?: TextMutation; disconnect?: boolean }
  | { kind: "raw"; label: string; raw: RawCase }
  | { kind: "ws"; label: string; expect: "success" | "no-server-fault"; message: unknown; binary?: boolean; after?: "cancel" | "close" };

const json = { "content-type": "application/json" };

/** Header values the Node client can send (Latin-1, no CR/LF/NUL): everything else goes raw. */
const headerSafe = (s: string): string => s.replace(/[^\t\x20-\x7e\x80-\xff]/g, "");
const headerValue = fc.oneof(oddString.map(headerSafe), fc.constantFrom("0", "-1", "15", "16", "1e9", "4294967296", "99999999999999999999", "abc", "1.5", "0x10", "", " 64", "NaN", "Infinity"));
const headerName = fc.oneof(
  fc.constantFrom("x-wren-context-length", "content-type", "accept", "authorization", "x-api-key", "x-request-id", "anthropic-version", "anthropic-beta", "openai-organization", "accept-encoding", "content-encoding", "origin", "x-wren-model", "range", "cookie"),
  fc.stringMatching(/^x-[a-z0-9-]{1,30}$/),
);
const badHeaders = fc.dictionary(headerName, headerValue, { minKeys: 1, maxKeys: 4 }).map((h) => ({ ...json, ...h }));

/** A body's text turned into something that is not the JSON it was. */
const textMutation: fc.Arbitrary<TextMutation> = fc.oneof(
  fc.nat().map((at) => ({ op: "truncate" as const, at })),
  fc.tuple(fc.nat(), fc.oneof(nastyString, fc.constantFrom(",", "}", "]", '"', "\\", "\\u12", "NaN", "/*", "\u0000"))).map(([at, text]) => ({ op: "insert" as const, at, text })),
  fc.constantFrom<TextMutation>({ op: "bom" }, { op: "empty" }, { op: "utf16" }),
);

const streamed = validRequest.filter((r) => r.stream !== undefined);
const percent = (s: string): string => Array.from(Buffer.from(s, "utf8"), (b) => (/[A-Za-z0-9\-_.~]/.test(String.fromCharCode(b)) ? String.fromCharCode(b) : `%${b.toString(16).padStart(2, "0")}`)).join("");

const http = {
  valid: validRequest.map((request): FuzzCase => ({ kind: "http", label: `valid ${request.method} ${request.path}`, expect: "success", request, headers: json })),
  mutated: mutatedRequest(validRequest).map((request): FuzzCase => ({ kind: "http", label: `mutated ${request.path}`, expect: "no-server-fault", request, headers: json })),
  badText: fc.tuple(validRequest.filter((r) => r.method === "POST"), textMutation).map(([request, text]): FuzzCase => ({ kind: "http", label: `not JSON (${text.op}) ${request.path}`, expect: "no-server-fault", request, headers: json, text })),
  badHeaders: fc.tuple(validRequest, badHeaders).map(([request, headers]): FuzzCase => ({ kind: "http", label: `odd headers ${request.path}`, expect: "no-server-fault", request, headers })),
  disconnect: streamed.map((request): FuzzCase => ({ kind: "http", label: `leaves mid-stream ${request.path}`, expect: "no-server-fault", request, headers: json, disconnect: true })),
  wrongRoute: fc
    .tuple(fc.constantFrom("GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS"), fc.constantFrom("/", "/v1/", "/api/", "/v1/models/", "/v1/messages/", "/api/show/", "/health/", "/v1/router/"), oddString)
    .map(([method, prefix, rest]): FuzzCase => ({ kind: "http", label: `route ${method} ${prefix}…`, expect: "no-server-fault", request: { method, path: prefix + percent(rest), ...(method === "GET" || method === "HEAD" ? {} : { body: {} }) }, headers: json })),
};

const ws = {
  valid: validOpenAIChat.map((r): FuzzCase => ({ kind: "ws", label: "ws valid chat", expect: "success", message: r.body })),
  mutated: mutatedRequest(validOpenAIChat).map((r): FuzzCase => ({ kind: "ws", label: "ws mutated chat", expect: "no-server-fault", message: r.body })),
  garbage: fc.oneof(oddString, fc.jsonValue({ maxDepth: 2 }).map((v) => JSON.stringify(v))).map((text): FuzzCase => ({ kind: "ws", label: "ws not a request", expect: "no-server-fault", message: text })),
  binary: fc.uint8Array({ maxLength: 64 }).map((bytes): FuzzCase => ({ kind: "ws", label: "ws binary frame", expect: "no-server-fault", message: Buffer.from(bytes).toString("base64"), binary: true })),
  leave: fc.tuple(validOpenAIChat, fc.constantFrom("cancel" as const, "close" as const)).map(([r, after]): FuzzCase => ({ kind: "ws", label: `ws ${after} mid-stream`, expect: "no-server-fault", message: r.body, after })),
};

/** Any case, weighted: mostly requests that are wrong in one way, enough valid ones to keep the model busy. */
export const fuzzCase: fc.Arbitrary<FuzzCase> = fc.oneof(
  { arbitrary: http.valid, weight: 320 },
  { arbitrary: http.mutated, weight: 576 },
  { arbitrary: http.badText, weight: 96 },
  { arbitrary: http.badHeaders, weight: 128 },
  { arbitrary: http.disconnect, weight: 80 },
  { arbitrary: http.wrongRoute, weight: 64 },
  { arbitrary: rawCase.map((raw): FuzzCase => ({ kind: "raw", label: `raw: ${raw.label}`, raw })), weight: 192 },
  { arbitrary: fc.oneof(ws.valid, ws.mutated, ws.garbage, ws.binary, ws.leave), weight: 128 },
  // About one in 1,600: each sends 17 MiB.
  { arbitrary: oversize.map((raw): FuzzCase => ({ kind: "raw", label: `raw: ${raw.label}`, raw })), weight: 1 },
);

/** The cases of one run: the same seed and count always give the same list. */
export function generateCases(seed: number, count: number): FuzzCase[] {
  return fc.sample(fuzzCase, { seed, numRuns: count });
}
