import { z } from "zod";
import { WrenError } from "../shared/errors.js";

/** One OpenAI-compatible server under measurement. */
export interface BenchEndpoint {
  /** Base URL, with or without `/v1`. */
  url: string;
  model: string;
  apiKey?: string;
}

/** The figures of one workload run against one server (medians over the rounds). */
export interface BenchFigures {
  /** Prompt tokens over time to first token of a long prompt. */
  promptTokensPerSecond: number;
  /** Tokens after the first over the time after the first, one stream. */
  decodeTokensPerSecond: number;
  /** Time to first token of a short prompt, in ms. */
  firstTokenMs: number;
  /** All tokens of 4 concurrent streams over their wall time. */
  fourStreamTokensPerSecond: number;
}

/** How much work one run does. */
export interface BenchWorkload {
  /** Tokens to generate per request. Default 64. */
  maxTokens: number;
  /** Rounds per figure; the median is kept. Default 3. */
  rounds: number;
  /**
   * Characters of the long prompt that measures prompt tokens/s. At most one token per character,
   * so a value under the context (less the answer's room) always fits.
   */
  promptChars: number;
}

/** Times are `performance.now()` readings. */
interface StreamRun {
  startMs: number;
  firstMs: number;
  endMs: number;
  promptTokens: number;
  outputTokens: number;
}

const chunkSchema = z.object({
  choices: z.array(z.object({ delta: z.object({ content: z.string().nullish() }).nullish() })).nullish(),
  usage: z.object({ prompt_tokens: z.number(), completion_tokens: z.number() }).nullish(),
});

const modelsSchema = z.object({ data: z.array(z.object({ id: z.string() })) });

function v1(url: string): string {
  const base = url.replace(/\/+$/, "");
  return base.endsWith("/v1") ? base : `${base}/v1`;
}

function headers(endpoint: { apiKey?: string }): Record<string, string> {
  return { "content-type": "application/json", ...(endpoint.apiKey ? { authorization: `Bearer ${endpoint.apiKey}` } : {}) };
}

/** The first model a server lists, for `--vs URL` without a model name. */
export async function firstModelOf(url: string, apiKey?: string): Promise<string> {
  const res = await fetch(`${v1(url)}/models`, { headers: headers({ ...(apiKey ? { apiKey } : {}) }) }).catch((cause: unknown) => {
    throw new WrenError("network_error", `Could not reach ${url}: ${cause instanceof Error ? cause.message : String(cause)}.`, {
      hint: "Check the URL and that the server is running.",
      cause,
    });
  });
  const parsed = modelsSchema.safeParse(await res.json().catch(() => undefined));
  const id = parsed.success ? parsed.data.data[0]?.id : undefined;
  if (!res.ok || !id) {
    throw new WrenError("bad_request", `${url} lists no models at /v1/models (HTTP ${res.status}).`, { hint: "Name the model with --vs-model." });
  }
  return id;
}

/** One streamed chat completion, timed as a client sees it. */
async function streamOnce(endpoint: BenchEndpoint, content: string, maxTokens: number): Promise<StreamRun> {
  const start = performance.now();
  const res = await fetch(`${v1(endpoint.url)}/chat/completions`, {
    method: "POST",
    headers: headers(endpoint),
    body: JSON.stringify({
      model: endpoint.model,
      messages: [{ role: "user", content }],
      max_tokens: maxTokens,
      temperature: 0,
      stream: true,
      stream_options: { include_usage: true },
    }),
  });
  if (!res.ok || !res.body) {
    throw new WrenError("upstream_error", `${endpoint.url} answered HTTP ${res.status}: ${(await res.text()).slice(0, 300)}`, {
      hint: "Check that the server serves this model (--vs-model) and speaks the OpenAI chat API.",
    });
  }
  let first: number | undefined;
  let promptTokens = 0;
  let outputTokens = 0;
  let deltas = 0;
  let buffer = "";
  const decoder = new TextDecoder();
  const onEvent = (event: string): void => {
    for (const line of event.split("\n")) {
      if (!line.startsWith("data:")) continue;
      const data = line.slice(5).trim();
      if (!data || data === "[DONE]") continue;
      const parsed = chunkSchema.safeParse(JSON.parse(data));
      if (!parsed.success) continue;
      if (parsed.data.choices?.some((c) => c.delta?.content)) {
        first ??= performance.now();
        deltas++;
      }
      if (parsed.data.usage) {
        promptTokens = parsed.data.usage.prompt_tokens;
        outputTokens = parsed.data.usage.completion_tokens;
      }
    }
  };
  for await (const bytes of res.body as unknown as AsyncIterable<Uint8Array>) {
    buffer += decoder.decode(bytes, { stream: true });
    let cut: number;
    while ((cut = buffer.search(/\r?\n\r?\n/)) >= 0) {
      onEvent(buffer.slice(0, cut));
      buffer = buffer.slice(cut).replace(/^\r?\n\r?\n/, "");
    }
  }
  if (buffer.trim()) onEvent(buffer);
  const end = performance.now();
  // A server that reports no usage: count its content events instead.
  return { startMs: start, firstMs: first ?? end, endMs: end, promptTokens, outputTokens: outputTokens || deltas };
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

const PROMPT_TEXT = "The quick brown fox jumps over the lazy dog while the cat watches from the old wooden fence. ";
const SHORT_PROMPT = "Tell me a short story about a fox.";

/**
 * Runs the workload against one server: each request's text differs by round so no server answers
 * from a cache of an identical earlier prompt.
 */
export async function runWorkload(endpoint: BenchEndpoint, workload: BenchWorkload): Promise<BenchFigures> {
  await streamOnce(endpoint, `warm-up ${SHORT_PROMPT}`, 4);
  const long = PROMPT_TEXT.repeat(Math.ceil(workload.promptChars / PROMPT_TEXT.length)).slice(0, workload.promptChars);
  const prompt: number[] = [];
  const decode: number[] = [];
  const ttft: number[] = [];
  const four: number[] = [];
  for (let round = 0; round < workload.rounds; round++) {
    const read = await streamOnce(endpoint, `${round}: ${long}`, 1);
    prompt.push(read.promptTokens / ((read.firstMs - read.startMs) / 1000));
    const short = await streamOnce(endpoint, `${round}: ${SHORT_PROMPT}`, workload.maxTokens);
    ttft.push(short.firstMs - short.startMs);
    const afterFirst = (short.endMs - short.firstMs) / 1000;
    // One token (or all in one event) leaves no time after the first: count the whole request.
    decode.push(short.outputTokens > 1 && afterFirst > 0 ? (short.outputTokens - 1) / afterFirst : short.outputTokens / ((short.endMs - short.startMs) / 1000));
    const t0 = performance.now();
    const runs = await Promise.all(Array.from({ length: 4 }, (_, i) => streamOnce(endpoint, `${round}.${i}: ${SHORT_PROMPT}`, workload.maxTokens)));
    const wall = (Math.max(...runs.map((r) => r.endMs)) - t0) / 1000;
    four.push(runs.reduce((sum, r) => sum + r.outputTokens, 0) / wall);
  }
  return {
    promptTokensPerSecond: median(prompt),
    decodeTokensPerSecond: median(decode),
    firstTokenMs: median(ttft),
    fourStreamTokensPerSecond: median(four),
  };
}
