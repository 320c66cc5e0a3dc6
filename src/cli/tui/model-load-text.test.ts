import { describe, expect, it } from "vitest";
import { describeModelLoad } from "./model-load-text.js";

describe("describeModelLoad", () => {
  it("names the model, its progress and who answers meanwhile", () => {
    expect(describeModelLoad({ phase: "loading", model: "qwen3", progress: 0.427, meanwhile: "teacher" })).toBe("loading qwen3 42% · a teacher answers meanwhile");
    expect(describeModelLoad({ phase: "loading", model: "qwen3", meanwhile: "wait" })).toBe("loading qwen3 · turns wait for it");
    expect(describeModelLoad({ phase: "starting", model: "qwen3", meanwhile: "wait" })).toBe("starting the daemon for qwen3 · turns wait for it");
  });

  it("says why a load failed, and nothing once the model is ready or before it is asked for", () => {
    const error = { code: "timeout" as const, message: "The wren daemon did not answer in time." };
    expect(describeModelLoad({ phase: "failed", model: "qwen3", meanwhile: "teacher", error })).toBe(
      "qwen3 did not load: The wren daemon did not answer in time. · the next turn tries again",
    );
    expect(describeModelLoad({ phase: "ready", model: "qwen3", meanwhile: "teacher", warm: true })).toBeUndefined();
    expect(describeModelLoad({ phase: "idle", model: "qwen3", meanwhile: "teacher" })).toBeUndefined();
    expect(describeModelLoad(undefined)).toBeUndefined();
  });
});
