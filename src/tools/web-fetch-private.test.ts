import type { LookupAddress } from "node:dns";
import http from "node:http";
import net, { isIP, type AddressInfo, type LookupFunction } from "node:net";
import { Agent } from "undici";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { toolContext } from "../../test/helpers/tool-context.js";
import type { ToolContext } from "./tool.js";
import { runTool } from "./run-tool.js";
import { addressKind } from "../shared/address-kind.js";
import { createWebFetchTool } from "./web-fetch.js";

// An intranet name under split-horizon DNS (wiki.corp.example → 10.1.2.3) reads as public: WebFetch
// lets it resolve to a private network only where a rule the user wrote names that host exactly.
// DNS is a table; every connection the checked lookup lets through reaches the test's own server,
// whatever address it was given, and that address is recorded.

let server: http.Server;
let port: number;
/** The addresses connections were made to, as the checked lookup answered them. */
const connected: string[] = [];
let answers: Record<string, string[]> = {};

const fakeLookup: LookupFunction = (hostname, options, callback) => {
  const list = answers[hostname];
  if (!list) return callback(Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: "ENOTFOUND" }), "", 0);
  const addresses: LookupAddress[] = list.map((address) => ({ address, family: isIP(address) }));
  if (options.all) return callback(null, addresses);
  callback(null, addresses[0]?.address ?? "", addresses[0]?.family ?? 4);
};

/** A pool that resolves through the checked lookup, as wren's own does, then connects to the test server. */
const pool = (lookup: LookupFunction) =>
  new Agent({
    connect: (options, done) => {
      lookup(options.hostname, {}, (error, address) => {
        if (error) return done(error, null);
        connected.push(typeof address === "string" ? address : (address[0]?.address ?? ""));
        const socket = net.connect(port, "127.0.0.1");
        socket.once("connect", () => done(null, socket)).once("error", (e) => done(e, null));
      });
    },
  });

