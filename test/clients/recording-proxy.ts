import { createServer, request as httpRequest, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";

/** One request a client sent, as it arrived. */
export interface CapturedRequest {
  method: string;
  /** Path and query, e.g. `/v1beta/models/m:streamGenerateContent?alt=sse`. */
  path: string;
  headers: IncomingHttpHeaders;
  /** The parsed JSON body; undefined when there was none or it was not JSON. */
  body: unknown;
  /** The status wren answered with. */
  status?: number;
}

/** A loopback proxy in front of wren that keeps every request it forwards. */
export interface RecordingProxy extends AsyncDisposable {
  url: string;
  readonly requests: CapturedRequest[];
  close(): Promise<void>;
}

/**
 * Forwards every request to `target` unchanged (streams included) and records it, so a test can say
 * which endpoints an agent CLI used and the capture script can keep what it sent as a fixture.
 */
export async function startRecordingProxy(target: string): Promise<RecordingProxy> {
  const upstream = new URL(target);
  const requests: CapturedRequest[] = [];
  const server = createServer((req, res) => {
    // A client that gives up mid-request resets its socket: that shows in `status`, not as a crash.
    req.on("error", () => {});
    res.on("error", () => {});
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const raw = Buffer.concat(chunks);
      let body: unknown;
      try {
        body = raw.length ? JSON.parse(raw.toString("utf8")) : undefined;
      } catch {
        body = undefined;
      }
      const captured: CapturedRequest = { method: req.method ?? "GET", path: req.url ?? "/", headers: req.headers, body };
      requests.push(captured);
      const out = httpRequest(
        { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: { ...req.headers, host: upstream.host } },
        (answer) => {
          captured.status = answer.statusCode;
          answer.on("error", () => res.destroy());
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
        },
      );
      out.on("error", (error) => {
        if (!res.headersSent) res.writeHead(502, { "content-type": "text/plain" });
        res.end(`recording proxy: ${error.message}`);
      });
      res.on("close", () => out.destroy());
      out.end(raw);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  const close = async (): Promise<void> => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
  return { url: `http://127.0.0.1:${port}`, requests, close, [Symbol.asyncDispose]: close };
}
