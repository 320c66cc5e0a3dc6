import { describe, expect, it } from "vitest";
import { daemonModelLines } from "./daemon-status-text.js";

const model = (id: string, loaded: boolean, files?: string[]) => ({ id, loaded, active: 0, queued: 0, ...(files ? { files } : {}) });

describe("wren daemon status: models and routes", () => {
  it("lists the local models, and the router's names apart, not as models that are not loaded", () => {
    const lines = daemonModelLines([model("qwen", true, ["/m/qwen.gguf"]), model("small", false, ["/m/small.gguf"]), model("auto", false), model("default", false)]);
    expect(lines).toEqual(["  models    qwen (loaded), small", "  routes    auto, default (through its router)"]);
  });

  it("lists what a daemon that names no files reports, as it did", () => {
    expect(daemonModelLines([model("qwen", true), model("auto", false)])).toEqual(["  models    qwen (loaded), auto"]);
    expect(daemonModelLines(undefined)).toEqual(["  models    ?"]);
  });
});
