import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { localModelEnv } from "../helpers/chat-model-128k.js";
import { hasSharedModels } from "../helpers/shared-models.js";
import { sayHelloLocally } from "../helpers/tui-local-model.js";

describe.runIf(hasSharedModels)("wren's terminal UI with a local model", () => {
  let root: string;
  beforeAll(() => void (root = mkdtempSync(path.join(os.tmpdir(), "wren-tui-local-"))));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it("starts with a first prompt, streams the local model's reply, and exits cleanly", { timeout: 180_000 }, async () => {
    // In this process: the daemon path is tested with wren -p in agent-daemon.test.ts.
    const text = await sayHelloLocally(root, ["--no-daemon"], localModelEnv(root));
    expect(text).not.toMatch(/error|✗/i);
  });
});
