import { execFile } from "node:child_process";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startServer, type RunningServer } from "../../src/runtime/serve.js";
import { CHAT_MODEL_REPLY, hasSharedModels, projectRoot, sharedModels } from "../helpers/shared-models.js";

/** The README's client snippet, run as written against a real server: only the port differs. */
describe.runIf(hasSharedModels)("the README's OpenAI snippet", () => {
  let server: RunningServer;
  beforeAll(async () => {
    // Served under its file's name, as `wren serve --model ./model.gguf` would: the snippet must not depend on it.
    server = await startServer({ models: [{ path: sharedModels.chat, id: "synthetic-bigram-chatml", contextSize: 256 }], port: 0, gpu: "cpu", threads: 1 });
  });
  afterAll(async () => {
    await server?.close();
  });

  it("answers", async () => {
    const readme = await readFile(path.join(projectRoot, "README.md"), "utf8");
    const snippet = /```ts\n([\s\S]*?)```/.exec(readme)?.[1];
    expect(snippet).toContain('baseURL: "http://127.0.0.1:11435/v1"');
    const code = snippet!.replace("http://127.0.0.1:11435", server.url);
    // --eval resolves `openai` from the working directory: the project's own dependency.
    const { stdout } = await promisify(execFile)(process.execPath, ["--input-type=module", "--eval", code], { cwd: projectRoot, timeout: 60_000 });
    expect(stdout.trim()).toBe(CHAT_MODEL_REPLY);
  });
});
