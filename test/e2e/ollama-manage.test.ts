import { createHash } from "node:crypto";
import { existsSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { Ollama, type ProgressResponse } from "ollama";
import { Ollama as BrowserOllama } from "ollama/browser";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readManifest } from "../../src/models/manifest.js";
import { startServer, type RunningServer } from "../../src/runtime/serve.js";
import { startFakeHub, type FakeHub } from "../helpers/fake-hub.js";
import { CHAT_MODEL_REPLY, hasSharedModels, sharedModels } from "../helpers/shared-models.js";

const CHAT_REF = "hf:wren-test/chat-GGUF:F32";
const STORIES_REF = "hf:wren-test/stories260K-GGUF:F32";
const sha256 = (file: string): string => createHash("sha256").update(readFileSync(file)).digest("hex");
const say = [{ role: "user" as const, content: "Say hello." }];

/** The status code an official client's error carries (ResponseError), or undefined. */
async function statusOf(promise: Promise<unknown>): Promise<{ status: number | undefined; message: string }> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e as { status_code?: number; message: string },
  );
  if (!error) throw new Error("expected the call to fail");
  return { status: error.status_code, message: error.message };
}

/** A wren serve on loopback serving stories260K, pulling from `hub` into the store at `modelsDir`. */
function startStoreServer(hub: FakeHub, modelsDir: string): Promise<RunningServer> {
  return startServer({
    models: [{ path: sharedModels.stories, id: "stories", contextSize: 256, sequences: 1 }],
    host: "127.0.0.1",
    port: 0,
    gpu: "cpu",
    threads: 1,
    env: { HF_ENDPOINT: hub.url },
    store: { modelsDir },
  });
}

