import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import OpenAI from "openai";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { defaultConfig } from "../../src/config/index.js";
import { startServerFromConfig } from "../../src/runtime/serve-main.js";
import { startServer, type RunningServer } from "../../src/runtime/serve.js";
import { WrenError } from "../../src/shared/errors.js";
import { spawnCli } from "../helpers/cli.js";
import { stopChild } from "../helpers/processes.js";
import { watchServe } from "../helpers/serve-child.js";
import { startFakeUpstream, type FakeUpstream } from "../helpers/fake-upstreams/index.js";

const short = [{ role: "user" as const, content: "Say hello." }];

describe("wren serve proxy-only: no local model, every request to the teachers", () => {
  let teacher: FakeUpstream;
  let home: string;
  const servers: RunningServer[] = [];

  beforeAll(async () => {
    teacher = await startFakeUpstream("openai");
    home = await mkdtemp(path.join(os.tmpdir(), "wren-proxy-"));
  });
  afterAll(async () => {
    for (const s of servers) await s.close();
    await teacher?.close();
    await rm(home, { recursive: true, force: true });
  });

  const routerConfig = (router: Record<string, unknown>) =>
    defaultConfig({ env: {} }, {
      router: { healthIntervalMs: 0, cloud: "allow", providers: { openai: { baseURL: `${teacher.url}/v1`, cloud: true } }, ...router },
    }).router;

  async function serve(models: Array<{ path: string; id: string }>, router: Record<string, unknown>): Promise<RunningServer> {
    const server = await startServer({ models, host: "127.0.0.1", port: 0, env: { OPENAI_API_KEY: "sk-test" }, router: routerConfig(router) });
    servers.push(server);
    return server;
  }

  const headersOf = (h: Headers) => ({ provider: h.get("x-wren-provider"), model: h.get("x-wren-model"), route: h.get("x-wren-route") });

  it("with teachers and no model it starts without an engine, is ready at once, and the openai client gets the teacher's answer", async () => {
    const server = await serve([], { teachers: ["openai:gpt-4o-mini"] });
    expect(server.proxyOnly).toBe(true);
    expect(server.engine).toBeUndefined();
    expect(server.models.list()).toEqual([]);
    expect((await fetch(`${server.url}/ready`)).status).toBe(200);

    const openai = new OpenAI({ baseURL: `${server.url}/v1`, apiKey: "unused", maxRetries: 0 });
    const before = teacher.chatCount;
    const plain = await openai.chat.completions.create({ model: "auto", messages: short }).withResponse();
    expect(plain.data.choices[0]!.message.content).toBe("Hello from the cloud.");
    expect(headersOf(plain.response.headers)).toEqual({ provider: "openai", model: "gpt-4o-mini", route: "default" });

    const streamed = await openai.chat.completions.create({ model: "default", messages: short, stream: true }).withResponse();
    let text = "";
    for await (const chunk of streamed.data) text += chunk.choices[0]?.delta.content ?? "";
    expect(text).toBe("Hello from the cloud.");
    expect(headersOf(streamed.response.headers)).toMatchObject({ provider: "openai", route: "default" });

    const direct = await openai.chat.completions.create({ model: "openai:gpt-4.1", messages: short }).withResponse();
    expect(headersOf(direct.response.headers)).toEqual({ provider: "openai", model: "gpt-4.1", route: "direct" });
    expect(teacher.chatCount).toBe(before + 3);

    const models: string[] = [];
    for await (const m of openai.models.list()) models.push(m.id);
    expect(models).toEqual(["auto", "default"]);
  });

  it("router.proxyOnly leaves configured models unloaded and unserved; a route name goes through the policy", async () => {
    const server = await serve([{ path: path.join(home, "never-loaded.gguf"), id: "chat" }], {
      proxyOnly: true,
      teachers: ["openai:gpt-4o-mini"],
      routes: { smart: "openai:gpt-4.1" },
    });
    expect(server.proxyOnly).toBe(true);
    expect(server.engine).toBeUndefined();
    const res = await fetch(`${server.url}/v1/chat/completions`, { method: "POST", body: JSON.stringify({ model: "smart", messages: short }) });
    expect(res.status).toBe(200);
    expect(headersOf(res.headers)).toEqual({ provider: "openai", model: "gpt-4.1", route: "smart" });
    const local = await fetch(`${server.url}/v1/chat/completions`, { method: "POST", body: JSON.stringify({ model: "chat", messages: short }) });
    expect(local.status).toBe(404);
  });

  it("cloud use still needs consent: with cloud ask the server refuses with 403 and the teacher sees nothing", async () => {
    const server = await serve([], { teachers: ["openai:gpt-4o-mini"], cloud: "ask" });
    const before = teacher.chatCount;
    const res = await fetch(`${server.url}/v1/chat/completions`, { method: "POST", body: JSON.stringify({ model: "auto", messages: short }) });
    expect(res.status).toBe(403);
    expect(JSON.stringify(await res.json())).toMatch(/consent.*router\.cloud/);
    expect(teacher.chatCount).toBe(before);
  });

  it("with no model and no teachers it refuses to start and says what to configure", async () => {
    const error = await startServer({ models: [], port: 0, router: routerConfig({}) }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WrenError);
    expect((error as WrenError).message).toBe("No model to serve.");
    expect((error as WrenError).hint).toMatch(/--model.*router\.teachers/);
    const noTeachers = await startServer({ models: [], port: 0, router: routerConfig({ proxyOnly: true }) }).catch((e: unknown) => e);
    expect((noTeachers as WrenError).message).toMatch(/nowhere to send requests/);
  });

  it("wren serve's config path: teachers from the environment and no model configured means proxy-only, nothing pulled", async () => {
    const env = {
      WREN_HOME: home,
      WREN_SERVER_PORT: "0",
      WREN_ROUTER_CLOUD: "allow",
      WREN_ROUTER_TEACHERS: "openai:gpt-4o-mini",
      WREN_ROUTER_HEALTH_INTERVAL_MS: "0",
      WREN_ROUTER_PROVIDERS: JSON.stringify({ openai: { baseURL: `${teacher.url}/v1`, cloud: true } }),
      OPENAI_API_KEY: "sk-test",
    };
    const server = await startServerFromConfig({ model: [], cors: [] }, env, pino({ level: "silent" }));
    servers.push(server);
    expect(server.proxyOnly).toBe(true);
    const res = await fetch(`${server.url}/api/chat`, { method: "POST", body: JSON.stringify({ model: "auto", messages: short, stream: false }) });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { message: { content: string } }).message.content).toBe("Hello from the cloud.");
    expect(res.headers.get("x-wren-provider")).toBe("openai");
  });

  it("`wren serve` with router.proxyOnly: says it serves no local model, ignores --model, answers from the teacher, stops on SIGTERM", async () => {
    const env = {
      WREN_HOME: home,
      WREN_ROUTER_PROXY_ONLY: "1",
      WREN_ROUTER_CLOUD: "allow",
      WREN_ROUTER_TEACHERS: "openai:gpt-4o-mini",
      WREN_ROUTER_HEALTH_INTERVAL_MS: "0",
      WREN_ROUTER_PROVIDERS: JSON.stringify({ openai: { baseURL: `${teacher.url}/v1`, cloud: true } }),
      WREN_LOGGING_LEVEL: "silent",
      OPENAI_API_KEY: "sk-test",
    };
    const child = spawnCli(["serve", "--port", "0", "--model", path.join(home, "not-there.gguf")], { env });
    const url = await watchServe(child, { pattern: /serving no local model \(proxy-only.* on (http:\/\/\S+)/ }).url;
    expect((await fetch(`${url}/ready`)).status).toBe(200);
    const openai = new OpenAI({ baseURL: `${url}/v1`, apiKey: "unused", maxRetries: 0 });
    const answer = await openai.chat.completions.create({ model: "auto", messages: short }).withResponse();
    expect(answer.data.choices[0]!.message.content).toBe("Hello from the cloud.");
    expect(answer.response.headers.get("x-wren-provider")).toBe("openai");
    expect(await stopChild(child)).toEqual({ code: 0, signal: null });
  });
});
