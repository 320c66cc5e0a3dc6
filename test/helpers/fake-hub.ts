import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";

/** A file a fake repository serves: bytes, or a path to read them from. */
export interface FakeHubFile {
  path: string;
  content?: Buffer;
  source?: string;
  /** Stored in LFS (ETag is its SHA-256, served via a CDN redirect). Default true. */
  lfs?: boolean;
}

export interface FakeHubRepo {
  files: FakeHubFile[];
  /** Files need `Authorization: Bearer <token>` (401 without). */
  gated?: boolean;
  /** The commit `main` resolves to. Default: a fixed 40-hex string derived from the repo name. */
  commit?: string;
}

/** Faults the hub injects into CDN downloads; change them between requests. */
export interface FakeHubFaults {
  /**
   * Close the connection once this many bytes of the file (absolute offset) have been sent. The
   * client keeps what it consumed before it saw the close, which may be less: set `beforeCut` to
   * know the cut point on its disk.
   */
  cutAtBytes?: number | undefined;
  /**
   * Awaited after the bytes up to `cutAtBytes` are sent and before the connection closes: a test
   * waits here until the client has written all of them, so what it resumes from is known.
   */
  beforeCut?: (() => Promise<unknown>) | undefined;
  /** How many downloads to cut before serving normally again. Default 1. */
  cutTimes?: number;
  /** Flip the byte at this absolute offset in every download. */
  corruptByteAt?: number | undefined;
  /** Wait this many ms between chunks (slow link). Default 0. */
  delayMsPerChunk?: number;
  /** Bytes per chunk. Default 64 KiB. */
  chunkSize?: number;
  /** Answer Range requests with the whole file (200), as servers without range support do. */
  ignoreRange?: boolean;
  /**
   * Awaited after the headers of a download and before its first byte: a test holds a download
   * open here until something else has happened (another process started waiting for it).
   */
  beforeBody?: (() => Promise<unknown>) | undefined;
  /**
   * Rewrites every ETag (and X-Linked-Etag) the hub sends, from its strong quoted form `"x"`: e.g.
   * to the weak `W/"x"`, as a server or proxy that compresses may send it.
   */
  etagForm?: ((etag: string) => string) | undefined;
  /**
   * Answer a file's byte download (its CDN path, or the resolve URL of a file not in LFS) with a
   * 302 to this location instead of the bytes: a CDN that sends the client elsewhere (plain http,
   * a private address, back to itself).
   */
  downloadRedirect?: string | undefined;
  /** Stop sending once this many bytes of the file (absolute offset) have been sent, and hold the connection open. */
  stallAtBytes?: number | undefined;
  /** Send this many bytes more than the file has in a GET, without a Content-Length (chunked), as a broken server or proxy may. */
  extraBytes?: number | undefined;
  /** Answer a Range request with 206 even when its If-Range names another version (a server that ignores If-Range). */
  ignoreIfRange?: boolean;
}

export interface RecordedRequest {
  method: string;
  path: string;
  range: string | undefined;
  authorization: string | undefined;
  /** The If-Range header, when the client sent one. */
  ifRange?: string | undefined;
  /** The origin the client addressed: the local URL, or the one {@link FakeHub.routedFetch} stood in for. */
  origin: string;
}

export interface FakeHub extends AsyncDisposable {
  /** Base URL, for HF_ENDPOINT. */
  url: string;
  requests: RecordedRequest[];
  faults: FakeHubFaults;
  /**
   * Called as each request arrives, before it is answered: a test can look at what the client has on
   * disk at that moment (e.g. the `.partial` file a Range request resumes from). Cleared by `resetFaults`.
   */
  onRequest: ((request: RecordedRequest) => void) | undefined;
  /** SHA-256 of a served file. */
  sha256(repo: string, file: string): string;
  /** Body downloads (GET on the CDN path) of a file. */
  downloads(file: string): RecordedRequest[];
  /** Serves other bytes for a file from now on (a new version: new SHA-256, ETag and size). */
  replaceFile(repo: string, file: string, content: Buffer): void;
  /**
   * A `fetch` that sends requests for the given origins (`https://huggingface.co`) to this hub, as
   * if it were them: redirects are answered, not followed, so a test can stand the Hub, its CDN and
   * other hosts on public https addresses in for one local server.
   */
  routedFetch(origins: string[]): typeof globalThis.fetch;
  /** Clears every fault, the count of cuts done and `onRequest`. */
  resetFaults(): void;
  close(): Promise<void>;
}

interface Served {
  bytes: Buffer;
  sha256: string;
  lfs: boolean;
}

function commitOf(repo: string): string {
  return createHash("sha1").update(`commit:${repo}`).digest("hex");
}

/**
 * A local HTTP server that behaves like the Hugging Face Hub for what wren uses: `resolve` URLs that
 * redirect LFS files to a CDN path with X-Linked-Etag / X-Linked-Size / X-Repo-Commit, Range requests,
 * 401 on gated repos, the model info and tree APIs, and fault knobs (cut, corrupt, slow).
 */