beforeAll(async () => {
  server = http.createServer((req, res) => {
    if (req.url === "/www") {
      res.writeHead(302, { location: `http://www.wiki.corp.example/text` });
      return res.end();
    }
    res.writeHead(200, { "content-type": "text/plain" });
    res.end("intranet words");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  port = (server.address() as AddressInfo).port;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

beforeEach(() => {
  connected.length = 0;
  answers = {};
});

const tool = createWebFetchTool({ lookup: fakeLookup, dispatcher: pool, timeoutMs: 5000 });
/** The user's rules name wiki.corp.example exactly for WebFetch, and nothing else. */
const asked: Array<[string, string]> = [];
const named: ToolContext["exactHostRule"] = (toolName, host) => {
  asked.push([toolName, host]);
  return toolName === "WebFetch" && host === "wiki.corp.example";
};
const ctx = (extra: Partial<ToolContext> = { exactHostRule: named }) => toolContext(process.cwd(), extra);

describe("WebFetch and a host the user's rules name exactly", () => {
  it("fetches it on a private network: 10/8, 172.16/12, 192.168/16, 100.64/10, fc00::/7", async () => {
    for (const address of ["10.1.2.3", "172.16.0.1", "172.31.255.254", "192.168.1.1", "100.64.0.1", "100.127.1.1", "fd12:3456::1", "fc00::1", "::ffff:10.1.2.3"]) {
      answers = { "wiki.corp.example": [address] };
      connected.length = 0;
      const result = await runTool(tool, { url: "http://wiki.corp.example/text" }, ctx());
      expect(result.isError, address).toBe(false);
      expect(result.llmContent, address).toContain("intranet words");
      expect(connected, address).toEqual([address]);
    }
    expect(asked).toContainEqual(["WebFetch", "wiki.corp.example"]);
  });

  it("fetches it when its answer mixes public and private addresses", async () => {
    answers = { "wiki.corp.example": ["93.184.216.34", "10.0.0.7"] };
    const result = await runTool(tool, { url: "https://wiki.corp.example/text" }, ctx());
    expect(result.llmContent).toContain("intranet words");
  });

  it("asks for the host as a rule writes it: lower case, no trailing dot", async () => {
    answers = { "wiki.corp.example.": ["10.1.2.3"] };
    const result = await runTool(tool, { url: "http://WIKI.Corp.Example./text" }, ctx());
    expect(result.llmContent).toContain("intranet words");
  });

  it("still refuses this machine, link-local, cloud metadata, 0/8, multicast and reserved addresses", async () => {
    const places = ["127.0.0.1", "::1", "::ffff:127.0.0.1", "169.254.169.254", "169.254.170.2", "::ffff:a9fe:a9fe", "fe80::1", "fd00:ec2::254", "100.100.100.200", "0.0.0.0", "::", "224.0.0.1", "255.255.255.255", "ff02::1", "198.18.0.1", "fec0::1"];
    for (const address of places) {
      answers = { "wiki.corp.example": [address] };
      connected.length = 0;
      const result = await runTool(tool, { url: "http://wiki.corp.example/text" }, ctx());
      expect(result.isError, address).toBe(true);
      expect(result.llmContent, address).toContain(`WebFetch did not fetch wiki.corp.example: wiki.corp.example resolved to ${address}, `);
      expect(result.llmContent, address).not.toContain("WebFetch(domain:");
      expect(connected, address).toEqual([]);
    }
  });

  it("lets no other host through: not a subdomain, not a www. redirect hop", async () => {
    answers = { "docs.corp.example": ["10.1.2.3"], "a.wiki.corp.example": ["10.1.2.3"], "wiki.corp.example": ["10.1.2.3"], "www.wiki.corp.example": ["10.1.2.4"] };
    for (const host of ["docs.corp.example", "a.wiki.corp.example"]) {
      const result = await runTool(tool, { url: `http://${host}/text` }, ctx());
      expect(result.isError, host).toBe(true);
      expect(result.llmContent, host).toContain(`${host} resolved to 10.1.2.3`);
    }
    const hop = await runTool(tool, { url: "http://wiki.corp.example/www" }, ctx());
    expect(hop.isError).toBe(true);
    expect(hop.llmContent).toContain("www.wiki.corp.example resolved to 10.1.2.4");
    expect(connected).toEqual(["10.1.2.3"]);
  });
});

describe("WebFetch and a private address for a host no rule names exactly", () => {
  it("is refused, and says which rule to add and where, not to use the address", async () => {
    for (const extra of [{}, { exactHostRule: () => false }]) {
      answers = { "wiki.corp.example": ["10.1.2.3"] };
      const result = await runTool(tool, { url: "http://wiki.corp.example/text" }, ctx(extra));
      expect(result.isError).toBe(true);
      expect(result.llmContent).toContain("WebFetch did not fetch wiki.corp.example: wiki.corp.example resolved to 10.1.2.3, an address on a private network");
      expect(result.llmContent).toContain('add "WebFetch(domain:wiki.corp.example)" to allow under [permissions] in settings.toml');
      expect(result.llmContent).toContain(".wren/settings.toml");
      expect(result.llmContent).not.toContain("by its address");
      expect(connected).toEqual([]);
    }
  });

  it("keeps the address hint for this machine, where no rule helps", async () => {
    answers = { "wiki.corp.example": ["127.0.0.1"] };
    const result = await runTool(tool, { url: "http://wiki.corp.example/text" }, ctx({}));
    expect(result.llmContent).toContain("wiki.corp.example resolved to 127.0.0.1, an address of this machine");
    expect(result.llmContent).not.toContain("WebFetch(domain:");
  });
});

describe("addressKind", () => {
  it("sorts private networks apart from this machine, link-local, metadata and reserved addresses", () => {
    expect(["10.0.0.1", "172.16.0.1", "192.168.0.1", "100.64.0.1", "fd12::1", "::ffff:10.0.0.1", "::ffff:a00:1"].map(addressKind)).toEqual(Array(7).fill("private"));
    expect(["169.254.169.254", "fe80::1", "fd00:ec2::254", "100.100.100.200", "0.1.2.3", "224.0.0.1", "192.0.0.8", "198.18.0.1", "fec0::1", "ff02::1"].map(addressKind)).toEqual(Array(10).fill("local"));
    expect(["100.63.255.255", "100.128.0.1", "172.32.0.1", "11.0.0.1"].map(addressKind)).toEqual(Array(4).fill("public"));
  });
});
