import { describe, expect, it } from "vitest";
import { WrenError } from "../shared/errors.js";
import { flagsFromOptions } from "./cli-flags.js";
import { loadConfig } from "./load-config.js";

describe("flagsFromOptions", () => {
  it("maps the options given to dotted keys, labelled as the user typed them", async () => {
    const { flags, flagLabels } = flagsFromOptions(
      { gpu: "cpu", contextSize: "512", port: undefined, model: "x.gguf" },
      { gpu: "engine.gpu", contextSize: "engine.contextSize", port: "server.port" },
    );
    expect(flags).toEqual({ "engine.gpu": "cpu", "engine.contextSize": "512" });
    expect(flagLabels).toEqual({ "engine.gpu": "--gpu", "engine.contextSize": "--context-size" });

    const { config } = await loadConfig({ env: {}, userFile: false, projectFile: false, flags, flagLabels });
    expect(config.engine.contextSize).toBe(512);
  });

  it("makes errors name the flag as typed", async () => {
    const mapped = flagsFromOptions({ gpu: "rocm" }, { gpu: "engine.gpu" });
    const error: unknown = await loadConfig({ env: {}, userFile: false, projectFile: false, ...mapped }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WrenError);
    expect((error as WrenError).message).toContain('--gpu: "rocm" is not a valid backend. Use one of: auto, cuda, vulkan, metal, cpu.');
  });
});
