import type { Dispatcher } from "undici";
import type { z } from "zod";
import { WrenError } from "../../shared/errors.js";
import type { RequestSigner } from "../../shared/peer-signature.js";
import { answerTooLarge, MAX_ANSWER_BYTES } from "../answer-bound.js";
import { silenceAgent } from "../silence-agent.js";
import { SseDataReader } from "../sse-data.js";
import { firstLine, fromSdkError, malformedResponse, upstreamError } from "../upstream-error.js";
import { errorBodySchema } from "../../wire/openai/chat-response.js";

/** Options of {@link OpenAIChatClient}. */
export interface OpenAIChatClientOptions {
  /** Registry name, for error messages. */
  provider: string;
  /** API root including the version segment, e.g. `https://api.openai.com/v1`. */
  baseURL: string;
  /** Sent as `Authorization: Bearer KEY`; omit for servers that need none. */
  apiKey?: string | undefined;
  /** Extra headers on every request (they win over wren's own). */
  headers?: Record<string, string> | undefined;
  /** Headers made per request from its method, path and body (a LAN peer's signature); they win over all others. */
  sign?: RequestSigner | undefined;
  /** The most bytes one answer (a whole stream included) may take; past it the answer fails. Default {@link MAX_ANSWER_BYTES}. */
  maxAnswerBytes?: number | undefined;
}

/** The most of an error response's body read for its message. */
const ERROR_BODY_BYTES = 16 * 1024;

/**
 * POSTs to an OpenAI-compatible server's `/chat/completions` over undici's `Agent.request()` (a
 * kept-alive connection pool of its own): the openai SDK's fetch path cost about 0.7 ms of CPU per
 * request more, which wren serve's router pays on every routed request. Failures become the
 * WrenErrors the router classifies (status, `retry-after`, retryable or not).
 */
export class OpenAIChatClient {
  readonly #url: string;
  readonly #headers: Record<string, string>;
  #agent: Promise<Dispatcher> | undefined;
  /** The agent once loaded, and the URL once parsed: each request would otherwise pay an await and a parse. */
  #loaded: Dispatcher | undefined;
  #target: { origin: string; path: string } | undefined;

