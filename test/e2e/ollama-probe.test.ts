import { stat } from "node:fs/promises";
import { Ollama } from "ollama";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startServer, type RunningServer } from "../../src/runtime/serve.js";
import { hasSharedModels, sharedModels } from "../helpers/shared-models.js";

/** What Ollama front-ends look at first: the `GET /` probe and the model list they offer to pick from. */
describe.runIf(hasSharedModels)("wren serve as Ollama clients probe it", () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startServer({
      models: [{ path: sharedModels.chat, id: "chat", contextSize: 256, sequences: 1 }],
      host: "127.0.0.1",
      port: 0,
      gpu: "cpu",
      threads: 1,
    });
  });
  afterAll(async () => {
    await server?.close();
  });

  it("GET / and HEAD / say the server is running, as Ollama does", async () => {
    const res = await fetch(`${server.url}/`);
    expect(res.status).toBe(200);
    expect(await res.text()).toBe("Ollama is running");
    const head = await fetch(`${server.url}/`, { method: "HEAD" });
    expect(head.status).toBe(200);
  });

  it("/api/tags lists the model file with its size and date, not the router's names", async () => {
    const { models } = await new Ollama({ host: server.url }).list();
    expect(models.map((m) => m.name)).toEqual(["chat"]);
    const file = await stat(sharedModels.chat);
    expect(models[0]!.size).toBe(file.size);
    expect(new Date(models[0]!.modified_at).getTime()).toBe(file.mtime.getTime());
  });
});
