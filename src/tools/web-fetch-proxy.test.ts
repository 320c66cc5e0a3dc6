import type { LookupAddress } from "node:dns";
import http from "node:http";
import { isIP, type AddressInfo, type LookupFunction } from "node:net";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { startConnectProxy, type ConnectProxy } from "../../test/helpers/connect-proxy.js";
import { toolContext } from "../../test/helpers/tool-context.js";
import { runTool } from "./run-tool.js";
import { createWebFetchTool } from "./web-fetch.js";

// Behind a company's proxy: DNS here answers only for what it knows (a table); the proxy reaches
// the rest. A page that arrives went through the proxy.
let site: http.Server;
let proxy: ConnectProxy;
const answers: Record<string, string[]> = { "evil.example": ["10.1.2.3"] };
const lookup: LookupFunction = (hostname, options, callback) => {
  const list = answers[hostname];
  if (!list) return callback(Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: "ENOTFOUND" }), "", 0);
  const addresses: LookupAddress[] = list.map((address) => ({ address, family: isIP(address) }));
  if (options.all) return callback(null, addresses);
  callback(null, addresses[0]?.address ?? "", addresses[0]?.family ?? 4);
};
const saved = { HTTP_PROXY: process.env["HTTP_PROXY"], HTTPS_PROXY: process.env["HTTPS_PROXY"] };

beforeAll(async () => {
  site = http.createServer((_req, res) => res.writeHead(200, { "content-type": "text/plain" }).end("words behind the proxy"));
  await new Promise<void>((resolve) => site.listen(0, "127.0.0.1", resolve));
  const port = (site.address() as AddressInfo).port;
  proxy = await startConnectProxy({ "docs.internal": port, "evil.example": port });
});
afterAll(async () => {
  site.closeAllConnections();
  await new Promise((resolve) => site.close(resolve));
  await proxy.close();
});
afterEach(() => {
  for (const [name, value] of Object.entries(saved)) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
});

describe("WebFetch behind the proxy the environment names", () => {
  const tool = createWebFetchTool({ lookup, timeoutMs: 5000 });
  const ctx = () => toolContext(process.cwd());

  it("fetches a name this machine cannot resolve through the proxy", async () => {
    process.env["HTTP_PROXY"] = proxy.url;
    const before = proxy.tunnels.length;
    const result = await runTool(tool, { url: "http://docs.internal/page" }, ctx());
    expect(result.isError).toBe(false);
    expect(result.llmContent).toContain("words behind the proxy");
    expect(proxy.tunnels.slice(before).map((t) => t.target)).toEqual(["docs.internal:80"]);
  });

  it("still refuses a public name that resolves here to a private network, before the proxy hears of it", async () => {
    process.env["HTTP_PROXY"] = proxy.url;
    process.env["HTTPS_PROXY"] = proxy.url;
    const before = proxy.tunnels.length;
    const result = await runTool(tool, { url: "https://evil.example/page" }, ctx());
    expect(result.isError).toBe(true);
    expect(result.llmContent).toContain("WebFetch did not fetch evil.example: evil.example resolved to 10.1.2.3");
    expect(proxy.tunnels.length).toBe(before);
  });
});
