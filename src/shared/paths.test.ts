import path from "node:path";
import { describe, expect, it } from "vitest";
import { resolvePaths } from "./paths.js";

describe("wren's folders", () => {
  it("are absolute when a variable names one relative to the current folder (the daemon runs in another)", () => {
    const paths = resolvePaths({ WREN_HOME: "wren-home", WREN_MODELS_DIR: "models" }, "/home/ada");
    expect(paths.configDir).toBe(path.resolve("wren-home"));
    expect(paths.modelsDir).toBe(path.resolve("models"));
    expect(resolvePaths({ WREN_MODELS_DIR: "m" }, "/home/ada").modelsDir).toBe(path.resolve("m"));
  });

  it.runIf(process.platform !== "win32")("ignore an XDG folder given relative, as the XDG Base Directory spec says", () => {
    const paths = resolvePaths({ XDG_CONFIG_HOME: ".config", XDG_DATA_HOME: "data", XDG_STATE_HOME: "./state", XDG_CACHE_HOME: "cache" }, "/home/ada");
    expect(paths).toMatchObject({
      configDir: "/home/ada/.config/wren",
      dataDir: "/home/ada/.local/share/wren",
      stateDir: "/home/ada/.local/state/wren",
      cacheDir: "/home/ada/.cache/wren",
    });
    expect(resolvePaths({ XDG_STATE_HOME: "/var/tmp/s" }, "/home/ada").stateDir).toBe("/var/tmp/s/wren");
  });
});
