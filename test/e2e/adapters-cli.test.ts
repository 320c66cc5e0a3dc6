import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli.js";
import { f32, str, writeGguf } from "../helpers/gguf-format.js";
import { hasSharedModels, sharedModels } from "../helpers/shared-models.js";

describe.runIf(hasSharedModels)("wren adapters add | list | rm", () => {
  let home: string;
  let env: Record<string, string>;
  beforeAll(async () => {
    home = await mkdtemp(path.join(os.tmpdir(), "wren-adapters-cli-"));
    env = { WREN_HOME: home };
  });
  afterAll(async () => {
    await rm(home, { recursive: true, force: true });
  });

  it("registers an adapter checked against its base, lists it and removes it", async () => {
    const added = await runCli(["adapters", "add", sharedModels.lora, "--name", "tales", "--base", sharedModels.stories, "--scale", "0.5"], { env });
    expect(added.stderr).toBe("");
    expect(added.code).toBe(0);
    expect(added.stdout).toContain("Added adapter 'tales' (llama, for");
    const listed = await runCli(["adapters", "list", "--json"], { env });
    expect(JSON.parse(listed.stdout)).toMatchObject([{ name: "tales", path: sharedModels.lora, architecture: "llama", scale: 0.5 }]);
    const again = await runCli(["adapters", "add", sharedModels.lora, "--name", "tales"], { env });
    expect(again.code).not.toBe(0);
    expect(again.stderr).toContain("already registered");
    const removed = await runCli(["adapters", "rm", "tales"], { env });
    expect(removed.code).toBe(0);
    expect((await runCli(["adapters", "list"], { env })).stdout).toContain("No adapters registered");
    const gone = await runCli(["adapters", "rm", "tales"], { env });
    expect(gone.code).not.toBe(0);
    expect(gone.stderr).toContain("No adapter named 'tales'");
  });

  it("refuses a model file, and an adapter of another shape than its base, before llama.cpp sees them", async () => {
    const notAdapter = await runCli(["adapters", "add", sharedModels.stories], { env });
    expect(notAdapter.code).not.toBe(0);
    expect(notAdapter.stderr).toContain("is not a LoRA adapter");
    const narrow = path.join(home, "narrow.gguf");
    const fill = (out: Float32Array): void => void out.fill(0.01);
    await writeGguf(
      narrow,
      [["general.architecture", str("llama")], ["general.type", str("adapter")], ["adapter.type", str("lora")], ["adapter.lora.alpha", f32(8)]],
      [
        { name: "blk.0.attn_q.weight.lora_a", dims: [32, 4], type: "F32", fill },
        { name: "blk.0.attn_q.weight.lora_b", dims: [4, 32], type: "F32", fill },
      ],
    );
    const mismatch = await runCli(["adapters", "add", narrow, "--base", sharedModels.stories], { env });
    expect(mismatch.code).not.toBe(0);
    expect(mismatch.stderr).toMatch(/does not fit model .*blk\.0\.attn_q\.weight is \[64, 64\]/);
    expect((await runCli(["adapters", "list"], { env })).stdout).toContain("No adapters registered");
  });
});
