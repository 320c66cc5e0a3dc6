import { randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, readdirSync, readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { WrenError } from "../shared/errors.js";
import { startFakeHub, type FakeHub } from "../../test/helpers/fake-hub.js";
import { pullModel } from "./pull.js";

const HUB = "https://huggingface.co";
const CDN = "https://cdn-lfs.hf.co";
const TOKEN = "hf_TOKENthatMustNeverLeak123";

/**
 * Where a download may be sent, and who may see the Hub token: the Hub and its CDN stood in for, on
 * their public https addresses, by one local server (`routedFetch`).
 */
describe("redirects and the Hub token", () => {
  const lfsContent = randomBytes(150_000);
  const plainContent = randomBytes(90_000);
  let hub: FakeHub;
  let modelsDir: string;

  beforeAll(async () => {
    hub = await startFakeHub({
      token: TOKEN,
      cdnOrigin: CDN,
      repos: {
        "wren-test/trust-GGUF": {
          gated: true,
          files: [
            { path: "trust-Q8_0.gguf", content: lfsContent },
            { path: "plain-Q4_0.gguf", content: plainContent, lfs: false },
          ],
        },
        "wren-test/open-GGUF": { files: [{ path: "plain-Q4_0.gguf", content: plainContent, lfs: false }] },
      },
    });
  });
  afterAll(async () => hub.close());
  beforeEach(() => {
    modelsDir = mkdtempSync(path.join(os.tmpdir(), "wren-pull-trust-"));
    hub.requests.length = 0;
    hub.resetFaults();
  });

  const pull = (ref: string, routes: string[], env: Record<string, string> = { HF_ENDPOINT: HUB, HF_TOKEN: TOKEN }): Promise<unknown> =>
    pullModel(ref, { modelsDir, env, fetch: hub.routedFetch(routes), retries: 0 }).catch((e: unknown) => e);
  /** Every file the models folder holds, by path inside it (no `.locks`). */
  const filesOnDisk = (): string[] =>
    readdirSync(modelsDir, { recursive: true, withFileTypes: true })
      .filter((d) => d.isFile() && !d.parentPath.includes(".locks"))
      .map((d) => path.relative(modelsDir, path.join(d.parentPath, d.name)));

  it("the token goes to the Hub, never to the CDN it redirects to, and the file arrives whole", async () => {
    const result = await pull("hf:wren-test/trust-GGUF:Q8_0", [HUB, CDN]);
    expect(result).not.toBeInstanceOf(Error);
    expect(readFileSync(path.join(modelsDir, "hf/wren-test/trust-GGUF/trust-Q8_0.gguf")).equals(lfsContent)).toBe(true);
    expect(hub.requests.filter((r) => r.origin === HUB && r.path.includes("/resolve/")).every((r) => r.authorization === `Bearer ${TOKEN}`)).toBe(true);
    expect(hub.requests.filter((r) => r.origin === CDN).length).toBeGreaterThan(0);
    expect(hub.requests.filter((r) => r.origin !== HUB && r.authorization !== undefined)).toEqual([]);
  });

  it("a file on the Hub whose download redirects to another host: the token stays behind", async () => {
    const elsewhere = "https://elsewhere.example";
    // Only the Hub's GET of the plain file is sent on; elsewhere.example serves its bytes.
    hub.onRequest = (request) => {
      const redirected = request.method === "GET" && request.origin === HUB && request.path.endsWith("/plain-Q4_0.gguf");
      hub.faults.downloadRedirect = redirected ? `${elsewhere}${request.path}` : undefined;
    };
    const result = await pull("hf:wren-test/open-GGUF/plain-Q4_0.gguf", [HUB, elsewhere]);
    expect(result).not.toBeInstanceOf(Error);
    expect(readFileSync(path.join(modelsDir, "hf/wren-test/open-GGUF/plain-Q4_0.gguf")).equals(plainContent)).toBe(true);
    expect(hub.requests.some((r) => r.origin === HUB && r.method === "GET" && r.authorization === `Bearer ${TOKEN}`)).toBe(true);
    expect(hub.requests.filter((r) => r.origin === elsewhere).length).toBeGreaterThan(0);
    expect(hub.requests.filter((r) => r.origin !== HUB && r.authorization !== undefined)).toEqual([]);
  });

  it("a redirect from https to plain http is refused with a clear error; nothing is fetched over http", async () => {
    await using other = await startFakeHub({ token: TOKEN, cdnOrigin: "http://cdn-lfs.hf.co", repos: { "wren-test/trust-GGUF": { gated: true, files: [{ path: "trust-Q8_0.gguf", content: lfsContent }] } } });
    const error = await pullModel("hf:wren-test/trust-GGUF:Q8_0", {
      modelsDir,
      env: { HF_ENDPOINT: HUB, HF_TOKEN: TOKEN },
      fetch: other.routedFetch([HUB, "http://cdn-lfs.hf.co"]),
      retries: 0,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WrenError);
    expect((error as WrenError).message).toMatch(/redirected the download of trust-Q8_0\.gguf to http:\/\/cdn-lfs\.hf\.co, plain http/);
    expect(other.requests.filter((r) => r.origin.startsWith("http:"))).toEqual([]);
    expect(filesOnDisk()).toEqual([]);
  });

  it("a download redirected from https to plain http at GET time is refused too", async () => {
    hub.faults.downloadRedirect = "http://cdn-lfs.hf.co/somewhere";
    const error = await pull("hf:wren-test/trust-GGUF:Q8_0", [HUB, CDN, "http://cdn-lfs.hf.co"]);
    expect(error).toBeInstanceOf(WrenError);
    expect((error as WrenError).message).toMatch(/plain http/);
    expect(hub.requests.filter((r) => r.origin.startsWith("http:"))).toEqual([]);
    expect(filesOnDisk().filter((f) => !f.endsWith(".partial.version"))).toEqual([]);
  });

  for (const target of ["https://127.0.0.1:9", "https://10.1.2.3", "https://169.254.169.254", "https://[::1]:9", "https://localhost:9"]) {
    it(`a redirect from the internet to ${target} (this machine or its private network) is refused`, async () => {
      hub.faults.downloadRedirect = `${target}/latest/meta-data`;
      const error = await pull("hf:wren-test/trust-GGUF:Q8_0", [HUB, CDN]);
      expect(error).toBeInstanceOf(WrenError);
      expect((error as WrenError).message).toMatch(/an address on this machine or its private network; wren does not follow it/);
      expect((error as WrenError).hint).toMatch(/HF_ENDPOINT/);
    });
  }

  it("a redirect loop ends with a clear error, not a hang or a network error", async () => {
    await using local = await startFakeHub({ repos: { "wren-test/loop-GGUF": { files: [{ path: "loop-Q8_0.gguf", content: lfsContent }] } } });
    local.faults.downloadRedirect = `/cdn-lfs/wren-test/loop-GGUF/${local.sha256("wren-test/loop-GGUF", "loop-Q8_0.gguf")}`;
    const error = await pullModel("hf:wren-test/loop-GGUF:Q8_0", { modelsDir, env: { HF_ENDPOINT: local.url }, retries: 0 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WrenError);
    expect((error as WrenError).code).toBe("upstream_error");
    expect((error as WrenError).message).toMatch(/redirected more than 5 times/);
    expect(local.downloads("loop-Q8_0.gguf").length).toBeLessThanOrEqual(7);
  });

  it("the token is not sent to a Hub over plain http beyond this machine, and the 401 says why", async () => {
    const plainHub = "http://hub.example";
    const error = await pull("hf:wren-test/trust-GGUF:Q8_0", [plainHub], { HF_ENDPOINT: plainHub, HF_TOKEN: TOKEN });
    expect(hub.requests.filter((r) => r.authorization !== undefined)).toEqual([]);
    expect(error).toBeInstanceOf(WrenError);
    expect((error as WrenError).code).toBe("unauthorized");
    expect((error as WrenError).message).toMatch(/did not send HF_TOKEN: http:\/\/hub\.example is plain http/);
    expect((error as WrenError).hint).toMatch(/https/);
  });

  it("HF_TOKEN appears in no error, hint, status line or progress report", async () => {
    const seen: unknown[] = [];
    const run = async (ref: string, routes: string[], env: Record<string, string>): Promise<void> => {
      const error = await pullModel(ref, {
        modelsDir: mkdtempSync(path.join(os.tmpdir(), "wren-pull-trust-")),
        env,
        fetch: hub.routedFetch(routes),
        retries: 0,
        onStatus: (line) => seen.push(line),
        onProgress: (progress) => seen.push(progress),
      }).catch((e: unknown) => e);
      seen.push(error instanceof WrenError ? { message: error.message, hint: error.hint, stack: error.stack, cause: String(error.cause) } : error);
    };
    const env = { HF_ENDPOINT: HUB, HF_TOKEN: TOKEN };
    await run("hf:wren-test/trust-GGUF:Q8_0", [HUB, CDN], env);
    await run("hf:wren-test/trust-GGUF:Q8_0", [HUB], env); // the CDN unreachable
    await run("hf:wren-test/trust-GGUF:Q8_0", [HUB, CDN], { ...env, HF_TOKEN: `${TOKEN}x` }); // a wrong token: 401
    await run("hf:wren-test/nope-GGUF:Q8_0", [HUB, CDN], env); // 404
    hub.faults.corruptByteAt = 10;
    await run("hf:wren-test/trust-GGUF:Q8_0", [HUB, CDN], env); // checksum mismatch
    hub.faults.corruptByteAt = undefined;
    hub.faults.cutAtBytes = 1000;
    await run("hf:wren-test/trust-GGUF:Q8_0", [HUB, CDN], env); // cut
    hub.faults.cutAtBytes = undefined;
    await run("hf:wren-test/trust-GGUF:Q8_0", [], env); // the Hub unreachable
    expect(seen.length).toBeGreaterThan(7);
    expect(JSON.stringify(seen)).not.toContain(TOKEN.slice(3));
  });
});

describe("file names a hostile Hub lists", () => {
  for (const name of ["../../evil-Q4_K_M.gguf", "/tmp/evil-Q4_K_M.gguf", "C:/evil-Q4_K_M.gguf", "C:evil-Q4_K_M.gguf", "sub\\..\\..\\evil-Q4_K_M.gguf", "sub/../../evil-Q4_K_M.gguf", ".. /.. /evil-Q4_K_M.gguf", "sub./evil-Q4_K_M.gguf", "x.gguf:stream/evil-Q4_K_M.gguf"]) {
    it(`"${name}" is refused before anything is downloaded, and nothing lands outside the models folder`, async () => {
      await using hostile = await startFakeHub({ repos: { "wren-test/hostile-GGUF": { files: [{ path: name, content: randomBytes(1000) }] } } });
      const root = mkdtempSync(path.join(os.tmpdir(), "wren-pull-hostile-"));
      const modelsDir = path.join(root, "a", "b", "models");
      const error = await pullModel("hf:wren-test/hostile-GGUF", { modelsDir, env: { HF_ENDPOINT: hostile.url }, retries: 0 }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(WrenError);
      expect((error as WrenError).message).toMatch(/would leave the models folder/);
      expect(hostile.requests.filter((r) => r.method === "GET" && !r.path.startsWith("/api/"))).toEqual([]);
      expect(readdirSync(root, { recursive: true }).filter((f) => String(f).includes("evil"))).toEqual([]);
      expect(existsSync("/tmp/evil-Q4_K_M.gguf")).toBe(false);
    });
  }
});
