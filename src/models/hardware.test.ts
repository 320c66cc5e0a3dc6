import { describe, expect, it, vi } from "vitest";
import type * as NodeLlamaCpp from "node-llama-cpp";

// Loading llama.cpp costs about a second of CPU and, on Linux, a child process in which
// node-llama-cpp tests its prebuilt binary: the free-VRAM probe skips it where no GPU backend is usable.
const getLlama = vi.hoisted(() => vi.fn());
vi.mock("node-llama-cpp", async (original) => ({ ...(await original<typeof NodeLlamaCpp>()), getLlama }));

const { getLlamaGpuTypes } = await import("node-llama-cpp");
const { freeVramBytes, hasGpuBackend } = await import("./hardware.js");

describe("freeVramBytes", () => {
  it("tells a GPU backend from the CPU in node-llama-cpp's supported list", () => {
    expect(hasGpuBackend([false])).toBe(false);
    expect(hasGpuBackend([])).toBe(false);
    expect(hasGpuBackend(["cuda", false])).toBe(true);
    expect(hasGpuBackend(["vulkan"])).toBe(true);
  });

  it("answers undefined without loading llama.cpp where no GPU backend is usable", async (context) => {
    if (hasGpuBackend(await getLlamaGpuTypes("supported"))) context.skip();
    await expect(freeVramBytes()).resolves.toBeUndefined();
    expect(getLlama).not.toHaveBeenCalled();
  });
});
