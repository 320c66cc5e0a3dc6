import http from "node:http";
import type { AddressInfo } from "node:net";
import zlib from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { toolContext } from "../../test/helpers/tool-context.js";
import { createCommandAnalyzer, type CommandAnalyzer } from "../permissions/command-parts.js";
import { decide } from "../permissions/decide.js";
import type { PermissionAction } from "../permissions/types.js";
import { runTool } from "./run-tool.js";
import { createWebFetchTool, webFetchTool } from "./web-fetch.js";

// WebFetch against hostile servers: where redirects lead, names spelled another way, and bodies
// built to cost memory, time or the stack.

let server: http.Server;
let base: string;
let port: number;
const requests: string[] = [];
const gzipBomb = zlib.gzipSync(Buffer.alloc(64 * 1024 * 1024, "x"));
const brotliBomb = zlib.brotliCompressSync(Buffer.alloc(64 * 1024 * 1024, "x"));

/** Where `/to/<n>` redirects: every place a redirect off the allowed host may lead. */
const AWAY = [
  "http://localhost/admin",
  "http://[::1]/",
  "http://0.0.0.0/",
  "http://169.254.169.254/latest/meta-data/",
  "http://10.0.0.1/",
  "http://172.16.0.1/",
  "http://192.168.1.1/",
  "http://2130706433/",
  "http://[::ffff:127.0.0.1]/",
  "http://intranet/",
  "https://docs.rs/",
  "file:///etc/passwd",
  "data:text/plain,hello",
  "javascript:alert(1)",
];

