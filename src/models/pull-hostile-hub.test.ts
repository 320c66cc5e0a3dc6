import { randomBytes } from "node:crypto";
import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import http from "node:http";
import { isIP, type AddressInfo, type LookupFunction } from "node:net";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { WrenError } from "../shared/errors.js";
import { pullModel } from "./pull.js";
import { isSafeRepoFile } from "./ref.js";

/**
 * A Hub (or mirror, or file host) that is broken or hostile: one local server whose answers each
 * test sets. Nothing here may hang a pull, write outside the models folder, or keep a credential.
 */
let server: http.Server;
let base: string;
let port: number;
let handler: http.RequestListener = (_req, res) => res.writeHead(404).end();
const content = randomBytes(4096);

beforeAll(async () => {
  server = http.createServer((req, res) => handler(req, res));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  port = (server.address() as AddressInfo).port;
  base = `http://127.0.0.1:${port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

let modelsDir: string;
beforeEach(() => {
  modelsDir = mkdtempSync(path.join(os.tmpdir(), "wren-pull-hostile-"));
  handler = (_req, res) => res.writeHead(404).end();
});

/** Every file under the models folder, with its text. */
const everything = (): string =>
  readdirSync(modelsDir, { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile())
    .map((d) => `${path.join(d.parentPath, d.name)}\n${readFileSync(path.join(d.parentPath, d.name), "latin1")}`)
    .join("\n");

const failure = (promise: Promise<unknown>): Promise<WrenError> =>
  promise.then(
    () => {
      throw new Error("the pull succeeded");
    },
    (error: unknown) => {
      expect(error).toBeInstanceOf(WrenError);
      return error as WrenError;
    },
  );

/** Serves one GGUF file whole (HEAD and GET), as a plain web server does. */
const serveFile: http.RequestListener = (req, res) => {
  res.writeHead(200, { "content-length": String(content.length), etag: '"v1"' });
  res.end(req.method === "HEAD" ? undefined : content);
};

describe("a Hub that accepts the connection and then says nothing", () => {
  it("a HEAD that is never answered fails after the stall limit, naming the host", async () => {
    handler = () => undefined;
    const error = await failure(pullModel("hf:org/quiet-GGUF/m-Q8_0.gguf", { modelsDir, env: { HF_ENDPOINT: base }, stallTimeoutMs: 200, retries: 0 }));
    expect(error.code).toBe("network_error");
    expect(error.message).toContain(`127.0.0.1:${port}`);
    expect(error.message).toMatch(/sent nothing|no data/);
  });

  it("a file list that is never answered fails after the stall limit", async () => {
    handler = () => undefined;
    const error = await failure(pullModel("hf:org/quiet-GGUF:Q8_0", { modelsDir, env: { HF_ENDPOINT: base }, stallTimeoutMs: 200, retries: 0 }));
    expect(error.code).toBe("network_error");
    expect(error.message).toMatch(/sent nothing|no data/);
  });

  it("a file list whose body stops half way fails after the stall limit", async () => {
    handler = (_req, res) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.write('[{"type":"file","path":"m-Q8_0.gguf"},');
    };
    const error = await failure(pullModel("hf:org/quiet-GGUF:Q8_0", { modelsDir, env: { HF_ENDPOINT: base }, stallTimeoutMs: 200, retries: 0 }));
    expect(error.code).toBe("network_error");
    expect(error.message).toMatch(/sent nothing|no data/);
  });
});

describe("a file list without end", () => {
  it("is cut off with an error once it passes 64 MiB", async () => {
    const chunk = Buffer.alloc(1024 * 1024, " ");
    handler = (_req, res) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.write("[");
      const more = (): void => {
        while (!res.destroyed && res.write(chunk));
        if (!res.destroyed) res.once("drain", more);
      };
      more();
    };
    const error = await failure(pullModel("hf:org/endless-GGUF:Q8_0", { modelsDir, env: { HF_ENDPOINT: base }, retries: 0 }));
    expect(error.code).toBe("upstream_error");
    expect(error.message).toMatch(/over 64 MiB/);
  });
});

describe("credentials in a URL", () => {
  it("a model URL with a user name and password is refused, and the password is neither shown nor stored", async () => {
    handler = serveFile;
    const url = `http://someone:hunter2secret@127.0.0.1:${port}/files/tiny-Q8_0.gguf`;
    const error = await failure(pullModel(url, { modelsDir, env: {} }));
    expect(error.code).toBe("bad_request");
    expect(`${error.message} ${error.hint ?? ""}`).not.toContain("hunter2secret");
    expect(error.message).toMatch(/user name or password/);
    expect(everything()).not.toContain("hunter2secret");
  });

  it("HF_ENDPOINT with a user name and password is refused, and the password is neither shown nor stored", async () => {
    handler = serveFile;
    const env = { HF_ENDPOINT: `http://someone:hunter2secret@127.0.0.1:${port}` };
    const error = await failure(pullModel("hf:org/repo-GGUF/m-Q8_0.gguf", { modelsDir, env }));
    expect(`${error.message} ${error.hint ?? ""}`).not.toContain("hunter2secret");
    expect(error.message).toContain("HF_ENDPOINT");
    expect(everything()).not.toContain("hunter2secret");
  });
});

