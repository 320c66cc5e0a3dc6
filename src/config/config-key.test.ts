import { describe, expect, it } from "vitest";
import { WrenError } from "../shared/errors.js";
import { checkConfigText, configValue, resolveConfigKey } from "./config-key.js";
import { configJsonSchema, createConfigSchema } from "./config-schema.js";
import { DOCS_CONTEXT } from "./render-docs.js";

const schema = createConfigSchema(DOCS_CONTEXT);
const json = configJsonSchema(DOCS_CONTEXT);

function failure(run: () => unknown): WrenError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(WrenError);
    return error as WrenError;
  }
  throw new Error("no error");
}

describe("keys for wren config get | set | unset", () => {
  it("reads values, tables and entries of tables keyed by name", () => {
    expect(resolveConfigKey("engine.gpu", json).path).toEqual(["engine", "gpu"]);
    expect(resolveConfigKey("models.aliases", json).node.additionalProperties).toBeDefined();
    expect(resolveConfigKey('models.aliases."qwen2.5"', json)).toMatchObject({ path: ["models", "aliases", "qwen2.5"], name: 'models.aliases."qwen2.5"' });
  });

  it("suggests the nearest key for a typo, a key without its section, or another spelling", () => {
    const message = (text: string) => failure(() => resolveConfigKey(text, json)).message;
    expect(message("engine.gpuu")).toBe("engine.gpuu is not a wren setting. Did you mean engine.gpu?");
    expect(message("engine.context_size")).toContain("Did you mean engine.contextSize?");
    expect(message("gpu")).toContain("Did you mean engine.gpu?");
    expect(message("enigne.gpu")).toContain("Did you mean engine.gpu?");
    expect(message("engine.gpu.x")).toBe("engine.gpu.x is not a wren setting. Did you mean engine.gpu?");
    expect(message("nothing.like.it")).toBe("nothing.like.it is not a wren setting.");
    expect(failure(() => resolveConfigKey("engine.", json)).code).toBe("bad_request");
  });
});

describe("values for wren config set", () => {
  it("coerces the string to the key's type", () => {
    expect(configValue(resolveConfigKey("server.port", json), "8080", schema, json)).toBe(8080);
    expect(configValue(resolveConfigKey("server.cors", json), "http://a, http://b", schema, json)).toEqual(["http://a", "http://b"]);
    expect(configValue(resolveConfigKey("models.aliases", json), '{"tiny": "./t.gguf"}', schema, json)).toEqual({ tiny: "./t.gguf" });
    expect(configValue(resolveConfigKey("models.aliases.tiny", json), "./t.gguf", schema, json)).toBe("./t.gguf");
  });

  it("rejects what the key does not take, saying what it takes", () => {
    const gpu = failure(() => configValue(resolveConfigKey("engine.gpu", json), "rocm", schema, json));
    expect(gpu.message).toBe('engine.gpu: "rocm" is not a valid backend. Use one of: auto, cuda, vulkan, metal, cpu.');
    expect(gpu.hint).toBe("engine.gpu takes auto | cuda | vulkan | metal | cpu. Nothing was written.");
    const port = failure(() => configValue(resolveConfigKey("server.port", json), "99999", schema, json));
    expect(port.message).toContain("99999 is more than the maximum (65535)");
    const table = failure(() => configValue(resolveConfigKey("models.aliases", json), "{tiny", schema, json));
    expect(table.message).toMatch(/^models\.aliases: "\{tiny" is not valid JSON/);
  });

  it("checks a whole file's text", () => {
    expect(checkConfigText('[engine]\ngpu = "cpu"\n', "f.toml", schema, json)).toEqual([]);
    expect(checkConfigText('[engine]\ngpu = "rocm"\n', "f.toml", schema, json)[0]).toMatchObject({ origin: "f.toml", key: "engine.gpu" });
    expect(checkConfigText("[engine\n", "f.toml", schema, json)[0]?.message).toMatch(/^is not valid TOML/);
  });
});

describe("train.stopGraceSeconds", () => {
  it("is a positive number of seconds up to an hour (a timer cannot wait much longer: past it, it fires at once)", () => {
    const grace = (value: number) => schema.safeParse({ train: { stopGraceSeconds: value } });
    expect(grace(3600).success).toBe(true);
    expect(grace(0.5).success).toBe(true);
    expect(grace(3601).success).toBe(false);
    expect(grace(3_000_000).success).toBe(false);
    expect(grace(0).success).toBe(false);
  });
});