describe.runIf(hasSharedModels)("Ollama model management through the official ollama client", () => {
  let hub: FakeHub;
  let modelsDir: string;
  let server: RunningServer;
  let ollama: Ollama;
  let browser: BrowserOllama;
  const tags = async (): Promise<string[]> => (await ollama.list()).models.map((m) => m.name);
  const digests = async (): Promise<Record<string, string>> => Object.fromEntries((await ollama.list()).models.map((m) => [m.name, m.digest]));
  const openaiIds = async (): Promise<string[]> =>
    ((await (await fetch(`${server.url}/v1/models`)).json()) as { data: Array<{ id: string }> }).data.map((m) => m.id);

  beforeAll(async () => {
    hub = await startFakeHub({
      repos: {
        "wren-test/chat-GGUF": { files: [{ path: "synthetic-bigram-chatml-F32.gguf", source: sharedModels.chat }] },
        "wren-test/stories260K-GGUF": { files: [{ path: "stories260K-F32.gguf", source: sharedModels.stories }] },
      },
    });
    modelsDir = await mkdtemp(path.join(os.tmpdir(), "wren-ollama-manage-"));
    server = await startStoreServer(hub, modelsDir);
    ollama = new Ollama({ host: server.url });
    browser = new BrowserOllama({ host: server.url });
  });
  afterAll(async () => {
    await server?.close();
    await hub?.close();
    if (modelsDir) await rm(modelsDir, { recursive: true, force: true });
  });

  it("pulls with Ollama's progress lines into wren's store, then lists and chats with the pulled model", async () => {
    const events: ProgressResponse[] = [];
    for await (const event of await ollama.pull({ model: CHAT_REF, stream: true })) events.push(event);
    const size = statSync(sharedModels.chat).size;
    const digest = `sha256:${sha256(sharedModels.chat)}`;
    expect(events[0]).toEqual({ status: "pulling manifest" });
    const progress = events.filter((e) => e.digest);
    expect(progress.length).toBeGreaterThan(0);
    for (const p of progress) expect(p).toMatchObject({ status: `pulling ${digest.slice(7, 19)}`, digest, total: size });
    expect(progress.map((p) => p.completed)).toEqual([...progress.map((p) => p.completed)].sort((a, b) => a - b));
    expect(progress.at(-1)!.completed).toBe(size);
    expect(events.slice(-3).map((e) => e.status)).toEqual(["verifying sha256 digest", "writing manifest", "success"]);

    const manifest = await readManifest(modelsDir);
    expect(manifest.models.map((m) => m.ref)).toEqual([CHAT_REF]);
    expect(await tags()).toContain(CHAT_REF);
    expect(await openaiIds()).toContain(CHAT_REF);
    const reply = await ollama.chat({ model: CHAT_REF, messages: say });
    expect(reply.message.content).toBe(CHAT_MODEL_REPLY);
  });

  it("pulls without streaming: one success object", async () => {
    expect(await ollama.pull({ model: STORIES_REF })).toEqual({ status: "success" });
    expect(await tags()).toContain(STORIES_REF);
    const text = await ollama.generate({ model: STORIES_REF, prompt: "Once upon a time", raw: true, options: { num_predict: 8, temperature: 0 } });
    expect(text.response).toContain("there was a little girl");
  });

  it("copies a model to a new name and deletes names: the store's file goes once no name serves it", async () => {
    await ollama.copy({ source: CHAT_REF, destination: "chat-copy" });
    expect(await tags()).toEqual(expect.arrayContaining([CHAT_REF, "chat-copy"]));
    // Ollama's copy is the same blob under another name: the same digest.
    const copied = await digests();
    expect(copied["chat-copy"]).toMatch(/^[0-9a-f]{64}$/);
    expect(copied["chat-copy"]).toBe(copied[CHAT_REF]);
    expect(copied["chat-copy"]).not.toBe(copied["stories"]);
    expect((await ollama.chat({ model: "chat-copy", messages: say })).message.content).toBe(CHAT_MODEL_REPLY);
    const stored = path.join(modelsDir, (await readManifest(modelsDir)).models.find((m) => m.ref === CHAT_REF)!.file);

    // Loaded by a chat: deleting unloads it first.
    expect((await ollama.chat({ model: CHAT_REF, messages: say })).message.content).toBe(CHAT_MODEL_REPLY);
    expect((await ollama.ps()).models.map((m) => m.name)).toContain(CHAT_REF);
    await ollama.delete({ model: CHAT_REF });
    expect(await tags()).not.toContain(CHAT_REF);
    expect(await openaiIds()).not.toContain(CHAT_REF);
    expect((await ollama.ps()).models.map((m) => m.name)).not.toContain(CHAT_REF);
    expect(existsSync(stored)).toBe(true); // chat-copy still serves it

    await ollama.delete({ model: "chat-copy" });
    expect(await tags()).not.toContain("chat-copy");
    expect(existsSync(stored)).toBe(false);
    expect((await readManifest(modelsDir)).models.map((m) => m.ref)).toEqual([STORIES_REF]);
    const gone = await statusOf(ollama.chat({ model: "chat-copy", messages: say }));
    expect(gone.status).toBe(404);
  });

  it("creates a model from a GGUF path, from a Modelfile's FROM line and from a served model", async () => {
    // ollama-js' Node entry refuses local paths itself; its browser entry sends them as Ollama's API defines.
    expect(await browser.create({ model: "made", from: sharedModels.chat })).toEqual({ status: "success" });
    expect((await ollama.chat({ model: "made", messages: say })).message.content).toBe(CHAT_MODEL_REPLY);

    const lines: ProgressResponse[] = [];
    const modelfile = { model: "from-modelfile", modelfile: `# tiny\nFROM "${sharedModels.chat}"\n`, stream: true as const };
    for await (const line of await browser.create(modelfile as Parameters<BrowserOllama["create"]>[0] & { stream: true })) lines.push(line);
    expect(lines.at(-1)).toEqual({ status: "success" });
    expect((await ollama.chat({ model: "from-modelfile", messages: say })).message.content).toBe(CHAT_MODEL_REPLY);

    await ollama.create({ model: "stories-too", from: "stories" });
    expect(await tags()).toEqual(expect.arrayContaining(["made", "from-modelfile", "stories-too"]));
    // Made from the same file, as Ollama's create from the same blob: the same digest.
    const made = await digests();
    expect(made["from-modelfile"]).toBe(made["made"]);
    expect(made["stories-too"]).toBe(made["stories"]);
    expect(made["made"]).not.toBe(made["stories"]);
    // A user's own file is served, never deleted.
    await ollama.delete({ model: "made" });
    await ollama.delete({ model: "from-modelfile" });
    expect(existsSync(sharedModels.chat)).toBe(true);
  });

  it("ends a streamed pull whose download turns out corrupt with Ollama's error line, serving nothing", async () => {
    hub.faults.corruptByteAt = 1000;
    try {
      const seen: ProgressResponse[] = [];
      const failed = await (async () => {
        for await (const event of await ollama.pull({ model: CHAT_REF, stream: true })) seen.push(event);
      })().then(
        () => undefined,
        (e: unknown) => e as Error,
      );
      expect(failed?.message).toMatch(/is corrupt: its SHA-256 is [0-9a-f]{64}, the Hub publishes/);
      expect(seen.some((e) => e.digest)).toBe(true); // it had started: the error came as a line
      expect(seen.map((e) => e.status)).not.toContain("success");
    } finally {
      hub.resetFaults();
    }
    expect(await tags()).not.toContain(CHAT_REF);
    expect((await readManifest(modelsDir)).models.map((m) => m.ref)).not.toContain(CHAT_REF);
  });

  it("tells a second client pulling the same model meanwhile that it waits, and both share one download", async () => {
    const file = "synthetic-bigram-chatml-F32.gguf";
    const before = hub.downloads(file).length;
    let release = (): void => undefined;
    const held = new Promise<void>((resolve) => (release = resolve));
    let bodyAsked = (): void => undefined;
    const downloading = new Promise<void>((resolve) => (bodyAsked = resolve));
    hub.faults.beforeBody = () => {
      bodyAsked();
      return held;
    };
    try {
      const first = ollama.pull({ model: CHAT_REF });
      await downloading;
      const events: ProgressResponse[] = [];
      for await (const event of await ollama.pull({ model: CHAT_REF, stream: true })) {
        events.push(event);
        if (event.status.includes("waiting for it to finish")) release();
      }
      expect(await first).toEqual({ status: "success" });
      expect(events[0]).toEqual({ status: "pulling manifest" });
      expect(events[1]?.status).toMatch(/^Another wren process \(pid \d+ on .+\) is downloading hf:wren-test\/chat-GGUF:F32; waiting for it to finish\.$/);
      expect(events.at(-1)).toEqual({ status: "success" });
    } finally {
      release();
      hub.resetFaults();
    }
    expect(hub.downloads(file).length - before).toBe(1);
    expect((await tags()).filter((name) => name === CHAT_REF)).toHaveLength(1);
    await ollama.delete({ model: CHAT_REF });
  });

  it("answers a Hub failure after the pull started as Ollama's error line, and a refusal before it with its status", async () => {
    const failed = await (async () => {
      for await (const event of await ollama.pull({ model: "hf:wren-test/no-such-repo-GGUF:Q8_0", stream: true })) expect(event).toEqual({ status: "pulling manifest" });
    })().then(
      () => undefined,
      (e: unknown) => e as Error & { status_code?: number },
    );
    expect(failed?.message).toMatch(/no-such-repo/);
    expect(failed?.status_code).toBeUndefined(); // a line in a 200 stream, as Ollama sends it
    expect((await statusOf(ollama.pull({ model: sharedModels.chat, stream: true }))).status).toBe(400);
  });

  it("refuses what it cannot do with Ollama's {error} and a 4xx status, and keeps serving", async () => {
    const notGguf = path.join(modelsDir, "notes.gguf");
    writeFileSync(notGguf, "just text, not a model\n");
    const cases: Array<[() => Promise<unknown>, number, RegExp]> = [
      [() => browser.create({ model: "bad", from: notGguf }), 400, /notes\.gguf/],
      [() => browser.create({ model: "bad", from: path.join(modelsDir, "missing.gguf") }), 404, /missing\.gguf/],
      [() => browser.create({ model: "bad", from: "no-such-model" }), 404, /neither a model served here/],
      [() => browser.create({ model: "bad", modelfile: `FROM ${sharedModels.chat}\nSYSTEM be brief` } as never), 400, /SYSTEM instruction is not supported/],
      [() => browser.create({ model: "bad", from: sharedModels.chat, quantize: "q4_K_M" }), 400, /quantize is not supported/],
      [() => browser.create({ model: "stories", from: sharedModels.chat }), 400, /already served/],
      [() => ollama.copy({ source: "ghost", destination: "x" }), 404, /Cannot copy 'ghost'/],
      [() => ollama.delete({ model: "ghost" }), 404, /Cannot delete 'ghost'/],
      [() => ollama.delete({ model: "auto" }), 404, /Cannot delete 'auto'/],
      [() => ollama.delete({ model: "stories" }), 400, /router's local model/],
      [() => ollama.pull({ model: sharedModels.chat }), 400, /is a file path/],
      [() => ollama.pull({ model: "hf:wren-test/no-such-repo-GGUF:Q8_0" }), 404, /no-such-repo/],
    ];
    for (const [call, status, message] of cases) {
      const error = await statusOf(call());
      expect({ status: error.status, message: error.message }).toMatchObject({ status });
      expect(error.message).toMatch(message);
    }
    expect(await tags()).not.toContain("bad");
    expect((await ollama.generate({ model: "stories", prompt: "Once upon a time", raw: true, options: { num_predict: 4, temperature: 0 } })).done).toBe(true);
  });
});

describe.runIf(hasSharedModels)("Ollama model management follows the server's key and pull rules", () => {
  let server: RunningServer;
  let modelsDir: string;

  beforeAll(async () => {
    modelsDir = await mkdtemp(path.join(os.tmpdir(), "wren-ollama-rules-"));
    server = await startServer({
      models: [{ path: sharedModels.stories, id: "stories", contextSize: 256, sequences: 1 }],
      host: "127.0.0.1",
      port: 0,
      gpu: "cpu",
      threads: 1,
      apiKey: "sekret",
      allowPull: false,
      // A Hub address nothing answers: a pull that got through would fail differently.
      env: { HF_ENDPOINT: "http://127.0.0.1:9" },
      store: { modelsDir },
    });
  });
  afterAll(async () => {
    await server?.close();
    if (modelsDir) await rm(modelsDir, { recursive: true, force: true });
  });

  it("needs the API key for every management call, and refuses pulls when server.allowPull is off", async () => {
    const anonymous = new Ollama({ host: server.url });
    expect((await statusOf(anonymous.pull({ model: CHAT_REF }))).status).toBe(401);
    expect((await statusOf(anonymous.delete({ model: "stories" }))).status).toBe(401);
    expect((await statusOf(anonymous.copy({ source: "stories", destination: "s2" }))).status).toBe(401);
    expect((await statusOf(anonymous.create({ model: "s3", from: "stories" }))).status).toBe(401);

    const keyed = new Ollama({ host: server.url, headers: { Authorization: "Bearer sekret" } });
    const refused = await statusOf(keyed.pull({ model: CHAT_REF, stream: true }));
    expect(refused.status).toBe(403);
    expect(refused.message).toMatch(/Pulling models is turned off on this server/);
    expect((await readManifest(modelsDir)).models).toEqual([]);
    await keyed.copy({ source: "stories", destination: "s2" });
    expect((await keyed.list()).models.map((m) => m.name)).toEqual(["stories", "s2"]);
  });
});

describe.runIf(hasSharedModels)("Ollama model management with two quantisations of one repository stored", () => {
  const REPO = "hf:wren-test/two-quants-GGUF";
  let hub: FakeHub;
  let modelsDir: string;
  let server: RunningServer;
  let ollama: Ollama;

  beforeAll(async () => {
    hub = await startFakeHub({
      repos: {
        "wren-test/two-quants-GGUF": {
          files: [
            { path: "two-quants-F32.gguf", source: sharedModels.stories },
            { path: "two-quants-Q8_0.gguf", source: sharedModels.chat },
          ],
        },
      },
    });
    modelsDir = await mkdtemp(path.join(os.tmpdir(), "wren-ollama-quants-"));
    server = await startStoreServer(hub, modelsDir);
    ollama = new Ollama({ host: server.url });
  });
  afterAll(async () => {
    await server?.close();
    await hub?.close();
    if (modelsDir) await rm(modelsDir, { recursive: true, force: true });
  });

  it("deletes, shows and copies a model only by its full name, and refuses to pull by the repository's name alone", async () => {
    await ollama.pull({ model: `${REPO}:F32` });
    await ollama.pull({ model: `${REPO}:Q8_0` });
    const stored = async (): Promise<string[]> => (await readManifest(modelsDir)).models.map((m) => m.ref);
    const files = (await readManifest(modelsDir)).models.map((m) => path.join(modelsDir, m.file));
    expect(await stored()).toEqual([`${REPO}:F32`, `${REPO}:Q8_0`]);

    const deleted = await statusOf(ollama.delete({ model: REPO }));
    expect(deleted.status).toBe(404);
    expect(deleted.message).toContain(`Cannot delete '${REPO}'`);
    expect((await statusOf(ollama.show({ model: REPO }))).message).toMatch(new RegExp(`Use one of: .*${REPO}:F32, ${REPO}:Q8_0`));
    expect((await statusOf(ollama.copy({ source: REPO, destination: "copied" }))).status).toBe(404);
    // A pull by the repository's name would serve the store's first quantisation under that name,
    // for a later delete of the name to remove from the store.
    for (const stream of [true, false]) {
      const pulled = await statusOf(stream ? ollama.pull({ model: REPO, stream: true }) : ollama.pull({ model: REPO }));
      expect(pulled.status).toBe(400);
      expect(pulled.message).toContain(`'${REPO}' names 2 models in wren's store: ${REPO}:F32, ${REPO}:Q8_0. Nothing was pulled.`);
      expect(pulled.message).toContain(`{"model": "${REPO}:F32"} or {"model": "${REPO}:Q8_0"}`);
    }
    expect(await stored()).toEqual([`${REPO}:F32`, `${REPO}:Q8_0`]);
    for (const file of files) expect(existsSync(file)).toBe(true);
    expect((await ollama.list()).models.map((m) => m.name)).toEqual(["stories", `${REPO}:F32`, `${REPO}:Q8_0`]);

    await ollama.delete({ model: `${REPO}:Q8_0` });
    expect(await stored()).toEqual([`${REPO}:F32`]);
    expect(files.map((file) => existsSync(file))).toEqual([true, false]);

    // One quantisation left: the repository's name pulls it, without a download, and serves it under that name.
    const downloads = hub.downloads("two-quants-F32.gguf").length;
    expect(await ollama.pull({ model: REPO })).toEqual({ status: "success" });
    expect(hub.downloads("two-quants-F32.gguf").length).toBe(downloads);
    expect((await ollama.list()).models.find((m) => m.name === REPO)?.size).toBe(statSync(files[0]!).size);
  });
});