  constructor(private readonly options: OpenAIChatClientOptions) {
    this.#url = `${options.baseURL.replace(/\/+$/, "")}/chat/completions`;
    this.#headers = {
      "content-type": "application/json",
      accept: "application/json, text/event-stream",
      ...(options.apiKey === undefined ? {} : { authorization: `Bearer ${options.apiKey}` }),
      ...options.headers,
    };
  }

  /**
   * undici loads on the first call, not at start-up: a run pays only for the providers it calls.
   * Only its Agent and ProxyAgent are used (the published command bundles that part of undici
   * alone; see scripts/bundle-cli.mjs), so requests go through the pool's own `request()`.
   */
  #load(): Promise<Dispatcher> {
    const maxResponseSize = this.options.maxAnswerBytes ?? MAX_ANSWER_BYTES;
    // The router's timeouts are the limits users set; the agent's own only drops a connection gone silent for good.
    return (this.#agent ??= silenceAgent(this.#url, { maxResponseSize }));
  }

  /** Loads undici and the agent, before the router's clock starts. */
  async prepare(): Promise<void> {
    this.#loaded ??= await this.#load();
  }

  /** Sends `body`; resolves with the response once its headers are in and its status is 2xx. */
  async #post(body: unknown, signal: AbortSignal | undefined): Promise<Dispatcher.ResponseData> {
    const agent = this.#loaded ?? (this.#loaded = await this.#load());
    let response: Dispatcher.ResponseData;
    try {
      // Inside the try: a base URL that does not parse is the provider's failure, reported as such.
      const { origin, path } = (this.#target ??= targetOf(this.#url));
      const text = JSON.stringify(body);
      const sign = this.options.sign;
      const headers = sign ? { ...this.#headers, ...sign({ method: "POST", path, body: text }) } : this.#headers;
      response = await agent.request({ origin, path, method: "POST", headers, body: text, ...(signal ? { signal } : {}) });
    } catch (error) {
      throw fromSdkError(this.options.provider, error);
    }
    if (response.statusCode >= 200 && response.statusCode < 300) return response;
    throw await this.#failure(response);
  }

  /**
   * A non-streamed answer, parsed and checked against `schema`; `plain`, when given, accepts the
   * common shapes `schema` would accept unchanged without running it (as for {@link stream}).
   */
  async create<S extends z.ZodType>(body: unknown, schema: S, signal?: AbortSignal, plain?: (value: unknown) => value is z.output<S>): Promise<z.output<S>> {
    const response = await this.#post(body, signal);
    let text: string;
    try {
      text = await response.body.text();
    } catch (error) {
      throw this.#readFailure(error);
    }
    const value = parseJson(this.options.provider, text);
    if (plain?.(value)) return value;
    // A 200 whose body is an error object (some proxies answer so) is the upstream's failure in its own words.
    const reported = typeof value === "object" && value !== null && "error" in value ? errorBodySchema.safeParse(value) : undefined;
    if (reported?.success) {
      const provider = this.options.provider;
      throw new WrenError("upstream_error", `${provider} reported an error: ${firstLine(messageOf(reported.data.error))}`, {
        hint: `${provider} failed while answering; retry later or add a fallback target.`,
        isRetryable: true,
      });
    }
    return this.#check(schema, value);
  }

  /**
   * A streamed answer: each event's data parsed and checked against `schema`, up to `[DONE]`.
   * `plain`, when given, accepts the common shapes `schema` would accept unchanged without running
   * it (a cheaper check per chunk); what it declines goes through `schema`. `finished`, when given,
   * says which chunk completes an answer (its finish reason): a stream that ends with neither such
   * a chunk nor `[DONE]` was cut short, and fails as a malformed response instead of ending as if
   * the answer were whole.
   */
  async stream<S extends z.ZodType>(
    body: unknown,
    schema: S,
    signal?: AbortSignal,
    plain?: (value: unknown) => value is z.output<S>,
    finished?: (chunk: z.output<S>) => boolean,
  ): Promise<AsyncIterable<z.output<S>>> {
    const response = await this.#post(body, signal);
    // Checked once per response: a JSON body or an HTML page holds no events, and read as a stream
    // it would end cleanly with nothing in it, an empty answer that looks like a success.
    const type = response.headers["content-type"];
    if (type !== undefined && !String(type).toLowerCase().includes("text/event-stream")) {
      // undici's body, destroyed before its end, emits an abort error: nobody reads it any more.
      if (!response.body.destroyed) response.body.on("error", () => undefined).destroy();
      throw malformedResponse(this.options.provider, `a streamed answer came as ${String(type)}, not as an event stream (text/event-stream).`);
    }
    return this.#events(response, schema, plain, finished);
  }

  async *#events<S extends z.ZodType>(
    response: Dispatcher.ResponseData,
    schema: S,
    plain: ((value: unknown) => value is z.output<S>) | undefined,
    finished: ((chunk: z.output<S>) => boolean) | undefined,
  ): AsyncGenerator<z.output<S>> {
    const provider = this.options.provider;
    const chunkOf = (data: string): z.output<S> => {
      const value = parseJson(provider, data);
      // Checked only when there is an `error` key: a failed parse of every ordinary chunk would build an issue list each time.
      const reported = typeof value === "object" && value !== null && "error" in value ? errorBodySchema.safeParse(value) : undefined;
      if (reported?.success) {
        throw new WrenError("upstream_error", `${provider} reported an error mid-stream: ${messageOf(reported.data.error)}`, {
          hint: `${provider} failed while answering; retry later or add a fallback target.`,
          isRetryable: true,
        });
      }
      return plain?.(value) ? value : this.#check(schema, value);
    };
    // Events are parsed as each chunk arrives, in this loop: no asynchronous layer of their own.
    const reader = new SseDataReader();
    let chunks = 0;
    let complete = finished === undefined;
    try {
      // Past `[DONE]` the body is still read to its end (the reader returns nothing more): a response
      // left half-read would cost its kept-alive connection.
      for await (const bytes of response.body as AsyncIterable<Uint8Array>) {
        for (const data of reader.feed(bytes)) {
          chunks++;
          const chunk = chunkOf(data);
          if (!complete) complete = finished!(chunk);
          yield chunk;
        }
      }
      for (const data of reader.end()) {
        chunks++;
        const chunk = chunkOf(data);
        if (!complete) complete = finished!(chunk);
        yield chunk;
      }
      // Every OpenAI-compatible server sends at least the chunk with the finish reason; `[DONE]` is
      // not required (older llama.cpp servers end without it), but one of the two is.
      if (chunks === 0) throw malformedResponse(provider, "the event stream ended without any chunk.");
      if (!complete && !reader.done) throw malformedResponse(provider, "the event stream ended before the answer finished (no finish reason, no `[DONE]`).");
    } catch (error) {
      throw this.#readFailure(error);
    } finally {
      // Stopped early (a cancel, a failed chunk): the connection must not stay half-read.
      // undici's body, destroyed before its end, emits an abort error: nobody reads it any more.
      if (!response.body.destroyed) response.body.on("error", () => undefined).destroy();
    }
  }

  #check<S extends z.ZodType>(schema: S, value: unknown): z.output<S> {
    const result = schema.safeParse(value);
    if (result.success) return result.data;
    const issue = result.error.issues[0];
    throw malformedResponse(this.options.provider, issue ? `${issue.path.join(".") || "the body"}: ${issue.message}` : "unexpected shape");
  }

  /** Why reading an answer failed: past the answer's bound (undici stopped reading) said as such, else as the SDKs' failures are. */
  #readFailure(error: unknown): WrenError {
    const provider = this.options.provider;
    if ((error as { code?: unknown } | null)?.code !== "UND_ERR_RES_EXCEEDED_MAX_SIZE") return fromSdkError(provider, error);
    return answerTooLarge(provider, this.options.maxAnswerBytes ?? MAX_ANSWER_BYTES, error);
  }

  /** The WrenError for a non-2xx response: its status, `retry-after` and the message of its body. */
  async #failure(response: Dispatcher.ResponseData): Promise<WrenError> {
    let text = "";
    try {
      for await (const chunk of response.body as AsyncIterable<Buffer>) {
        text += chunk.toString("utf8");
        if (text.length >= ERROR_BODY_BYTES) break;
      }
    } catch {
      // The status says enough; a body that could not be read adds nothing.
    } finally {
      // undici's body, destroyed before its end, emits an abort error: nobody reads it any more.
      if (!response.body.destroyed) response.body.on("error", () => undefined).destroy();
    }
    let message = text.trim() || `status ${response.statusCode}`;
    let code: string | undefined;
    try {
      const parsed = errorBodySchema.safeParse(JSON.parse(text));
      if (parsed.success) {
        message = messageOf(parsed.data.error);
        const given = typeof parsed.data.error === "string" ? undefined : parsed.data.error["code"];
        if (typeof given === "string") code = given;
      }
    } catch {
      // Not JSON (a proxy's HTML page): its text is the message.
    }
    const retryAfter = response.headers["retry-after"];
    return upstreamError(this.options.provider, {
      status: response.statusCode,
      retryAfter: typeof retryAfter === "string" ? retryAfter : null,
      message: firstLine(message),
      code,
    });
  }
}

function targetOf(url: string): { origin: string; path: string } {
  const parsed = new URL(url);
  return { origin: parsed.origin, path: `${parsed.pathname}${parsed.search}` };
}

function messageOf(error: z.infer<typeof errorBodySchema>["error"]): string {
  return typeof error === "string" ? error : (error.message ?? (error.type ? `${error.type}` : "unknown error"));
}


function parseJson(provider: string, text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw malformedResponse(provider, (error as Error).message);
  }
}
