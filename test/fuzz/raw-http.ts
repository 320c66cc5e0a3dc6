import fc from "fast-check";
import net from "node:net";
import { oddString } from "./strings.js";

/**
 * Bytes sent over a plain socket. `await`: a complete (if malformed) request, so the server must
 * answer or close. `close`: a partial request the fuzzer abandons (truncated bodies, slowloris).
 */
export interface RawCase {
  label: string;
  writes: string[];
  /** Bytes of JSON string content to send after `writes` (made when sent, so cases stay small). */
  fill?: number;
  then: "await" | "close";
}

const json = '{"model":"fuzz","messages":[{"role":"user","content":"Hi"}],"max_tokens":2}';
const post = (path: string, headers: string, body: string): string => `POST ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n${headers}\r\n${body}`;
const latin1 = (s: string): string => s.replace(/[^\x20-\x7e\x80-\xff]/g, "?");
const chunked = (body: string): string => `${body.length.toString(16)}\r\n${body}\r\n0\r\n\r\n`;

const rawCases: fc.Arbitrary<RawCase> = fc.oneof<Array<fc.Arbitrary<RawCase>>>(
  // Not blank: the parser rightly skips empty lines before a request line and waits for one.
  oddString.filter((s) => latin1(s).trim().length > 0).map((s) => ({ label: "garbage request line", writes: [`${latin1(s)}\r\n\r\n`], then: "await" as const })),
  fc.constantFrom("FOO", "GET\u0000", "G ET", "PRI * HTTP/2.0\r\n\r\nSM", "get").map((m) => ({ label: "bad method", writes: [`${m} /health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`], then: "await" as const })),
  fc.constantFrom("HTTP/9.9", "HTTP/1", "HTTPS/1.1", "", "HTTP/1.1 extra").map((v) => ({ label: "bad version", writes: [`GET /health ${v}\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`], then: "await" as const })),
  fc.constantFrom("abc", "-1", "1, 2", "99999999999999999999", " 10", "0x10", "1e3").map((cl) => ({ label: `bad content-length ${cl}`, writes: [post("/v1/chat/completions", `Content-Length: ${cl}\r\n`, json)], then: "await" as const })),
  fc.constant({ label: "two content-lengths", writes: [post("/v1/chat/completions", `Content-Length: ${json.length}\r\nContent-Length: 3\r\n`, json)], then: "await" as const }),
  fc.constant({ label: "content-length and chunked", writes: [post("/v1/chat/completions", `Content-Length: ${json.length}\r\nTransfer-Encoding: chunked\r\n`, chunked(json))], then: "await" as const }),
  fc.constantFrom("zz\r\nabc\r\n0\r\n\r\n", "-1\r\n\r\n", "ffffffffffffffffff\r\nx\r\n", "3\r\nabcdef\r\n0\r\n\r\n", "3;ext=\u0001\r\nabc\r\n0\r\n\r\n").map((b) => ({ label: "bad chunk", writes: [post("/v1/chat/completions", "Transfer-Encoding: chunked\r\n", b)], then: "await" as const })),
  fc.constantFrom("/v1/chat/completions", "/v1/messages", "/api/chat", "/api/generate", "/v1/embeddings").map((p) => ({ label: `chunked body to ${p}`, writes: [post(p, "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n", chunked(json))], then: "await" as const })),
  fc.integer({ min: 1, max: json.length - 1 }).map((n) => ({ label: "truncated body, then closed", writes: [post("/v1/chat/completions", `Content-Length: ${json.length}\r\n`, json.slice(0, n))], then: "close" as const })),
  fc.integer({ min: 1, max: json.length - 1 }).map((n) => ({ label: "chunked body without its last chunk, then closed", writes: [post("/api/chat", "Transfer-Encoding: chunked\r\n", `${json.length.toString(16)}\r\n${json.slice(0, n)}`)], then: "close" as const })),
  fc.integer({ min: 1, max: 60 }).map((n) => {
    const head = post("/v1/chat/completions", `Content-Length: ${json.length}\r\n`, json);
    return { label: "slowloris: headers a few bytes at a time, then closed", writes: Array.from({ length: Math.min(n, 12) }, (_, i) => head.slice(i * 4, i * 4 + 4)), then: "close" as const };
  }),
  fc.integer({ min: 17_000, max: 80_000 }).map((n) => ({ label: "header over 16 KiB", writes: [`GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: ${"a".repeat(n)}\r\nConnection: close\r\n\r\n`], then: "await" as const })),
  fc.integer({ min: 17_000, max: 80_000 }).map((n) => ({ label: "URL over 16 KiB", writes: [`GET /v1/models/${"m".repeat(n)} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`], then: "await" as const })),
  fc.constantFrom("X-A: b\u0000c", "X-A b", "X-A: b\rX-B: c", " X-Folded: yes", "X-A:\u007f", ": empty-name", "Content-Type: application/json\r\n\tfolded").map((h) => ({ label: "malformed header line", writes: [`GET /ready HTTP/1.1\r\nHost: 127.0.0.1\r\n${h}\r\nConnection: close\r\n\r\n`], then: "await" as const })),
  fc.constant({ label: "pipelined requests then garbage", writes: [`GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\nGET /api/version HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n\u0000\u0001garbage\r\n\r\n`], then: "await" as const }),
  fc.constantFrom("GET /health HTTP/1.0\r\n\r\n", "GET http://evil.example/health HTTP/1.1\r\nHost: evil.example\r\nConnection: close\r\n\r\n", "GET /%zz%00/../../etc/passwd HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n", "OPTIONS * HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n", "GET /health\r\n\r\n").map((w) => ({ label: "odd request target", writes: [w], then: "await" as const })),
  fc.uint8Array({ minLength: 1, maxLength: 64 }).map((bytes) => ({ label: "invalid UTF-8 body", writes: [post("/v1/chat/completions", `Content-Type: application/json\r\nContent-Length: ${bytes.length}\r\n`, Buffer.from(bytes).toString("latin1"))], then: "await" as const })),
  fc.constantFrom("/v1/ws", "/health", "/v1/chat/completions").map((p) => ({ label: `bad WebSocket upgrade on ${p}`, writes: [`GET ${p} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: not-base64!\r\n\r\n`], then: "await" as const })),
  fc.constant({ label: "expect 100-continue", writes: [post("/v1/chat/completions", `Expect: 100-continue\r\nContent-Length: ${json.length}\r\n`, json)], then: "await" as const }),
);

