import { createServer, request as httpRequest } from "node:http";
import { connect, type AddressInfo } from "node:net";

/** A loopback HTTP proxy that lets only loopback through and notes who tried to go further. */
export interface OutboundTrap extends AsyncDisposable {
  /** Give it to a client as HTTP_PROXY / HTTPS_PROXY. */
  url: string;
  /** Hosts (`host:port` for HTTPS tunnels, URLs for plain HTTP) a client tried to reach beyond loopback. */
  readonly attempts: string[];
  close(): Promise<void>;
}

const loopbackHosts = new Set(["127.0.0.1", "localhost", "::1", "[::1]"]);

/**
 * The agent CLIs are told to send nothing but model requests; this proxy shows whether they do.
 * Every proxy-aware client routes its traffic here: requests to loopback (wren, for clients that
 * ignore NO_PROXY) are passed on, and every other attempt is noted and refused with 403, so nothing
 * leaves the machine even where the switches miss something.
 */
export async function startOutboundTrap(): Promise<OutboundTrap> {
  const attempts: string[] = [];
  const server = createServer((req, res) => {
    req.on("error", () => {});
    res.on("error", () => {});
    let target: URL | undefined;
    try {
      target = new URL(req.url ?? "");
    } catch {
      target = undefined;
    }
    if (!target || !loopbackHosts.has(target.hostname)) {
      attempts.push(req.url ?? "?");
      res.writeHead(403, { "content-type": "text/plain", connection: "close" }).end("wren's test suite: no network beyond loopback");
      return;
    }
    const out = httpRequest({ host: target.hostname, port: target.port, method: req.method, path: target.pathname + target.search, headers: req.headers }, (answer) => {
      answer.on("error", () => res.destroy());
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    out.on("error", () => res.destroy());
    res.on("close", () => out.destroy());
    req.pipe(out);
  });
  server.on("connect", (req, socket, head) => {
    // Clients drop a refused tunnel abruptly; a reset here is expected, not a failure of the test.
    socket.on("error", () => {});
    const [host = "", port = ""] = (req.url ?? "").split(/:(?=\d+$)/);
    if (!loopbackHosts.has(host)) {
      attempts.push(req.url ?? "?");
      socket.end("HTTP/1.1 403 Forbidden\r\nconnection: close\r\n\r\n");
      return;
    }
    const upstream = connect(Number(port), host.replace(/^\[|\]$/g, ""), () => {
      socket.write("HTTP/1.1 200 Connection Established\r\n\r\n");
      upstream.write(head);
      upstream.pipe(socket);
      socket.pipe(upstream);
    });
    upstream.on("error", () => socket.destroy());
    socket.on("close", () => upstream.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  const close = async (): Promise<void> => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
  return { url: `http://127.0.0.1:${port}`, attempts, close, [Symbol.asyncDispose]: close };
}

/** The environment that sends a client's non-loopback traffic to the trap. */
export function trapEnv(trap: OutboundTrap): Record<string, string> {
  const loopback = "127.0.0.1,localhost,::1";
  return { HTTP_PROXY: trap.url, HTTPS_PROXY: trap.url, http_proxy: trap.url, https_proxy: trap.url, NO_PROXY: loopback, no_proxy: loopback };
}