describe("file names Windows reserves", () => {
  const reserved = ["CON", "con.gguf", "NUL.gguf", "Com1.gguf", "lpt9", "sub/aux.Q8_0.gguf", "prn .gguf", "COM¹.gguf", "CONIN$", "m-Q8_0.gguf.", "m-Q8_0.gguf "];

  it("are not valid repository files, on every platform", () => {
    for (const name of reserved) expect([name, isSafeRepoFile(name)]).toEqual([name, false]);
    for (const name of ["CONSOLE.gguf", "nullable-Q8_0.gguf", "com10.gguf", "lpt.gguf", "sub/con-Q8_0.gguf"]) expect([name, isSafeRepoFile(name)]).toEqual([name, true]);
  });

  it("a Hub that lists one as the pick is refused with what is wrong, and nothing is written", async () => {
    handler = (req, res) => {
      if (req.url?.startsWith("/api/models/")) {
        res.writeHead(200, { "content-type": "application/json" });
        return res.end(JSON.stringify([{ type: "file", path: "NUL.Q8_0.gguf", size: content.length }]));
      }
      serveFile(req, res);
    };
    const error = await failure(pullModel("hf:org/dev-GGUF:Q8_0", { modelsDir, env: { HF_ENDPOINT: base } }));
    expect(error.message).toContain("NUL.Q8_0.gguf");
    expect(error.message).toMatch(/reserve/);
    expect(readdirSync(modelsDir, { recursive: true }).filter((f) => String(f).includes("NUL"))).toEqual([]);
  });

  it("a repository or organisation of that name, or ending in a dot, is refused as a reference", async () => {
    for (const ref of ["hf:con/repo-GGUF:Q8_0", "hf:org/NUL:Q8_0", "hf:org/repo.:Q8_0", "hf:org./repo"]) {
      const error = await failure(pullModel(ref, { modelsDir, env: { HF_ENDPOINT: base } }));
      expect([ref, error.code]).toEqual([ref, "bad_request"]);
    }
    expect(readdirSync(modelsDir)).toEqual([]);
  });

  it("one named by the user is refused as a reference", async () => {
    const error = await failure(pullModel("hf:org/dev-GGUF/sub/CON.gguf", { modelsDir, env: { HF_ENDPOINT: base } }));
    expect(error.code).toBe("bad_request");
  });
});

describe("a redirect to a name that resolves to this machine", () => {
  /** DNS as a table: every name here is this test server. */
  const names: Record<string, string> = { "hub.example": "127.0.0.1", "evil.example": "127.0.0.1" };
  const lookup: LookupFunction = (hostname, options, callback) => {
    const address = names[hostname];
    if (!address) return callback(Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: "ENOTFOUND" }), "", 0);
    if (options.all) return callback(null, [{ address, family: isIP(address) }]);
    callback(null, address, isIP(address));
  };
  const requests: string[] = [];
  beforeEach(() => {
    requests.length = 0;
    handler = (req, res) => {
      requests.push(`${req.method} ${req.headers.host} ${req.url}`);
      if (req.headers.host?.startsWith("hub.example")) {
        res.writeHead(302, { location: `http://evil.example:${port}/metadata/m-Q8_0.gguf`, "content-length": "0" });
        return res.end();
      }
      serveFile(req, res);
    };
  });

  it("is refused: the Hub's name is on the internet, the name it sends wren to leads to loopback", async () => {
    const error = await failure(pullModel("hf:org/repo-GGUF/m-Q8_0.gguf", { modelsDir, env: { HF_ENDPOINT: `http://hub.example:${port}` }, lookup, retries: 0 }));
    expect(error.message).toContain("evil.example");
    expect(error.message).toMatch(/this machine or its private network/);
    expect(requests.filter((r) => r.includes("evil.example"))).toEqual([]);
  });

  it("is refused when the Hub's HEAD names it as the CDN of an LFS file (the download goes there directly)", async () => {
    handler = (req, res) => {
      requests.push(`${req.method} ${req.headers.host} ${req.url}`);
      if (!req.headers.host?.startsWith("hub.example")) return serveFile(req, res);
      res.writeHead(302, {
        location: `http://evil.example:${port}/lfs/m-Q8_0.gguf`,
        "x-linked-etag": `"${"a".repeat(64)}"`,
        "x-linked-size": String(content.length),
        "content-length": "0",
      });
      res.end();
    };
    const error = await failure(pullModel("hf:org/repo-GGUF/m-Q8_0.gguf", { modelsDir, env: { HF_ENDPOINT: `http://hub.example:${port}` }, lookup, retries: 0 }));
    expect(error.message).toContain("evil.example");
    expect(requests.filter((r) => r.includes("evil.example"))).toEqual([]);
  });

  it("is refused when the Hub's file list redirects there", async () => {
    const error = await failure(pullModel("hf:org/repo-GGUF:Q8_0", { modelsDir, env: { HF_ENDPOINT: `http://hub.example:${port}` }, lookup, retries: 0 }));
    expect(error.message).toContain("evil.example");
    expect(requests.filter((r) => r.includes("evil.example"))).toEqual([]);
  });

  it("is refused when a URL given to pull redirects there", async () => {
    const error = await failure(pullModel(`http://hub.example:${port}/files/m-Q8_0.gguf`, { modelsDir, env: {}, lookup, retries: 0 }));
    expect(error.message).toContain("evil.example");
    expect(requests.filter((r) => r.includes("evil.example"))).toEqual([]);
  });

  it("the same server reached by its own name is downloaded from", async () => {
    handler = serveFile;
    const result = await pullModel(`http://evil.example:${port}/files/m-Q8_0.gguf`, { modelsDir, env: {}, lookup, retries: 0 });
    expect(readFileSync(result.path).equals(content)).toBe(true);
  });
});

describe("a URL whose path has a name Windows reserves", () => {
  it("is stored under a name that is a file on every platform", async () => {
    handler = serveFile;
    const result = await pullModel(`${base}/dev/CON/nul.gguf.`, { modelsDir, env: {}, retries: 0 });
    expect(path.relative(modelsDir, result.path).split(path.sep)).toEqual(["url", `127.0.0.1_${port}`, "dev", "_CON", "_nul.gguf_"]);
    expect(readFileSync(result.path).equals(content)).toBe(true);
  });
});
