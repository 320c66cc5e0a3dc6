import { createServer, type Server } from "node:http";
import { connect, type AddressInfo, type Socket } from "node:net";

/** An HTTP proxy on loopback, as a company's: tunnels (CONNECT) to the hosts it knows, records each. */
export interface ConnectProxy extends AsyncDisposable {
  /** `http://127.0.0.1:PORT` (with `user:password@` when it asks for them). */
  readonly url: string;
  /** Each CONNECT target (`host:port`) and its Proxy-Authorization header, in order. */
  readonly tunnels: Array<{ target: string; authorization: string | undefined }>;
  close(): Promise<void>;
}

/**
 * Starts a CONNECT proxy. `hosts` maps a host name only the proxy can reach (`teacher.internal`)
 * to the loopback port behind it, as a proxy resolves names the machine cannot; any other name is
 * refused with 502. With `credentials` (`user:password`) a tunnel without them gets 407.
 */
export async function startConnectProxy(hosts: Record<string, number>, credentials?: string): Promise<ConnectProxy> {
  const tunnels: ConnectProxy["tunnels"] = [];
  const sockets = new Set<Socket>();
  const server: Server = createServer((_req, res) => res.writeHead(405).end());
  server.on("connect", (req, client: Socket) => {
    sockets.add(client);
    client.on("close", () => sockets.delete(client));
    const target = req.url ?? "";
    const authorization = req.headers["proxy-authorization"];
    tunnels.push({ target, authorization });
    if (credentials !== undefined && authorization !== `Basic ${Buffer.from(credentials).toString("base64")}`) {
      client.end('HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm="corp"\r\n\r\n');
      return;
    }
    const [host, port] = [target.slice(0, target.lastIndexOf(":")), target.slice(target.lastIndexOf(":") + 1)];
    const behind = hosts[host];
    if (behind === undefined || port === "") {
      client.end("HTTP/1.1 502 Bad Gateway\r\n\r\n");
      return;
    }
    const upstream = connect(behind, "127.0.0.1", () => {
      client.write("HTTP/1.1 200 Connection Established\r\n\r\n");
      upstream.pipe(client);
      client.pipe(upstream);
    });
    sockets.add(upstream);
    upstream.on("close", () => sockets.delete(upstream));
    upstream.on("error", () => client.destroy());
    client.on("error", () => upstream.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  const close = async (): Promise<void> => {
    for (const socket of sockets) socket.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
  return { url: `http://${credentials === undefined ? "" : `${credentials}@`}127.0.0.1:${port}`, tunnels, close, [Symbol.asyncDispose]: close };
}
