import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

/** A loopback HTTP proxy that lets nothing through and notes who tried. */
export interface OutboundTrap extends AsyncDisposable {
  /** Give it to a client as HTTP_PROXY / HTTPS_PROXY. */
  url: string;
  /** Hosts (`host:port` for HTTPS tunnels, URLs for plain HTTP) a client tried to reach. */
  readonly attempts: string[];
  close(): Promise<void>;
}

/**
 * The agent CLIs are told to send nothing but model requests; this proxy shows whether they do.
 * Every proxy-aware client routes its other traffic here (loopback is in NO_PROXY), and each attempt
 * is refused with 403, so nothing leaves the machine even where the switches miss something.
 */
export async function startOutboundTrap(): Promise<OutboundTrap> {
  const attempts: string[] = [];
  const server = createServer((req, res) => {
    attempts.push(req.url ?? "?");
    res.writeHead(403, { "content-type": "text/plain", connection: "close" }).end("wren's test suite: no network beyond loopback");
  });
  server.on("connect", (req, socket) => {
    attempts.push(req.url ?? "?");
    // Clients drop a refused tunnel abruptly; a reset here is expected, not a failure of the test.
    socket.on("error", () => {});
    socket.end("HTTP/1.1 403 Forbidden\r\nconnection: close\r\n\r\n");
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