export async function startFakeHub(options: {
  repos: Record<string, FakeHubRepo>;
  token?: string;
  /** Old repository names that redirect (307) to their new name, as the Hub does after a rename. */
  renamed?: Record<string, string>;
  /** Origin of the CDN an LFS file redirects to (`https://cdn-lfs.hf.co`); default: this server, by a relative Location. */
  cdnOrigin?: string;
}): Promise<FakeHub> {
  const served = new Map<string, Map<string, Served>>();
  const bySha = new Map<string, Served>();
  for (const [repo, def] of Object.entries(options.repos)) {
    const files = new Map<string, Served>();
    for (const file of def.files) {
      const bytes = file.content ?? readFileSync(file.source ?? "");
      const sha256 = createHash("sha256").update(bytes).digest("hex");
      const entry = { bytes, sha256, lfs: file.lfs ?? true };
      files.set(file.path, entry);
      bySha.set(sha256, entry);
    }
    served.set(repo, files);
  }
  const requests: RecordedRequest[] = [];
  const faults: FakeHubFaults = {};
  let cutsDone = 0;
  let onRequest: FakeHub["onRequest"];
  const etagOf = (value: string): string => (faults.etagForm ?? ((tag: string) => tag))(`"${value}"`);

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://hub");
    const pathname = decodeURIComponent(url.pathname);
    const addressed = req.headers["x-fake-hub-origin"];
    const recorded: RecordedRequest = {
      method: req.method ?? "GET",
      path: pathname,
      range: req.headers.range,
      authorization: req.headers.authorization,
      ifRange: typeof req.headers["if-range"] === "string" ? req.headers["if-range"] : undefined,
      origin: typeof addressed === "string" ? addressed : `http://${req.headers.host ?? ""}`,
    };
    requests.push(recorded);
    onRequest?.(recorded);
    const json = (status: number, body: unknown): void => {
      res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
    };
    const authorized = (repo: string): boolean =>
      !options.repos[repo]?.gated || (options.token !== undefined && req.headers.authorization === `Bearer ${options.token}`);

    const api = /^\/api\/models\/([^/]+\/[^/]+)(?:\/tree\/([^/]+))?$/.exec(pathname);
    if (api) {
      const repo = options.renamed?.[api[1] ?? ""] ?? api[1] ?? "";
      const files = served.get(repo);
      if (!files) return json(404, { error: "Repository not found" });
      const commit = options.repos[repo]?.commit ?? commitOf(repo);
      if (api[2] === undefined) {
        return json(200, { id: repo, sha: commit, gated: options.repos[repo]?.gated ? "auto" : false, siblings: [...files.keys()].map((rfilename) => ({ rfilename })) });
      }
      return json(
        200,
        [...files.entries()].map(([path, f]) => ({
          type: "file",
          oid: createHash("sha1").update(f.bytes).digest("hex"),
          size: f.bytes.length,
          path,
          ...(f.lfs ? { lfs: { oid: f.sha256, size: f.bytes.length, pointerSize: 134 } } : {}),
        })),
      );
    }

    const resolve = /^\/([^/]+\/[^/]+)\/resolve\/([^/]+)\/(.+)$/.exec(pathname);
    const renamedTo = resolve ? options.renamed?.[resolve[1] ?? ""] : undefined;
    if (resolve && renamedTo) {
      res.writeHead(307, { location: `/${renamedTo}/resolve/${resolve[2] ?? ""}/${resolve[3] ?? ""}` }).end();
      return;
    }
    if (resolve) {
      const repo = resolve[1] ?? "";
      const revision = resolve[2] ?? "";
      const file = served.get(repo)?.get(resolve[3] ?? "");
      const commit = options.repos[repo]?.commit ?? commitOf(repo);
      if (!file || (revision !== "main" && revision !== commit)) {
        res.writeHead(404, { "x-error-code": "EntryNotFound" }).end("Entry not found");
        return;
      }
      if (!authorized(repo)) {
        res.writeHead(401, { "x-error-code": "GatedRepo" }).end(`Access to model ${repo} is restricted. You must have access to it and be authenticated to access it. Please log in.`);
        return;
      }
      if (file.lfs) {
        res.writeHead(302, {
          location: `${options.cdnOrigin ?? ""}/cdn-lfs/${repo}/${file.sha256}`,
          "x-repo-commit": commit,
          "x-linked-etag": etagOf(file.sha256),
          "x-linked-size": String(file.bytes.length),
          etag: etagOf(file.sha256),
        });
        res.end();
        return;
      }
      return serveBytes(req, res, file, { "x-repo-commit": commit, etag: etagOf(createHash("sha1").update(file.bytes).digest("hex")) });
    }

    const cdn = /^\/cdn-lfs\/[^/]+\/[^/]+\/([0-9a-f]{64})$/.exec(pathname);
    const blob = cdn ? bySha.get(cdn[1] ?? "") : undefined;
    if (blob) return serveBytes(req, res, blob, { etag: etagOf(blob.sha256) });
    res.writeHead(404).end("Not found");
  });

  function serveBytes(req: http.IncomingMessage, res: http.ServerResponse, file: Served, headers: Record<string, string>): void {
    if (faults.downloadRedirect !== undefined) {
      res.writeHead(302, { location: faults.downloadRedirect, "content-length": "0" }).end();
      return;
    }
    const total = file.bytes.length;
    let start = 0;
    let status = 200;
    const ifRange = req.headers["if-range"];
    const stale = ifRange !== undefined && !faults.ignoreIfRange && ifRange !== headers["etag"];
    const range = faults.ignoreRange || stale ? null : /^bytes=(\d+)-$/.exec(req.headers.range ?? "");
    if (range) {
      start = Number(range[1]);
      if (start >= total) {
        res.writeHead(416, { "content-range": `bytes */${total}` }).end();
        return;
      }
      status = 206;
      headers["content-range"] = `bytes ${start}-${total - 1}/${total}`;
    }
    // A HEAD still states the file's true size: the GET's body is what runs on.
    const extra = req.method === "HEAD" ? 0 : (faults.extraBytes ?? 0);
    res.writeHead(status, { ...headers, "accept-ranges": "bytes", ...(extra > 0 ? {} : { "content-length": String(total - start) }), "content-type": "application/octet-stream" });
    if (req.method === "HEAD") {
      res.end();
      return;
    }
    const body = Buffer.concat([file.bytes, Buffer.alloc(extra, 0x41)]);
    const last = body.length;
    if (faults.corruptByteAt !== undefined && faults.corruptByteAt < total) body[faults.corruptByteAt] = (body[faults.corruptByteAt] ?? 0) ^ 0xff;
    const cut = faults.cutAtBytes !== undefined && cutsDone < (faults.cutTimes ?? 1) && faults.cutAtBytes > start ? faults.cutAtBytes : undefined;
    if (cut !== undefined) cutsDone++;
    const beforeCut = faults.beforeCut;
    const chunk = faults.chunkSize ?? 64 * 1024;
    let position = start;
    const stallAt = faults.stallAtBytes;
    const pump = (): void => {
      if (stallAt !== undefined && position >= stallAt) return;
      if (position >= last) {
        res.end();
        return;
      }
      let end = Math.min(position + chunk, last, stallAt ?? last);
      if (cut !== undefined && end >= cut) {
        end = cut;
        // A FIN after the bytes (not a reset), so the client keeps exactly what was sent.
        res.write(body.subarray(position, end), () => {
          const end = (): void => void res.socket?.end();
          // A failed wait shows in the test's own assertions on the resume point.
          Promise.resolve(beforeCut?.()).then(end, end);
        });
        return;
      }
      res.write(body.subarray(position, end));
      position = end;
      const delay = faults.delayMsPerChunk ?? 0;
      if (delay > 0) setTimeout(pump, delay);
      else setImmediate(pump);
    };
    const beforeBody = faults.beforeBody;
    if (beforeBody) {
      // The headers go out now (Node holds them back until the first byte), so the client has its
      // response and its `.partial` file while the body waits.
      res.flushHeaders();
      // A failed wait shows in the test's own assertions; the download then goes ahead.
      Promise.resolve(beforeBody()).then(pump, pump);
    } else pump();
  }

  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  const close = (): Promise<void> =>
    new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    faults,
    get onRequest() {
      return onRequest;
    },
    set onRequest(hook) {
      onRequest = hook;
    },
    sha256: (repo, file) => served.get(repo)?.get(file)?.sha256 ?? "",
    downloads: (file) => {
      const sha = [...served.values()].map((m) => m.get(file)).find(Boolean)?.sha256;
      return requests.filter((r) => r.method === "GET" && sha !== undefined && r.path.endsWith(`/${sha}`));
    },
    replaceFile: (repo, file, content) => {
      const entry = served.get(repo)?.get(file);
      if (!entry) throw new Error(`no file ${repo}/${file}`);
      const sha256 = createHash("sha256").update(content).digest("hex");
      const next = { bytes: content, sha256, lfs: entry.lfs };
      served.get(repo)?.set(file, next);
      bySha.set(sha256, next);
    },
    routedFetch: (origins) => (input, init) => {
      const url = new URL(input instanceof Request ? input.url : String(input));
      if (!origins.includes(url.origin)) return Promise.reject(new TypeError(`fetch failed: ${url.origin} is not routed to the fake hub`));
      const headers = new Headers(init?.headers);
      headers.set("x-fake-hub-origin", url.origin);
      return globalThis.fetch(`http://127.0.0.1:${port}${url.pathname}${url.search}`, { ...init, headers, redirect: "manual" });
    },
    resetFaults: () => {
      for (const key of Object.keys(faults)) delete faults[key as keyof FakeHubFaults];
      cutsDone = 0;
      onRequest = undefined;
    },
    close,
    [Symbol.asyncDispose]: close,
  };
}
