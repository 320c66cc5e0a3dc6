import { serializeBody } from "./body.js";
import { boundTokens } from "./mutations.js";
import type { FuzzCase, TextMutation } from "./cases.js";
import { sendHttp } from "./send-http.js";
import { sendRaw } from "./raw-http.js";
import { sendWs } from "./send-ws.js";
import { checkStream } from "./stream-check.js";

/** What one case showed: a fault when `fault` is set, with the exchange for the report. */
export interface CaseResult {
  fault?: string;
  /** Status of the answer (0 when there was none: raw cases, WebSockets, dropped connections). */
  status: number;
  request: string;
  response: string;
}

const TIMEOUT_MS = 60_000;

function applyText(text: string, m: TextMutation): string | Buffer {
  switch (m.op) {
    case "truncate":
      return text.slice(0, m.at % Math.max(1, text.length));
    case "insert": {
      const at = m.at % (text.length + 1);
      return text.slice(0, at) + m.text + text.slice(at);
    }
    case "bom":
      return `\uFEFF${text}`;
    case "empty":
      return "";
    case "utf16":
      return Buffer.from(text, "utf16le");
  }
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null;

/** True when a 4xx body says what was wrong in one of the three dialects' error shapes. */
function saysWhatWasWrong(body: string): boolean {
  let json: unknown;
  try {
    json = JSON.parse(body) as unknown;
  } catch {
    return false;
  }
  if (!isObject(json)) return false;
  if (typeof json.error === "string") return json.error.length > 0;
  return isObject(json.error) && typeof json.error.message === "string" && json.error.message.length > 0;
}

/**
 * The body's text after its text mutation. Text that still parses (an insertion inside a key, say)
 * is a JSON body like any other, so it gets the same token bound as the JSON mutations.
 */
function bodyOf(c: Extract<FuzzCase, { kind: "http" }>): string | Buffer | undefined {
  const text = serializeBody(c.request.body);
  if (text === undefined || !c.text) return text;
  const mutated = applyText(text, c.text);
  if (typeof mutated !== "string") return mutated;
  let parsed: unknown;
  try {
    parsed = JSON.parse(mutated) as unknown;
  } catch {
    return mutated;
  }
  return serializeBody(boundTokens({ ...c.request, body: parsed }).body);
}

async function runHttp(base: URL, c: Extract<FuzzCase, { kind: "http" }>): Promise<CaseResult> {
  const body = bodyOf(c);
  const request = `${c.request.method} ${c.request.path} ${JSON.stringify(c.headers)} ${body === undefined ? "" : body.toString().slice(0, 1200)}${body !== undefined && body.length > 1200 ? ` … (${body.length} bytes)` : ""}`;
  const out = await sendHttp(base, { method: c.request.method, path: c.request.path, headers: c.headers, ...(body !== undefined ? { body } : {}), ...(c.disconnect ? { disconnect: true } : {}) }, TIMEOUT_MS).catch((error: unknown) => error as Error);
  if (out instanceof Error) return { fault: `no answer: ${out.message}`, status: 0, request, response: "" };
  const response = `${out.status} ${JSON.stringify({ "content-type": out.headers["content-type"] })} ${out.body.slice(0, 1200)}`;
  const result = { status: out.status, request, response };
  if (out.status >= 500) return { ...result, fault: `status ${out.status}` };
  if (c.expect === "success" && (out.status < 200 || out.status >= 300)) return { ...result, fault: `a valid request got ${out.status}` };
  if (out.status >= 400 && c.request.method !== "HEAD" && !saysWhatWasWrong(out.body)) return { ...result, fault: `a ${out.status} without an error message in the dialect's shape` };
  const type = String(out.headers["content-type"] ?? "");
  const format = type.startsWith("text/event-stream") ? (c.request.path.startsWith("/v1/messages") ? "anthropic-sse" : "openai-sse") : type.startsWith("application/x-ndjson") ? "ollama-ndjson" : undefined;
  if (out.status === 200 && format && !c.disconnect) {
    const verdict = checkStream(format, out.body);
    if (verdict.errors.length > 0) return { ...result, fault: `an error inside a 200 stream: ${verdict.errors[0]!.slice(0, 300)}` };
    if (!verdict.complete) return { ...result, fault: "a 200 stream that never ended" };
  }
  return result;
}

async function runRaw(base: URL, c: Extract<FuzzCase, { kind: "raw" }>): Promise<CaseResult> {
  const request = JSON.stringify(c.raw.writes.join("").slice(0, 1200));
  const out = await sendRaw(base, c.raw, TIMEOUT_MS);
  const result = { status: out.statuses[0] ?? 0, request, response: JSON.stringify(out.text.slice(0, 1200)) };
  const bad = out.statuses.find((s) => s >= 500);
  if (bad !== undefined) return { ...result, fault: `status ${bad}` };
  if (out.hung) return { ...result, fault: "the server neither answered nor closed a complete request" };
  return result;
}

async function runWs(base: URL, c: Extract<FuzzCase, { kind: "ws" }>): Promise<CaseResult> {
  const message = c.binary ? Buffer.from(String(c.message), "base64") : typeof c.message === "string" ? c.message : (serializeBody(c.message) ?? "");
  const request = `WS ${c.after ?? ""} ${message.toString().slice(0, 1200)}`;
  const out = await sendWs(base, { message, ...(c.after ? { after: c.after } : {}) }, TIMEOUT_MS).catch((error: unknown) => error as Error);
  if (out instanceof Error) return { fault: `no answer: ${out.message}`, status: 0, request, response: "" };
  const response = `${out.upgradeStatus || 101} ${out.messages.slice(0, 3).join("\n").slice(0, 1200)}`;
  const result = { status: out.upgradeStatus, request, response };
  if (out.upgradeStatus >= 500) return { ...result, fault: `upgrade refused with ${out.upgradeStatus}` };
  const serverError = out.messages.find((m) => /"type":"(server_error|api_error)"|"code":"internal"/.test(m));
  if (serverError) return { ...result, fault: `a server error on the socket: ${serverError.slice(0, 300)}` };
  if (c.expect === "success" && !out.done) return { ...result, fault: "a valid request did not end with [DONE]" };
  if (c.expect === "success" && out.messages.some((m) => m.includes('"error"'))) return { ...result, fault: "an error for a valid request" };
  return result;
}

/** Sends one case and judges the answer. */
export function runCase(base: URL, c: FuzzCase): Promise<CaseResult> {
  if (c.kind === "http") return runHttp(base, c);
  if (c.kind === "raw") return runRaw(base, c);
  return runWs(base, c);
}
