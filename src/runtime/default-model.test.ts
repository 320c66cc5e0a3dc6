import { describe, expect, it } from "vitest";
import { defaultConfig } from "../config/index.js";
import { WrenError } from "../shared/errors.js";
import { defaultModel, explainEmbeddedDefaultFailure } from "./default-model.js";

describe("the default model", () => {
  it("is the configured one when there is one", () => {
    const config = defaultConfig();
    config.models.default = "hf:org/repo:Q4_K_M";
    expect(defaultModel(config, 1e9)).toEqual({ ref: "hf:org/repo:Q4_K_M", embedded: false });
  });

  it("grows with free memory, but on a small CPU stays a model that answers at a usable speed", () => {
    const cpu = { cores: 2, gpu: false };
    const small = defaultModel(defaultConfig(), 1.5e9, cpu);
    const large = defaultModel(defaultConfig(), 64e9, cpu);
    expect(small.embedded).toBe(true);
    expect(small.ref).not.toBe(large.ref);
    expect(large.ref).not.toMatch(/14b|32b|70b/);
  });

  it("picks among the catalog's coders for purpose code (wren cmd's default), and a bigger one with memory and a GPU", () => {
    const small = defaultModel(defaultConfig(), 2e9, { cores: 2, gpu: false }, "code");
    const large = defaultModel(defaultConfig(), 64e9, { cores: 16, gpu: true }, "code");
    expect(small).toMatchObject({ ref: "qwen2.5-coder-1.5b", embedded: true });
    expect(large).toMatchObject({ ref: "qwen2.5-coder-7b", embedded: true });
    expect(() => defaultModel(defaultConfig(), 100e6, undefined, "code")).toThrow(expect.objectContaining({ code: "model_too_large" }));
  });

  it("says what to do when nothing fits", () => {
    expect(() => defaultModel(defaultConfig(), 100e6)).toThrow(expect.objectContaining({ code: "model_too_large", hint: expect.stringMatching(/--model PATH/) }));
  });

  it("adds --model PATH to a failure to fetch it, keeping the cause", () => {
    const cause = new WrenError("network_error", "Could not reach the Hub.");
    const explained = explainEmbeddedDefaultFailure(cause, "qwen2.5-0.5b") as WrenError;
    expect(explained.code).toBe("network_error");
    expect(explained.toLine()).toMatch(/qwen2\.5-0\.5b.*Could not reach the Hub.*--model PATH/);
    expect(explained.cause).toBe(cause);
    const other = new WrenError("bad_request", "x");
    expect(explainEmbeddedDefaultFailure(other, "m")).toBe(other);
  });
});
