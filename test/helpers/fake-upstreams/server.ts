import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { dialect, loadRecordings, type DialectName, type Recordings } from "./dialects.js";

/** What the next request(s) should suffer. */
export type Fault =
  /** Answer with this HTTP status and the dialect's error body. */
  | { kind: "status"; status: number; retryAfter?: number }
  /** Answer with this HTTP status and this JSON body, as given (an error body in the provider's exact shape). */
  | { kind: "body"; status: number; body: unknown; headers?: Record<string, string> }
  /** Send the response headers, then nothing for `ms` (default: until the client gives up). */
  | { kind: "stall"; ms?: number }
  /** Send `afterEvents` events (a non-streamed answer: half its body), then destroy the connection. */
  | { kind: "cut"; afterEvents: number }
  /**
   * Send `afterEvents` events, then end the response cleanly: no finish event, no trailer (a proxy
   * or server that closes the answer early). A non-streamed answer is whole, so this is for streams.
   */
  | { kind: "truncated"; afterEvents: number }
  /** Send `afterEvents` events, then nothing more until the client goes away (an answer stopped mid-way). */
  | { kind: "pause"; afterEvents: number }
  /**
   * Send `afterEvents` events, then only keep-alives (the dialect's ping), one every `everyMs`
   * (default 20), until the client goes away: an upstream alive on the wire that never answers.
   */
  | { kind: "pings"; afterEvents: number; everyMs?: number }
  /** Send `afterEvents` events, then an overload as the provider reports one inside a stream, and end. */
  | { kind: "overload-event"; afterEvents: number }
  /** Send `afterEvents` events, then a frame that is not valid JSON, then the rest. */
  | { kind: "malformed"; afterEvents: number }
  /**
   * Send the first event (a non-streamed answer: the start of its body), then one line that never
   * ends, until the client lets go (at most 256 MiB): a server gone wrong.
   */
  | { kind: "endless" }
  /** Answer 200 with `content-type: application/json` and JSON cut short, streamed or not: not the wire format at all. */
  | { kind: "not-a-stream" }
  /** Answer 200 in the dialect's own framing (events, lines or one body) with `{"hello":"world"}`: well formed, the wrong shape. */
  | { kind: "wrong-shape" };

export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingMessage["headers"];
  body: Record<string, unknown>;
}

export interface FakeUpstream extends AsyncDisposable {
  readonly dialect: DialectName;
  /** Base URL, e.g. `http://127.0.0.1:41234`. */
  readonly url: string;
  /** Every request received, in order. */
  readonly requests: RecordedRequest[];
  /** Chat requests received (health probes excluded). */
  readonly chatCount: number;
  /** Chat answers still being written. */
  readonly inFlight: number;
  /** Queue a fault for the next `times` chat requests. */
  fail(fault: Fault, times?: number): void;
  /** Drops the faults no request has taken yet and says how many there were (a test that shares the server checks it left none). */
  clearFaults(): number;
  close(): Promise<void>;
}

export interface FakeUpstreamOptions {
  /** The answers, or a function of each chat request's body giving them (a stand-in that honours what is asked). */
  recordings?: Recordings | ((body: Record<string, unknown>) => Recordings);
  /** Pause between streamed events, in ms. Default 0. */
  eventDelayMs?: number;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * A local HTTP server speaking one provider's exact wire format, answering from recorded responses:
 * the tool-call recording when the request offers tools, the text one otherwise.
 */
export async function startFakeUpstream(name: DialectName, options: FakeUpstreamOptions = {}): Promise<FakeUpstream> {
  const d = dialect(name);
  const answers = options.recordings ?? loadRecordings(name);
  const requests: RecordedRequest[] = [];
  const faults: Fault[] = [];
  let chatCount = 0;
  let inFlight = 0;

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString("utf8");
    const body = (text ? JSON.parse(text) : {}) as Record<string, unknown>;
    const url = new URL(req.url ?? "/", "http://localhost");
    requests.push({ method: req.method ?? "GET", path: url.pathname + url.search, headers: req.headers, body });

    if (req.method !== "POST" || !d.isChatPath(url.pathname)) {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify(name === "ollama" ? { models: [] } : { object: "list", data: [], models: [] }));
      return;
    }
    chatCount++;
    const stream = d.isStream(url, body);
    const recordings = typeof answers === "function" ? answers(body) : answers;
    const recording = Array.isArray(body["tools"]) && body["tools"].length > 0 ? recordings.tool : recordings.text;
    const fault = faults.shift();

