import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** One scripted answer of the teacher. */
export type TeacherReply =
  /** `tokensPerSecond`: streamed a word at a time at that pace (as a model generates), instead of in one chunk. */
  | ({ text: string; tokensPerSecond?: number } & ReplyUsage)
  | ({ toolCalls: Array<{ name: string; arguments: unknown; id?: string }>; text?: string } & ReplyUsage)
  /**
   * Send the headers and the first chunk (and `text`, when given), then nothing until the server
   * closes (for cancel and kill tests, and for a screen caught mid-answer).
   */
  | { hang: true; text?: string };

/** `usage`: the answer's OpenAI `usage` object as sent (cache counts and all), instead of one counted from the prompt. */
interface ReplyUsage {
  usage?: Record<string, unknown>;
}

/** The next reply for a request: a fixed list in order, or a function of the request. */
export type TeacherScript = TeacherReply[] | ((body: ChatBody, index: number) => TeacherReply);

/** What the teacher received: the OpenAI chat body as sent. */
export interface ChatBody {
  model: string;
  messages: Array<{ role: string; content?: unknown; tool_calls?: Array<{ id: string; function: { name: string; arguments: string } }>; tool_call_id?: string }>;
  tools?: Array<{ type: string; function: { name: string; description?: string; parameters?: unknown; strict?: boolean } }>;
  stream?: boolean;
  [key: string]: unknown;
}

export interface ScriptedTeacher extends AsyncDisposable {
  /** Base URL with `/v1`, as the OpenAI provider's `baseURL` wants it. */
  readonly url: string;
  /** Chat requests received, in order. */
  readonly requests: ChatBody[];
  /** Resolves when `n` chat requests have arrived. */
  waitForRequests(n: number): Promise<void>;
  /** Resolves when the clients of `n` hanging replies have gone away (closed or aborted the request). */
  waitForHangUps(n: number): Promise<void>;
  close(): Promise<void>;
}

const usageOf = (body: ChatBody) => {
  const prompt = Math.ceil(JSON.stringify(body.messages).length / 4);
  return { prompt_tokens: prompt, completion_tokens: 7, total_tokens: prompt + 7 };
};

/**
 * A local server speaking OpenAI's chat completions wire format (streamed SSE chunks and plain
 * JSON, exactly as api.openai.com sends them), whose answers, tool calls included, follow a script.
 */
export async function startScriptedTeacher(script: TeacherScript): Promise<ScriptedTeacher> {
  const requests: ChatBody[] = [];
  const waiters: Array<{ n: number; resolve: () => void }> = [];
  const hanging = new Set<ServerResponse>();
  let hangUps = 0;
  const hangUpWaiters: Array<{ n: number; resolve: () => void }> = [];

  const nextReply = (body: ChatBody): TeacherReply | undefined => {
    const index = requests.length - 1;
    return typeof script === "function" ? script(body, index) : script[index];
  };

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const url = new URL(req.url ?? "/", "http://localhost");
    if (req.method !== "POST" || !url.pathname.endsWith("/chat/completions")) {
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ object: "list", data: [] }));
      return;
    }
    const body = JSON.parse(Buffer.concat(chunks).toString("utf8")) as ChatBody;
    requests.push(body);
    for (const w of waiters.filter((w) => requests.length >= w.n)) {
      waiters.splice(waiters.indexOf(w), 1);
      w.resolve();
    }
    const reply = nextReply(body);
    if (!reply) {
      res.writeHead(500, { "content-type": "application/json" });
      res.end(JSON.stringify({ error: { message: `the script has no reply #${requests.length}`, type: "server_error", param: null, code: null } }));
      return;
    }
    const id = `chatcmpl-scripted${requests.length}`;
    const base = { id, object: "chat.completion.chunk", created: 1732140000, model: body.model, system_fingerprint: "fp_scripted" };
    const calls = "toolCalls" in reply ? reply.toolCalls.map((c, i) => ({ id: c.id ?? `call_${requests.length}_${i}`, type: "function" as const, function: { name: c.name, arguments: JSON.stringify(c.arguments) } })) : [];
    const text = reply.text ?? "";
    const finish = calls.length > 0 ? "tool_calls" : "stop";
    const usage = ("usage" in reply ? reply.usage : undefined) ?? usageOf(body);

    if (!body.stream) {
      res.writeHead(200, { "content-type": "application/json" });
      const message = { role: "assistant", content: text || null, ...(calls.length ? { tool_calls: calls } : {}), refusal: null };
      res.end(JSON.stringify({ id, object: "chat.completion", created: 1732140000, model: body.model, choices: [{ index: 0, message, logprobs: null, finish_reason: finish }], usage }));
      return;
    }
    res.writeHead(200, { "content-type": "text/event-stream" });
    const send = (chunk: object): void => void res.write(`data: ${JSON.stringify({ ...base, ...chunk })}\n\n`);
    send({ choices: [{ index: 0, delta: { role: "assistant", content: "", refusal: null }, logprobs: null, finish_reason: null }], usage: null });
    if ("hang" in reply) {
      if (text) send({ choices: [{ index: 0, delta: { content: text }, logprobs: null, finish_reason: null }], usage: null });
      hanging.add(res);
      res.on("close", () => {
        hanging.delete(res);
        hangUps++;
        for (const w of hangUpWaiters.filter((w) => hangUps >= w.n)) {
          hangUpWaiters.splice(hangUpWaiters.indexOf(w), 1);
          w.resolve();
        }
      });
      return;
    }
    const pace = "tokensPerSecond" in reply ? reply.tokensPerSecond : undefined;
    if (text && pace) {
      // Each word with the space before it is one token, sent on a fixed schedule from the start.
      const words = text.match(/\s*\S+|\s+$/g) ?? [];
      const started = performance.now();
      for (const [i, word] of words.entries()) {
        const due = started + (i * 1000) / pace;
        await new Promise((resolve) => setTimeout(resolve, Math.max(0, due - performance.now())));
        if (res.destroyed) return;
        send({ choices: [{ index: 0, delta: { content: word }, logprobs: null, finish_reason: null }], usage: null });
      }
    } else if (text) send({ choices: [{ index: 0, delta: { content: text }, logprobs: null, finish_reason: null }], usage: null });
    calls.forEach((call, index) => {
      send({ choices: [{ index: 0, delta: { tool_calls: [{ index, id: call.id, type: "function", function: { name: call.function.name, arguments: "" } }] }, logprobs: null, finish_reason: null }], usage: null });
      send({ choices: [{ index: 0, delta: { tool_calls: [{ index, function: { arguments: call.function.arguments } }] }, logprobs: null, finish_reason: null }], usage: null });
    });
    send({ choices: [{ index: 0, delta: {}, logprobs: null, finish_reason: finish }], usage: null });
    const streamOptions = body["stream_options"] as { include_usage?: boolean } | undefined;
    if (streamOptions?.include_usage) send({ choices: [], usage });
    res.end("data: [DONE]\n\n");
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(500);
      res.end(String(error));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  const close = async (): Promise<void> => {
    for (const res of hanging) res.destroy();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
  return {
    url: `http://127.0.0.1:${port}/v1`,
    requests,
    waitForRequests: (n) => (requests.length >= n ? Promise.resolve() : new Promise<void>((resolve) => waiters.push({ n, resolve }))),
    waitForHangUps: (n) => (hangUps >= n ? Promise.resolve() : new Promise<void>((resolve) => hangUpWaiters.push({ n, resolve }))),
    close,
    [Symbol.asyncDispose]: close,
  };
}
