import { spawn, type ChildProcess } from "node:child_process";
import { cp, copyFile, mkdtemp, rm, symlink } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { unbundledCliPath } from "../helpers/cli.js";
import { stopChild } from "../helpers/processes.js";
import { watchServe } from "../helpers/serve-child.js";
import { hasSharedModels, projectRoot, sharedModels } from "../helpers/shared-models.js";

/**
 * wren upgraded under a running server (`npm install -g` replaces its files): the body-parsing
 * worker, started from its file on the first large body, can no longer start. That is the server's
 * trouble, not the client's: the body is parsed on the server's thread instead and answered as usual.
 */
describe.runIf(hasSharedModels)("wren serve whose files were replaced while it runs still answers large bodies", () => {
  let root: string;
  let child: ChildProcess;
  let url: string;

  beforeAll(async () => {
    // A copy of the built CLI, whose files the test may take away (node_modules shared by a link):
    // tsc's unbundled output, where the body-parsing worker's file is dist/server/body-worker.js.
    root = await mkdtemp(path.join(os.tmpdir(), "wren-replaced-"));
    await cp(path.dirname(path.dirname(unbundledCliPath)), path.join(root, "dist"), { recursive: true });
    await copyFile(path.join(projectRoot, "package.json"), path.join(root, "package.json"));
    await symlink(path.join(projectRoot, "node_modules"), path.join(root, "node_modules"), "dir");
    child = spawn(process.execPath, [path.join(root, path.relative(projectRoot, unbundledCliPath)), "serve", "--model", sharedModels.chat, "--port", "0"], {
      cwd: root,
      env: { ...process.env, HOME: root, WREN_HOME: path.join(root, "home"), WREN_ENGINE_GPU: "cpu", WREN_ENGINE_THREADS: "1", WREN_ENGINE_CONTEXT_SIZE: "512", NO_COLOR: "1" },
      stdio: ["ignore", "ignore", "pipe"],
    });
    url = await watchServe(child, { keep: 4000 }).url;
  }, 60_000);

  afterAll(async () => {
    await stopChild(child);
    await rm(root, { recursive: true, force: true });
  });

  it("answers a valid 80 KB request, and refuses a bad one for what it is, after the worker's file is gone", async () => {
    await rm(path.join(root, "dist", "server", "body-worker.js"));
    const post = (body: object) => fetch(`${url}/v1/chat/completions`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });

    const answer = await post({ model: "synthetic-bigram-chatml", user: "u".repeat(80_000), messages: [{ role: "user", content: "hi" }] });
    const text = await answer.text();
    expect(answer.status, text).toBe(200);
    expect((JSON.parse(text) as { choices: Array<{ message: { content: string } }> }).choices[0]!.message.content).toBe("Hello from the tiny synthetic model.");

    const refused = await post({ model: "synthetic-bigram-chatml", temperature: "hot", user: "u".repeat(80_000), messages: [{ role: "user", content: "hi" }] });
    expect(refused.status).toBe(400);
    expect(((await refused.json()) as { error: { param: string } }).error.param).toBe("temperature");
  });
});
