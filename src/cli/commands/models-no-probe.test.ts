import { afterEach, describe, expect, it, vi } from "vitest";
import { hasSharedModels, sharedModels } from "../../../test/helpers/shared-models.js";
import type * as Hardware from "../../models/hardware.js";

// The free-VRAM probe starts llama.cpp (about 2 s of CPU on Linux: node-llama-cpp tests its
// prebuilt binary in a child process); these commands need no answer from it.
const probe = vi.hoisted(() => vi.fn(async (): Promise<number | undefined> => undefined));
vi.mock("../../models/hardware.js", async (original) => ({ ...(await original<typeof Hardware>()), freeVramBytes: probe }));

const { runRecommend } = await import("./models-store-action.js");
const { runInfo } = await import("./models-info-action.js");

describe("wren models commands that need no VRAM figure do not start llama.cpp", () => {
  const written = vi.spyOn(process.stdout, "write").mockImplementation(() => true);
  afterEach(() => {
    probe.mockClear();
    written.mockClear();
  });

  it("models recommend --memory-limit judges that much memory without probing this machine's", async () => {
    await runRecommend({ purpose: "chat", memoryLimit: "3GB" });
    expect(String(written.mock.calls[0]?.[0])).toMatch(/^picked llama3\.2-3b: fits in 3\.0 GB/);
    expect(probe).not.toHaveBeenCalled();
    // Without a limit the pick is this machine's, which the probe tells.
    await runRecommend({ purpose: "chat" });
    expect(probe).toHaveBeenCalledTimes(1);
  });

  it.runIf(hasSharedModels)("models fit refuses a context past the model's training context without probing memory", async () => {
    await expect(runInfo(sharedModels.stories, { context: "999999" }, true)).rejects.toThrow("supports at most 2048 tokens of context, not the 999999 asked for");
    expect(probe).not.toHaveBeenCalled();
    expect(written).not.toHaveBeenCalled();
  });
});
