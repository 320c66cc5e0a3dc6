import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { WrenError } from "../shared/errors.js";
import { startFakeHub, type FakeHub } from "../../test/helpers/fake-hub.js";
import type { DownloadProgress } from "./download.js";
import { pullModel } from "./pull.js";
import { urlStorePath } from "./store.js";

/** Servers that send other bytes than the file, or stop sending: nothing wrong is ever stored as the model. */
describe("a download whose bytes are not the file's", () => {
  const SIZE = 300_000;
  const HALF = 150_000;
  const lfsContent = randomBytes(SIZE);
  const plainContent = randomBytes(SIZE);
  let hub: FakeHub;
  let modelsDir: string;
  const REPO = "wren-test/integrity-GGUF";

  beforeAll(async () => {
    hub = await startFakeHub({
      repos: {
        [REPO]: {
          files: [
            { path: "lfs-Q8_0.gguf", content: lfsContent },
            { path: "plain-Q4_0.gguf", content: plainContent, lfs: false },
          ],
        },
      },
    });
  });
  afterAll(async () => hub.close());
  beforeEach(() => {
    modelsDir = mkdtempSync(path.join(os.tmpdir(), "wren-pull-integrity-"));
    hub.requests.length = 0;
    hub.resetFaults();
  });

  const stored = (file: string): string => path.join(modelsDir, "hf", REPO, file);
  const sizeOnDisk = (file: string): number => (existsSync(file) ? statSync(file).size : 0);

  it("a connection that stalls is dropped with a message that says so, keeping what arrived to resume", async () => {
    hub.faults.stallAtBytes = HALF;
    const reports: DownloadProgress[] = [];
    const started = Date.now();
    const error = await pullModel(`hf:${REPO}:Q8_0`, { modelsDir, env: { HF_ENDPOINT: hub.url }, retries: 0, stallTimeoutMs: 400, onProgress: (p) => reports.push(p) }).catch((e: unknown) => e);
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(error).toBeInstanceOf(WrenError);
    expect((error as WrenError).code).toBe("download_failed");
    expect((error as WrenError).message).toMatch(/interrupted after 150000 bytes: no data arrived from 127\.0\.0\.1:\d+ for 400 ms/);
    expect((error as WrenError).hint).toMatch(/resumes/);
    expect(reports.some((p) => p.received === HALF)).toBe(true);
    expect(existsSync(stored("lfs-Q8_0.gguf"))).toBe(false);
    expect(sizeOnDisk(`${stored("lfs-Q8_0.gguf")}.partial`)).toBe(HALF);

    hub.resetFaults();
    const resumed = await pullModel(`hf:${REPO}:Q8_0`, { modelsDir, env: { HF_ENDPOINT: hub.url } });
    expect(readFileSync(resumed.path).equals(lfsContent)).toBe(true);
    expect(hub.downloads("lfs-Q8_0.gguf").at(-1)?.range).toBe(`bytes=${HALF}-`);
  }, 20_000);

  it("within one pull, a stalled connection is resumed like a cut one", async () => {
    hub.faults.stallAtBytes = HALF;
    hub.onRequest = (request) => {
      // The second GET (the resume) is served whole.
      if (request.method === "GET" && request.range !== undefined) hub.faults.stallAtBytes = undefined;
    };
    const status: string[] = [];
    const result = await pullModel(`hf:${REPO}:Q8_0`, { modelsDir, env: { HF_ENDPOINT: hub.url }, stallTimeoutMs: 300, onStatus: (line) => status.push(line) });
    expect(readFileSync(result.path).equals(lfsContent)).toBe(true);
    expect(status).toEqual([expect.stringMatching(/^lfs-Q8_0\.gguf: no data arrived from 127\.0\.0\.1:\d+ for 300 ms; resuming \(try 2 of 4\)\.$/)]);
    expect(hub.downloads("lfs-Q8_0.gguf").map((r) => r.range)).toEqual([undefined, `bytes=${HALF}-`]);
  }, 20_000);

  it("a connection that drips is not cut while bytes keep coming, and progress keeps being reported", async () => {
    hub.faults.chunkSize = 16_384;
    hub.faults.delayMsPerChunk = 40;
    const reports: DownloadProgress[] = [];
    const result = await pullModel(`hf:${REPO}:Q8_0`, { modelsDir, env: { HF_ENDPOINT: hub.url }, retries: 0, stallTimeoutMs: 2000, onProgress: (p) => reports.push(p) });
    expect(readFileSync(result.path).equals(lfsContent)).toBe(true);
    expect(reports.filter((p) => !p.verifying && !p.done).length).toBeGreaterThanOrEqual(Math.floor(SIZE / 16_384));
  }, 20_000);

  for (const lfs of [true, false]) {
    const file = lfs ? "lfs-Q8_0.gguf" : "plain-Q4_0.gguf";
    it(`more bytes than the file has stop the download at once and leave nothing (${lfs ? "an LFS file" : "a plain file"})`, async () => {
      hub.faults.extraBytes = 5_000_000;
      const error = await pullModel(`hf:${REPO}/${file}`, { modelsDir, env: { HF_ENDPOINT: hub.url }, retries: 0 }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(WrenError);
      expect((error as WrenError).message).toBe(`The server sent more of ${file} than its ${SIZE} bytes; the download was deleted.`);
      expect((error as WrenError).hint).toMatch(/Run the pull again/);
      expect(existsSync(stored(file))).toBe(false);
      expect(existsSync(`${stored(file)}.partial`)).toBe(false);
    });
  }

  it("fewer bytes than Content-Length: the pull fails as interrupted, and only a .partial file is left", async () => {
    hub.faults.cutAtBytes = HALF;
    hub.faults.beforeCut = () => vi.waitFor(() => expect(sizeOnDisk(`${stored("plain-Q4_0.gguf")}.partial`)).toBe(HALF), { timeout: 10_000, interval: 10 });
    const error = await pullModel(`hf:${REPO}/plain-Q4_0.gguf`, { modelsDir, env: { HF_ENDPOINT: hub.url }, retries: 0 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WrenError);
    expect((error as WrenError).message).toMatch(/interrupted after 150000 bytes/);
    expect(existsSync(stored("plain-Q4_0.gguf"))).toBe(false);
    expect(sizeOnDisk(`${stored("plain-Q4_0.gguf")}.partial`)).toBe(HALF);
  });

  describe("a file without a SHA-256 that changes at its source between a cut and the resume of one pull", () => {
    const v2 = randomBytes(SIZE);
    const cutThenChange = (): void => {
      hub.faults.cutAtBytes = HALF;
      hub.faults.beforeCut = async () => {
        await vi.waitFor(() => expect(sizeOnDisk(`${stored("plain-Q4_0.gguf")}.partial`)).toBe(HALF), { timeout: 10_000, interval: 10 });
        hub.replaceFile(REPO, "plain-Q4_0.gguf", v2);
      };
    };
    afterAll(() => hub.replaceFile(REPO, "plain-Q4_0.gguf", plainContent));

    it("the resume asks with If-Range, and the server's whole new version is taken, never the old one's half glued to it", async () => {
      hub.replaceFile(REPO, "plain-Q4_0.gguf", plainContent);
      cutThenChange();
      const result = await pullModel(`hf:${REPO}/plain-Q4_0.gguf`, { modelsDir, env: { HF_ENDPOINT: hub.url } });
      const resumes = hub.requests.filter((r) => r.method === "GET" && r.range !== undefined);
      expect(resumes.map((r) => r.ifRange)).toEqual([expect.stringMatching(/^"[0-9a-f]{40}"$/)]);
      expect(readFileSync(result.path).equals(v2)).toBe(true);
    });

    it("a server that ignores If-Range and sends the new version's rest (206, another ETag): refused, nothing kept", async () => {
      hub.replaceFile(REPO, "plain-Q4_0.gguf", plainContent);
      cutThenChange();
      hub.faults.ignoreIfRange = true;
      const error = await pullModel(`hf:${REPO}/plain-Q4_0.gguf`, { modelsDir, env: { HF_ENDPOINT: hub.url } }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(WrenError);
      expect((error as WrenError).message).toMatch(/^plain-Q4_0\.gguf changed at its source during the download \(ETag [0-9a-f]{40} then, [0-9a-f]{40} now\)/);
      expect((error as WrenError).hint).toMatch(/Run the same command again/);
      expect(existsSync(stored("plain-Q4_0.gguf"))).toBe(false);
      expect(existsSync(`${stored("plain-Q4_0.gguf")}.partial`)).toBe(false);

      hub.resetFaults();
      const again = await pullModel(`hf:${REPO}/plain-Q4_0.gguf`, { modelsDir, env: { HF_ENDPOINT: hub.url } });
      expect(readFileSync(again.path).equals(v2)).toBe(true);
    });
  });
});

/** A server that refuses every resume (416) of a file whose size it does not state: the pull starts over, never keeps the old bytes. */
describe("a resume answered 416", () => {
  it("starts over from the first byte and stores the whole file", async () => {
    const content = randomBytes(120_000);
    const server = http.createServer((req, res) => {
      if (req.headers.range) {
        res.writeHead(416, { "content-range": "bytes */*" }).end();
        return;
      }
      res.writeHead(200, { "transfer-encoding": "chunked" });
      res.end(req.method === "HEAD" ? undefined : content);
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/files/refuse-Q8_0.gguf`;
      const modelsDir = mkdtempSync(path.join(os.tmpdir(), "wren-pull-416-"));
      const dest = path.join(modelsDir, urlStorePath(url));
      mkdirSync(path.dirname(dest), { recursive: true });
      writeFileSync(`${dest}.partial`, randomBytes(50_000));
      const status: string[] = [];
      const result = await pullModel(url, { modelsDir, env: {}, onStatus: (line) => status.push(line) });
      expect(readFileSync(result.path).equals(content)).toBe(true);
      expect(status.join("\n")).toMatch(/refused to resume at 50000 bytes \(416\); starting over/);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
