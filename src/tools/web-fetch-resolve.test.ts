import type { LookupAddress } from "node:dns";
import http from "node:http";
import { isIP, type AddressInfo, type LookupFunction } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { toolContext } from "../../test/helpers/tool-context.js";
import { runTool } from "./run-tool.js";
import { addressKind } from "../shared/address-kind.js";
import { checkedLookup } from "../shared/checked-lookup.js";
import { createWebFetchTool, webFetchTool } from "./web-fetch.js";

// WebFetch judges the address a name resolves to, in the connection's own lookup: a DNS answer is
// stood in for by a table, so no test asks real DNS.

let server: http.Server;
let port: number;
let connections = 0;
/** Every name the lookup was asked, in order. */
const asked: string[] = [];
/** What each name resolves to. */
let answers: Record<string, string[]> = {};

const fakeLookup: LookupFunction = (hostname, options, callback) => {
  asked.push(hostname);
  const list = answers[hostname];
  if (!list) return callback(Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: "ENOTFOUND" }), "", 0);
  const addresses: LookupAddress[] = list.map((address) => ({ address, family: isIP(address) }));
  if (options.all) return callback(null, addresses);
  callback(null, addresses[0]?.address ?? "", addresses[0]?.family ?? 4);
};

beforeAll(async () => {
  server = http.createServer((req, res) => {
    if (req.url === "/www") {
      res.writeHead(302, { location: `http://www.devbox:${port}/text` });
      return res.end();
    }
    res.writeHead(200, { "content-type": "text/plain" });
    res.end("local words");
  });
  server.on("connection", () => connections++);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  port = (server.address() as AddressInfo).port;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

beforeEach(() => {
  asked.length = 0;
  connections = 0;
  answers = {};
});

const tool = createWebFetchTool({ lookup: fakeLookup, timeoutMs: 5000 });
const ctx = () => toolContext(process.cwd());

describe("WebFetch and the address a name resolves to", () => {
  it("refuses a public name that resolves to this machine, a private network or a metadata service, before connecting", async () => {
    const places = ["127.0.0.1", "127.9.9.9", "169.254.169.254", "10.1.2.3", "172.16.0.1", "192.168.1.1", "100.100.100.200", "0.0.0.0", "::1", "::", "::ffff:127.0.0.1", "::ffff:a9fe:a9fe", "fd00:ec2::254", "fc00::1", "fe80::1"];
    for (const address of places) {
      answers = { "docs.example": [address] };
      connections = 0;
      const result = await runTool(tool, { url: `http://docs.example:${port}/text` }, ctx());
      expect(result.isError, address).toBe(true);
      expect(result.llmContent, address).toContain(`WebFetch did not fetch docs.example: docs.example resolved to ${address}, `);
      // A private network is reached only under a rule naming the host exactly (web-fetch-private.test.ts), which the hint gives.
      expect(result.llmContent, address).toContain(addressKind(address) === "private" ? '"WebFetch(domain:docs.example)"' : "name it by its address or a local name in the URL");
      expect(connections, address).toBe(0);
    }
  });

  it("refuses a name whose answer mixes public and private addresses", async () => {
    answers = { "docs.example": ["93.184.216.34", "10.0.0.7"] };
    const result = await runTool(tool, { url: "https://docs.example/" }, ctx());
    expect(result).toMatchObject({ isError: true });
    expect(result.llmContent).toContain("docs.example resolved to 10.0.0.7");
  });

  it("fetches a host named as local wherever it resolves, and an address as written", async () => {
    answers = { devbox: ["127.0.0.1"], "nas.lan": ["127.0.0.1"], "printer.local": ["127.0.0.1"] };
    for (const host of ["devbox", "nas.lan", "printer.local", "127.0.0.1"]) {
      const result = await runTool(tool, { url: `http://${host}:${port}/text` }, ctx());
      expect(result.isError, host).toBe(false);
      expect(result.llmContent, host).toContain("local words");
    }
    expect(asked).toEqual(["devbox", "nas.lan", "printer.local"]);
  });

  it("resolves a localhost name as localhost, never asking DNS for it, and only to loopback", async () => {
    answers = { localhost: ["127.0.0.1"] };
    for (const host of ["localhost", "app.localhost"]) {
      const result = await runTool(tool, { url: `http://${host}:${port}/text` }, ctx());
      expect(result.llmContent, host).toContain("local words");
    }
    expect(asked).toEqual(["localhost", "localhost"]);

    answers = { localhost: ["10.0.0.5"] };
    connections = 0;
    const away = await runTool(tool, { url: `http://app.localhost:${port}/text` }, ctx());
    expect(away).toMatchObject({ isError: true });
    expect(away.llmContent).toContain("app.localhost resolved to 10.0.0.5, which is not this machine");
    expect(connections).toBe(0);
  });

  it("resolves through the system's lookup by default, a localhost subdomain as localhost", async () => {
    for (const host of ["localhost", "app.localhost"]) {
      const result = await runTool(webFetchTool, { url: `http://${host}:${port}/text` }, ctx());
      expect(result.llmContent, host).toContain("local words");
    }
  });

  it("checks each redirect's host as it connects", async () => {
    answers = { devbox: ["127.0.0.1"], "www.devbox": ["127.0.0.1"] };
    const result = await runTool(tool, { url: `http://devbox:${port}/www` }, ctx());
    expect(result).toMatchObject({ isError: true });
    expect(result.llmContent).toContain("www.devbox resolved to 127.0.0.1");
    expect(asked).toEqual(["devbox", "www.devbox"]);
  });
});

describe("addressKind and checkedLookup", () => {
  it("sorts addresses, in any IPv6 spelling", () => {
    expect(["127.0.0.1", "::1", "::ffff:127.0.0.1", "::ffff:7f00:1"].map(addressKind)).toEqual(["loopback", "loopback", "loopback", "loopback"]);
    expect(["10.0.0.1", "::ffff:10.0.0.1", "::ffff:a00:1", "[fd12::1]"].map(addressKind)).toEqual(["private", "private", "private", "private"]);
    expect(["[fe80::1]", "224.0.0.1", "255.255.255.255", "::ffff:a9fe:a9fe"].map(addressKind)).toEqual(["local", "local", "local", "local"]);
    expect(["93.184.216.34", "2606:4700::1", "172.32.0.1", "100.128.0.1"].map(addressKind)).toEqual(["public", "public", "public", "public"]);
  });

  it("answers with one address or all, as asked", async () => {
    answers = { "docs.example": ["93.184.216.34", "2606:4700::1"] };
    const lookup = checkedLookup(fakeLookup);
    const one = await new Promise((resolve) => lookup("docs.example", {}, (error, address, family) => resolve({ error, address, family })));
    expect(one).toEqual({ error: null, address: "93.184.216.34", family: 4 });
    const all = await new Promise((resolve) => lookup("docs.example", { all: true }, (error, address) => resolve({ error, address })));
    expect(all).toEqual({ error: null, address: [{ address: "93.184.216.34", family: 4 }, { address: "2606:4700::1", family: 6 }] });
  });
});
