import http from "node:http";

/** One HTTP exchange as the fuzzer saw it. */
export interface HttpOutcome {
  status: number;
  headers: http.IncomingHttpHeaders;
  /** The body (its first and last 2 MiB when longer). */
  body: string;
  /** True when the body stopped before its end: the fuzzer left on purpose, or the connection broke after the status line. */
  disconnected: boolean;
}

export interface HttpSend {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string | Buffer;
  /** Close the connection as soon as the first bytes of the body arrive (a client leaving mid-stream). */
  disconnect?: boolean;
}

const KEEP = 2 * 1024 * 1024;

// A fresh connection per request: a reused keep-alive socket that the server has just timed out
// would fail with ECONNRESET for reasons that have nothing to do with the request.
const agent = new http.Agent({ keepAlive: false, maxSockets: Infinity });

/** Sends one request and reads the whole answer; rejects when none comes within `timeoutMs`. */
export function sendHttp(base: URL, send: HttpSend, timeoutMs: number): Promise<HttpOutcome> {
  return new Promise((resolve, reject) => {
    let answered: (() => void) | undefined;
    const req = http.request(
      {
        host: base.hostname,
        port: base.port,
        method: send.method,
        path: send.path,
        // Node frames a body without either header for OPTIONS and DELETE, which the server would
        // rightly read as the start of a second request: say the length.
        headers: send.body === undefined ? send.headers : { ...send.headers, "content-length": String(Buffer.byteLength(send.body)) },
        agent,
      },
      (res) => {
        let head = "";
        let tail = "";
        let length = 0;
        const finish = (disconnected: boolean): void => {
          clearTimeout(timer);
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: length > 2 * KEEP ? `${head}\n…\n${tail}` : head + tail, disconnected });
        };
        // The server may answer (413) and close before it has read all we send: the answer counts.
        answered = () => finish(true);
        res.setEncoding("utf8");
        res.on("data", (chunk: string) => {
          length += chunk.length;
          if (head.length < KEEP) head += chunk;
          else tail = (tail + chunk).slice(-KEEP);
          if (send.disconnect) {
            req.destroy();
            finish(true);
          }
        });
        res.on("end", () => finish(false));
        res.on("error", () => finish(true));
      },
    );
    const timer = setTimeout(() => {
      req.destroy();
      reject(new Error(`no complete answer within ${timeoutMs} ms`));
    }, timeoutMs);
    req.on("error", (error) => {
      clearTimeout(timer);
      if (answered) answered();
      else reject(error);
    });
    req.end(send.body);
  });
}
