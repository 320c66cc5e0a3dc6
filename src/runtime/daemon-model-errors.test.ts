import Anthropic from "@anthropic-ai/sdk";
import { mkdtempSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { Ollama } from "ollama";
import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { u32, writeSyntheticModel } from "../../test/helpers/gguf-writer.js";
import { CHAT_MODEL_REPLY, hasSharedModels, projectRoot, sharedModels } from "../../test/helpers/shared-models.js";
import { daemonStatus, startDaemon, stopDaemon } from "./daemon.js";

/** The real `wren serve --daemon`, run from its sources. */
const command = [process.execPath, "--import", pathToFileURL(path.join(projectRoot, "node_modules/tsx/dist/loader.mjs")).href, path.join(projectRoot, "src/bin/cli.ts")];

/**
 * A daemon serving a good model beside two that cannot load: one whose configured context needs far
 * more memory than any machine has (`model_too_large`, refused before llama.cpp sees it), and one
 * whose header passes wren's checks but whose hyperparameters llama.cpp rejects (`model_load_failed`).
 * Each client hears why in its own dialect, and the daemon goes on serving.
 */
describe.runIf(hasSharedModels)("the daemon asked for a model that cannot load", () => {
  const home = realpathSync(mkdtempSync(path.join(os.tmpdir(), "wren-daemon-model-errors-")));
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    WREN_HOME: home,
    HOME: home,
    XDG_CONFIG_HOME: path.join(home, ".config"),
    OLLAMA_MODELS: path.join(home, "no-ollama"),
    WREN_MODELS_DEFAULT: "",
    WREN_ENGINE_GPU: "cpu",
    WREN_ENGINE_THREADS: "1",
  };
  let url = "";
  let openai: OpenAI;
  let anthropic: Anthropic;
  let ollama: Ollama;

  beforeAll(async () => {
    // A 2^30-token training context, asked for in full: its KV cache alone is hundreds of GB.
    const huge = path.join(home, "huge.gguf");
    await writeSyntheticModel(huge, { contextLength: 2 ** 30 });
    // embedding_length says 128, the tensors are 64 wide: llama.cpp fails the load ("invalid n_rot").
    const broken = path.join(home, "broken.gguf");
    await writeSyntheticModel(broken, { overrideKeys: { "llama.embedding_length": u32(128) } });
    writeFileSync(
      path.join(home, "config.toml"),
      [
        "[[server.models]]",
        'id = "chat"',
        `ref = ${JSON.stringify(sharedModels.chat)}`,
        "contextSize = 512",
        "[[server.models]]",
        'id = "huge"',
        `ref = ${JSON.stringify(huge)}`,
        `contextSize = ${2 ** 30}`,
        "[[server.models]]",
        'id = "broken"',
        `ref = ${JSON.stringify(broken)}`,
        "",
      ].join("\n"),
    );
    const started = await startDaemon({ env, command, serveArgs: ["--port", "0"], startTimeoutMs: 90_000 });
    url = started.state.url;
    openai = new OpenAI({ baseURL: `${url}/v1`, apiKey: "unused", maxRetries: 0 });
    anthropic = new Anthropic({ baseURL: url, apiKey: "unused", maxRetries: 0 });
    ollama = new Ollama({ host: url });
  }, 120_000);
  afterAll(async () => {
    await stopDaemon({ env, stopTimeoutMs: 10_000 }).catch(() => undefined);
    rmSync(home, { recursive: true, force: true });
  });

  const failure = (promise: Promise<unknown>): Promise<unknown> => promise.then(() => undefined, (error: unknown) => error);
  const chatReply = async (): Promise<string | null | undefined> =>
    (await openai.chat.completions.create({ model: "chat", messages: [{ role: "user", content: "hi" }], max_tokens: 16, temperature: 0 })).choices[0]?.message.content;

  it("answers an OpenAI client 507 model_too_large, saying what does not fit, streamed or not, then serves the next request", async () => {
    const error = await failure(openai.chat.completions.create({ model: "huge", messages: [{ role: "user", content: "hi" }], max_tokens: 8 }));
    expect(error).toBeInstanceOf(OpenAI.APIError);
    expect(error).toMatchObject({ status: 507, code: "model_too_large", type: "server_error" });
    expect((error as Error).message).toMatch(/It will not fit: .*huge.* free RAM/);
    const streamed = await failure(
      (async () => {
        for await (const _ of await openai.chat.completions.create({ model: "huge", messages: [{ role: "user", content: "hi" }], max_tokens: 8, stream: true })) void _;
      })(),
    );
    expect(streamed).toMatchObject({ status: 507, code: "model_too_large" });
    expect(await chatReply()).toBe(CHAT_MODEL_REPLY);
  });

  it("answers an Anthropic client 500 api_error for a model llama.cpp cannot load, and again on the next try", async () => {
    for (let i = 0; i < 2; i++) {
      const error = await failure(anthropic.messages.create({ model: "broken", max_tokens: 8, messages: [{ role: "user", content: "hi" }] }));
      expect(error).toBeInstanceOf(Anthropic.APIError);
      expect(error).toMatchObject({ status: 500, error: { type: "error", error: { type: "api_error", message: expect.stringContaining("llama.cpp could not load") } } });
      // With llama.cpp's reason, which only its log had.
      expect((error as { error: { error: { message: string } } }).error.error.message).toContain(`llama.cpp could not load ${path.join(home, "broken.gguf")}: error loading model hyperparameters: invalid n_rot: 16, expected 32`);
    }
    const answer = await anthropic.messages.create({ model: "chat", max_tokens: 16, messages: [{ role: "user", content: "hi" }] });
    expect(answer.content).toEqual([expect.objectContaining({ type: "text", text: CHAT_MODEL_REPLY })]);
  });

  it("answers an Ollama client with the status and the reason, for both, and keeps serving", async () => {
    const tooLarge = await failure(ollama.chat({ model: "huge", messages: [{ role: "user", content: "hi" }] }));
    expect(tooLarge).toMatchObject({ name: "ResponseError", status_code: 507, error: expect.stringMatching(/^It will not fit: /) });
    const notLoaded = await failure(ollama.chat({ model: "broken", messages: [{ role: "user", content: "hi" }] }));
    expect(notLoaded).toMatchObject({ name: "ResponseError", status_code: 500, error: expect.stringContaining("llama.cpp could not load") });
    const answer = await ollama.chat({ model: "chat", messages: [{ role: "user", content: "hi" }] });
    expect(answer.message.content).toBe(CHAT_MODEL_REPLY);
  });

  it("answers a Gemini client 507 RESOURCE_EXHAUSTED and 500 INTERNAL, with wren's code as the reason (upper case, as Google words them)", async () => {
    const generate = async (model: string): Promise<{ status: number; body: { error: { code: number; status: string; message: string; details: Array<{ reason?: string }> } } }> => {
      const res = await fetch(`${url}/v1beta/models/${model}:generateContent`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ contents: [{ role: "user", parts: [{ text: "hi" }] }] }) });
      return { status: res.status, body: (await res.json()) as never };
    };
    const tooLarge = await generate("huge");
    expect(tooLarge).toMatchObject({ status: 507, body: { error: { code: 507, status: "RESOURCE_EXHAUSTED", message: expect.stringMatching(/^It will not fit: /) } } });
    expect(tooLarge.body.error.details).toContainEqual(expect.objectContaining({ reason: "MODEL_TOO_LARGE", domain: "wren" }));
    const notLoaded = await generate("broken");
    expect(notLoaded).toMatchObject({ status: 500, body: { error: { code: 500, status: "INTERNAL", message: expect.stringContaining("llama.cpp could not load") } } });
    expect(notLoaded.body.error.details).toContainEqual(expect.objectContaining({ reason: "MODEL_LOAD_FAILED", domain: "wren" }));
    expect((await generate("chat")).status).toBe(200);
  });

  it("is still the same daemon, serving, with nothing left loading", async () => {
    const status = await daemonStatus({ env });
    expect(status).toMatchObject({ running: true, url });
    const listed = await fetch(`${url}/status`).then(async (r) => (await r.json()) as { activeRequests: number; models: Array<{ id: string; loaded: boolean }> });
    expect(listed.activeRequests).toBe(0);
    expect(listed.models.filter((m) => m.loaded).map((m) => m.id)).toEqual(["chat"]);
    expect(await chatReply()).toBe(CHAT_MODEL_REPLY);
  });
});