beforeAll(async () => {
  server = http.createServer((req, res) => {
    const url = req.url ?? "";
    requests.push(url);
    const to = /^\/to\/(\d+)\/(\d{3})$/.exec(url);
    if (to) {
      res.writeHead(Number(to[2]), { location: AWAY[Number(to[1])] ?? "" });
      return res.end();
    }
    switch (url) {
      case "/page":
        res.writeHead(200, { "content-type": "text/plain" });
        return res.end("the page");
      case "/other-port":
        res.writeHead(302, { location: `http://127.0.0.1:${port + 1}/page` });
        return res.end();
      case "/www-ip":
        res.writeHead(302, { location: `http://www.127.0.0.1:${port}/page` });
        return res.end();
      case "/loop":
        res.writeHead(302, { location: "/loop" });
        return res.end();
      case "/refresh":
        res.writeHead(200, { "content-type": "text/html", refresh: "0; url=http://169.254.169.254/" });
        return res.end(`<meta http-equiv="refresh" content="0; url=http://169.254.169.254/"><script>location = "http://10.0.0.1/"</script><p>moved</p>`);
      case "/gzip":
        res.writeHead(200, { "content-type": "text/plain", "content-encoding": "gzip" });
        return res.end(gzipBomb);
      case "/brotli":
        res.writeHead(200, { "content-type": "text/plain", "content-encoding": "br" });
        return res.end(brotliBomb);
      case "/encodings": {
        let body = Buffer.from("wrapped");
        for (let i = 0; i < 8; i++) body = zlib.gzipSync(body);
        res.writeHead(200, { "content-type": "text/plain", "content-encoding": Array(8).fill("gzip").join(", ") });
        return res.end(body);
      }
      case "/huge-header":
        res.writeHead(200, { "content-type": "text/plain", "x-filler": "a".repeat(100_000) });
        return res.end("ok");
      case "/drip": {
        res.writeHead(200, { "content-type": "text/plain" });
        const timer = setInterval(() => res.write("x"), 20);
        res.on("close", () => clearInterval(timer));
        return;
      }
      case "/nested":
        res.writeHead(200, { "content-type": "text/html" });
        return res.end(`${"<div>".repeat(200_000)}deep${"</div>".repeat(200_000)}`);
      default:
        res.writeHead(404, { "content-type": "text/plain" });
        return res.end("no");
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  port = (server.address() as AddressInfo).port;
  base = `http://127.0.0.1:${port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const ctx = () => toolContext(process.cwd());

describe("WebFetch redirects", () => {
  it("reports a redirect to another host, address, port or scheme with every status, and never follows it", async () => {
    for (const [index, location] of AWAY.entries()) {
      for (const status of [301, 302, 303, 307, 308]) {
        requests.length = 0;
        const result = await runTool(webFetchTool, { url: `${base}/to/${index}/${status}` }, ctx());
        expect(result.isError, location).toBe(false);
        expect(result.data, location).toMatchObject({ kind: "redirect", status, location: new URL(location).href });
        expect(requests, location).toEqual([`/to/${index}/${status}`]);
      }
    }
    const port2 = await runTool(webFetchTool, { url: `${base}/other-port` }, ctx());
    expect(port2.data).toMatchObject({ kind: "redirect", location: `http://127.0.0.1:${port + 1}/page` });
  });

  it("says a redirect to a location that is not a URL is one (www. before an address is none)", async () => {
    const result = await runTool(webFetchTool, { url: `${base}/www-ip` }, ctx());
    expect(result.isError).toBe(true);
    expect(result.llmContent).toContain(`${base}/www-ip redirects (302) to "http://www.127.0.0.1:${port}/page", which is not a URL.`);
  });

  it("says a redirect loop is one", async () => {
    const result = await runTool(webFetchTool, { url: `${base}/loop` }, ctx());
    expect(result.isError).toBe(true);
    expect(result.llmContent).toContain("redirected more than 10 times");
  });

  it("follows no meta refresh, Refresh header or script", async () => {
    requests.length = 0;
    const result = await runTool(webFetchTool, { url: `${base}/refresh` }, ctx());
    expect(result.llmContent).toMatch(new RegExp(`^Content of ${base}/refresh \\(HTML as markdown\\)\\. .*\n\nmoved$`));
    expect(requests).toEqual(["/refresh"]);
  });
});

describe("WebFetch limits", () => {
  it("caps a compression bomb at the bytes it may read, while it streams", async () => {
    for (const path of ["/gzip", "/brotli"]) {
      const result = await runTool(createWebFetchTool({ maxBytes: 100_000, maxChars: 30_000 }), { url: `${base}${path}` }, ctx());
      expect(result.data, path).toMatchObject({ bytes: 100_000, cut: true });
      expect(result.llmContent).toContain("[The response was cut at 97.7 KB.]");
    }
  });

  it("refuses a chain of encodings, a huge header and a body that drips past the timeout", async () => {
    const chain = await runTool(webFetchTool, { url: `${base}/encodings` }, ctx());
    expect(chain).toMatchObject({ isError: true });
    expect(chain.llmContent).toContain("too many content-encodings");
    const header = await runTool(webFetchTool, { url: `${base}/huge-header` }, ctx());
    expect(header).toMatchObject({ isError: true });
    expect(header.llmContent).toContain("Headers Overflow");
    const drip = await runTool(createWebFetchTool({ timeoutMs: 300 }), { url: `${base}/drip` }, ctx());
    expect(drip).toMatchObject({ isError: true });
    expect(drip.llmContent).toContain("did not answer within 0.3 s");
  });

  it("stops at once on cancel while the body is still coming", async () => {
    const controller = new AbortController();
    const started = Date.now();
    setTimeout(() => controller.abort(), 100);
    const result = await runTool(webFetchTool, { url: `${base}/drip` }, toolContext(process.cwd(), { signal: controller.signal }));
    expect(result).toMatchObject({ isError: true, llmContent: "Cancelled by the user." });
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it("says HTML nested too deeply to convert is that, not a fault of the request", async () => {
    const result = await runTool(webFetchTool, { url: `${base}/nested` }, ctx());
    expect(result.isError).toBe(true);
    expect(result.llmContent).toContain(`The HTML of ${base}/nested is nested too deeply to turn into markdown`);
    expect(result.llmContent).not.toContain("tool schemas");
  });
});

describe("WebFetch(domain:…) rules on the URL the tool fetches", () => {
  let commands: CommandAnalyzer;
  beforeAll(async () => {
    commands = await createCommandAnalyzer();
  });
  const judge = (url: string, ...rules: string[]): PermissionAction => {
    const request = webFetchTool.permission({ url }, ctx());
    const parsed = rules.map((text) => ({ action: text.split(" ")[0] as PermissionAction, pattern: text.slice(text.indexOf(" ") + 1), scope: "project" as const }));
    return decide(request, { rules: parsed, mode: "default", projectRoot: process.cwd(), interactive: true, commands }).action;
  };

  it("matches the host the URL reaches, however it is spelled", () => {
    for (const url of ["https://docs.rs/x", "https://DOCS.RS/x", "https://docs.rs./x", "http://docs.rs:8443/x", "https://ｄocs.rs/x", "https://user:pw@docs.rs/x"]) {
      expect(judge(url, "allow WebFetch(domain:docs.rs)"), url).toBe("allow");
    }
    for (const url of ["https://docs.rs@evil.com/", "https://evil.com#docs.rs", "https://evil.com\\@docs.rs", "https://evil.com/?docs.rs", "https://evil-docs.rs/", "https://docs.rs.evil.com/", "https://a.docs.rs/", "https://dоcs.rs/"]) {
      expect(judge(url, "allow WebFetch(domain:docs.rs)"), url).toBe("ask");
    }
    expect(judge("https://a.b.docs.rs/", "allow WebFetch(domain:*.docs.rs)")).toBe("allow");
    expect(judge("https://evil-docs.rs/", "allow WebFetch(domain:*.docs.rs)")).toBe("ask");
  });

  it("judges an address in any notation as the address it is", () => {
    for (const url of ["http://2130706433/", "http://0x7f.0.0.1/", "http://0177.0.0.1/", "http://127.1/"]) {
      expect(judge(url, "allow WebFetch", "deny WebFetch(domain:127.0.0.1)"), url).toBe("deny");
    }
    expect(judge("http://[::ffff:127.0.0.1]/", "allow WebFetch(domain:127.0.0.1)")).toBe("ask");
  });
});