    if (fault?.kind === "status") {
      const headers: Record<string, string> = { "content-type": "application/json" };
      if (fault.retryAfter !== undefined) headers["retry-after"] = String(fault.retryAfter);
      res.writeHead(fault.status, headers);
      res.end(JSON.stringify(d.errorBody(fault.status, `injected HTTP ${fault.status}`)));
      return;
    }
    if (fault?.kind === "body") {
      res.writeHead(fault.status, { "content-type": "application/json", ...fault.headers });
      res.end(JSON.stringify(fault.body));
      return;
    }
    if (fault?.kind === "not-a-stream") {
      res.writeHead(200, { "content-type": "application/json" });
      res.end('{"id":"x","choices":[ {oops');
      return;
    }
    res.writeHead(200, { "content-type": d.contentType(stream) });
    if (fault?.kind === "wrong-shape") {
      res.end(stream ? `${d.frame({ hello: "world" })}${d.trailer}` : JSON.stringify({ hello: "world" }));
      return;
    }
    res.flushHeaders();
    if (fault?.kind === "stall") {
      await sleep(fault.ms ?? 3_600_000);
      if (res.destroyed) return;
    }
    if (fault?.kind === "endless") {
      const first = recording.stream[0];
      const line = name === "ollama" ? '{"padding":"' : 'data: {"padding":"';
      await endless(res, stream ? `${first === undefined ? "" : d.frame(first)}${line}` : '{"id":"');
      return;
    }
    if (!stream) {
      const whole = JSON.stringify(recording.body);
      if (fault?.kind === "cut") {
        // Half the body reaches the client, then the connection drops: an answer that never completes.
        await new Promise<void>((resolve) => res.write(whole.slice(0, whole.length >> 1), () => resolve()));
        await sleep(50);
        res.destroy();
        return;
      }
      res.end(whole);
      return;
    }
    for (const [index, event] of recording.stream.entries()) {
      if (fault?.kind === "cut" && index === fault.afterEvents) {
        // Let what was written reach the client first, so the cut lands after partial output.
        await new Promise<void>((resolve) => res.write("", () => resolve()));
        await sleep(50);
        res.destroy();
        return;
      }
      if (fault?.kind === "pause" && index === fault.afterEvents) {
        if (!res.destroyed) await new Promise<void>((resolve) => res.once("close", resolve));
        return;
      }
      if (fault?.kind === "pings" && index === fault.afterEvents) {
        await pings(res, d.ping, fault.everyMs ?? 20);
        return;
      }
      if (fault?.kind === "overload-event" && index === fault.afterEvents) {
        if (index > 0) {
          await new Promise<void>((resolve) => res.write("", () => resolve()));
          await sleep(50);
        }
        res.end(d.overloadEvent("The model is overloaded."));
        return;
      }
      if (fault?.kind === "truncated" && index === fault.afterEvents) {
        res.end();
        return;
      }
      if (fault?.kind === "malformed" && index === fault.afterEvents) {
        if (index > 0) {
          await new Promise<void>((resolve) => res.write("", () => resolve()));
          await sleep(50);
        }
        res.write(d.malformed);
      }
      res.write(d.frame(event));
      if (options.eventDelayMs) await sleep(options.eventDelayMs);
    }
    res.end(d.trailer);
  }

  const server = createServer((req, res) => {
    inFlight++;
    res.once("close", () => inFlight--);
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(500);
      res.end(String(error));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;

  const close = async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
  return {
    dialect: name,
    url: `http://127.0.0.1:${port}`,
    requests,
    get chatCount() {
      return chatCount;
    },
    get inFlight() {
      return inFlight;
    },
    fail(fault, times = 1) {
      for (let i = 0; i < times; i++) faults.push(fault);
    },
    clearFaults() {
      return faults.splice(0).length;
    },
    close,
    [Symbol.asyncDispose]: close,
  };
}

/** Writes `ping` every `everyMs` until the client lets go. */
async function pings(res: ServerResponse, ping: string, everyMs: number): Promise<void> {
  while (!res.destroyed && !res.writableEnded) {
    res.write(ping);
    await sleep(everyMs);
  }
}

/** Writes `start`, then the same bytes over and over, until the client lets go or 256 MiB went. */
async function endless(res: ServerResponse, start: string): Promise<void> {
  const chunk = Buffer.alloc(64 * 1024, "a");
  let sent = 0;
  let gone = false;
  res.once("close", () => (gone = true));
  res.write(start);
  while (!gone && sent < 256 * 1024 * 1024) {
    sent += chunk.length;
    if (!res.write(chunk)) await drainedOrClosed(res);
  }
  res.destroy();
}

/** Resolves when `res` drains or closes, leaving no listener behind (one per wait added up past Node's warning). */
function drainedOrClosed(res: ServerResponse): Promise<void> {
  return new Promise<void>((resolve) => {
    const done = (): void => {
      res.off("drain", done);
      res.off("close", done);
      resolve();
    };
    res.on("drain", done);
    res.on("close", done);
  });
}

/** A loopback URL where nothing listens: connecting is refused. */
export async function refusedUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}
