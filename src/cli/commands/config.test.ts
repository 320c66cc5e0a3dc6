import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cliPath as cli } from "../../../test/helpers/cli.js";

let root: string;
let home: string;
let project: string;

beforeAll(async () => {
  if (!existsSync(cli)) throw new Error(`${cli} is missing: run \`npm run build\` first (npm test does).`);
  root = await mkdtemp(path.join(os.tmpdir(), "wren-config-cli-"));
  home = path.join(root, "home");
  project = path.join(root, "app");
  await mkdir(path.join(home, ".config", "wren"), { recursive: true });
  await mkdir(path.join(project, "sub"), { recursive: true });
  // The key in the user's file: a project's wren.toml may not choose who gets into the server.
  await writeFile(path.join(home, ".config", "wren", "config.toml"), '[engine]\ngpu = "cpu"\n[server]\nhost = "0.0.0.0"\napiKey = "hunter2"\n');
  await writeFile(path.join(project, "wren.toml"), "[server]\nport = 8080\n");
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `wren ARGS` in a child process whose home, cwd and environment are the test's own. */
function wren(args: string[], options: { cwd?: string; env?: Record<string, string> } = {}): Promise<Run> {
  const env = { PATH: process.env["PATH"] ?? "", HOME: home, ...options.env };
  return new Promise((resolve) => {
    execFile(process.execPath, [cli, ...args], { cwd: options.cwd ?? path.join(project, "sub"), env }, (error, stdout, stderr) => {
      const code = error === null ? 0 : typeof error.code === "number" ? error.code : -1;
      resolve({ code, stdout, stderr });
    });
  });
}

describe("wren config show", () => {
  it("prints every key with the layer it came from, secrets masked", async () => {
    const run = await wren(["config", "show"], { env: { WREN_ENGINE_CONTEXT_SIZE: "2048" } });
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^engine\.gpu = "cpu" +# user ~\/\.config\/wren\/config\.toml$/m);
    expect(run.stdout).toMatch(/^server\.port = 8080 +# project .*wren\.toml$/m);
    expect(run.stdout).toMatch(/^engine\.contextSize = 2048 +# env WREN_ENGINE_CONTEXT_SIZE$/m);
    expect(run.stdout).toMatch(/^engine\.sequences = 4 +# default$/m);
    expect(run.stdout).toMatch(/^models\.default +# \(not set\)$/m);
    expect(run.stdout).toMatch(/^server\.apiKey = "\*+" +# user/m);
    expect(run.stdout).not.toContain("hunter2");
  });

  it("--json prints the effective config and per-key sources", async () => {
    const run = await wren(["config", "show", "--json"]);
    expect(run.code).toBe(0);
    const shown = JSON.parse(run.stdout) as {
      config: { engine: { gpu: string; threads: number }; server: { port: number; host: string; apiKey: string } };
      sources: Record<string, { layer: string; origin: string }>;
    };
    expect(shown.config.engine.gpu).toBe("cpu");
    expect(shown.config.engine.threads).toBe(os.availableParallelism());
    expect(shown.config.server.port).toBe(8080);
    expect(shown.config.server.apiKey).not.toBe("hunter2");
    expect(shown.sources["engine.gpu"]).toEqual({ layer: "user", origin: path.join(home, ".config", "wren", "config.toml") });
    expect(shown.sources["server.port"]).toEqual({ layer: "project", origin: path.join(project, "wren.toml") });
    expect(shown.sources["server.maxQueue"]).toEqual({ layer: "default", origin: "default" });
  });

  it("fails with exit 2 and every problem when the configuration is invalid", async () => {
    const run = await wren(["config", "show"], { env: { WREN_ENGINE_GPU: "rocm", WREN_SERVER_PORT: "high" } });
    expect(run.code).toBe(2);
    expect(run.stdout).toBe("");
    expect(run.stderr).toContain("wren: Invalid configuration (2 problems):");
    expect(run.stderr).toContain('WREN_ENGINE_GPU: engine.gpu: "rocm" is not a valid backend. Use one of: auto, cuda, vulkan, metal, cpu.');
    expect(run.stderr).toContain('WREN_SERVER_PORT: server.port: expected a number, got the string "high"');
  });
});

describe("wren config path", () => {
  it("prints the user file and the nearest project file, and whether each exists", async () => {
    const run = await wren(["config", "path"], { env: { XDG_CONFIG_HOME: path.join(root, "xdg") } });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`user:    ${path.join(root, "xdg", "wren", "config.toml")} (does not exist)`);
    expect(run.stdout).toContain(`project: ${path.join(project, "wren.toml")} (exists)`);
  });

  it("says when there is no project file, and --json gives the same facts", async () => {
    const text = await wren(["config", "path"], { cwd: home });
    expect(text.stdout).toContain(`user:    ${path.join(home, ".config", "wren", "config.toml")} (exists)`);
    expect(text.stdout).toContain("project: (none: no wren.toml in");
    const json = await wren(["config", "path", "--json"], { cwd: home });
    expect(JSON.parse(json.stdout)).toEqual({
      user: { path: path.join(home, ".config", "wren", "config.toml"), exists: true },
      project: null,
    });
  });
});

describe("wren config validate", () => {
  it('prints "ok" and exits 0 for a valid file', async () => {
    const run = await wren(["config", "validate", path.join(project, "wren.toml")]);
    expect(run).toEqual({ code: 0, stdout: "ok\n", stderr: "" });
  });

  it("exits 2 and lists every problem in a bad file", async () => {
    const bad = path.join(root, "bad.toml");
    await writeFile(bad, '[engine]\ngpu = "rocm"\ntreads = 2\n');
    const run = await wren(["config", "validate", bad]);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe("");
    expect(run.stderr).toContain(`${bad}: engine.gpu: "rocm" is not a valid backend. Use one of: auto, cuda, vulkan, metal, cpu.`);
    expect(run.stderr).toContain(`${bad}: engine.treads: is not a known key. Did you mean "threads"?`);
    expect(run.stderr).toContain("Fix the keys and values above;");
  });

  it("exits 2 with the line and column of a TOML syntax error, and for a missing file", async () => {
    const broken = path.join(root, "broken.toml");
    await writeFile(broken, "[engine]\ngpu = cpu\n");
    const run = await wren(["config", "validate", broken]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`${broken}:2:7: TOML syntax error at line 2, column 7`);
    const missing = await wren(["config", "validate", path.join(root, "missing.toml")]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("missing.toml: does not exist.");
  });

  it("checks a settings.toml as the settings file it is: its sections, with the one meant", async () => {
    const settings = path.join(root, "settings.toml");
    await writeFile(settings, '[permissions]\nallow = ["Bash(npm test)"]\n[ui]\ntheme = "light"\n');
    expect(await wren(["config", "validate", settings])).toEqual({ code: 0, stdout: "ok\n", stderr: "" });
    await writeFile(settings, '[uii]\ntheme = "light"\n[routr]\ndefault = "auto"\n');
    const run = await wren(["config", "validate", settings]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('uii: is not a known section. Did you mean "ui"?');
    expect(run.stderr).toContain("routr: is not a known section. Remove it; the sections are: permissions, ui.");
    // Without FILE, the user's settings.toml is checked as a run reads it.
    const user = path.join(home, ".config", "wren", "settings.toml");
    await writeFile(user, '[uii]\ntheme = "light"\n');
    try {
      const whole = await wren(["config", "validate"]);
      expect(whole.code).toBe(2);
      expect(whole.stderr).toContain('uii: is not a known section. Did you mean "ui"?');
    } finally {
      await rm(user, { force: true });
    }
  });

  it("without FILE checks the whole effective configuration", async () => {
    expect((await wren(["config", "validate"])).stdout).toBe("ok\n");
    const run = await wren(["config", "validate"], { env: { WREN_ENGINE_THREADS: String(os.availableParallelism() + 1) } });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("WREN_ENGINE_THREADS: engine.threads:");
    expect(run.stderr).toContain("is more than this machine's available parallelism");
  });
});

describe("wren config schema", () => {
  it("prints a JSON Schema with every section and its descriptions", async () => {
    const run = await wren(["config", "schema"]);
    expect(run.code).toBe(0);
    const schema = JSON.parse(run.stdout) as { properties: Record<string, { properties: Record<string, { description?: string }> }> };
    const { createConfigSchema, sectionContext } = await import("../../config/index.js");
    const sections = Object.keys(createConfigSchema(sectionContext()).shape).sort();
    expect(sections).toEqual(expect.arrayContaining(["engine", "logging", "models", "server"]));
    expect(Object.keys(schema.properties).sort()).toEqual(sections);
    expect(schema.properties["engine"]?.properties["gpu"]?.description).toContain("GPU backend");
  });
});