/** One raw case. */
export const rawCase = rawCases;

const OVERSIZE = 17 * 1024 * 1024;

/**
 * A body over the 16 MiB limit. Over a plain socket, because the server may rightly answer 413 and
 * close while the rest is still being sent, which an HTTP client reports as a write error.
 */
export const oversize: fc.Arbitrary<RawCase> = fc.constantFrom("/v1/chat/completions", "/v1/messages", "/api/generate").map((path) => {
  const open = '{"model":"fuzz","prompt":"';
  return { label: `body over 16 MiB to ${path}`, writes: [post(path, `Content-Type: application/json\r\nContent-Length: ${open.length + OVERSIZE + 2}\r\n`, open)], fill: OVERSIZE, then: "await" as const };
});

/** What came back over the socket. */
export interface RawOutcome {
  /** Status codes of the responses received, in order. */
  statuses: number[];
  text: string;
  /** True when the server neither answered in full nor closed within the time allowed. */
  hung: boolean;
}

/** Writes the bytes (latin1, so every byte value can be sent), then waits for the server to close, or closes. */
export function sendRaw(base: URL, c: RawCase, timeoutMs: number): Promise<RawOutcome> {
  return new Promise((resolve) => {
    const socket = net.connect(Number(base.port), base.hostname);
    let text = "";
    let done = false;
    const finish = (hung: boolean): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.destroy();
      const statuses = [...text.matchAll(/(?:^|\r\n)HTTP\/1\.[01] (\d{3})/g)].map((m) => Number(m[1]));
      resolve({ statuses, text: text.slice(0, 2000), hung });
    };
    const timer = setTimeout(() => finish(c.then === "await"), timeoutMs);
    socket.setEncoding("latin1");
    socket.on("data", (d: string) => (text += d));
    socket.on("close", () => finish(false));
    socket.on("error", () => finish(false));
    socket.once("connect", () => {
      const writeAll = async (): Promise<void> => {
        const fill = c.fill ? ["lorem ipsum dolor sit amet ".repeat(Math.ceil(c.fill / 27)).slice(0, c.fill) + '"}'] : [];
        for (const w of [...c.writes, ...fill]) {
          if (socket.destroyed) return;
          await new Promise<void>((r) => socket.write(w, "latin1", () => r()));
        }
        if (c.then === "close") finish(false);
      };
      void writeAll();
    });
  });
}
