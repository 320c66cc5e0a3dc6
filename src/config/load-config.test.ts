import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { exitCodeOf, WrenError } from "../shared/errors.js";
import { resolvePaths } from "../shared/paths.js";
import { defaultConfig, loadConfig, type LoadConfigOptions } from "./index.js";

let root: string;
let home: string;
let project: string;

beforeEach(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), "wren-config-"));
  home = path.join(root, "home");
  project = path.join(root, "work", "app");
  await mkdir(path.join(home, ".config", "wren"), { recursive: true });
  await mkdir(project, { recursive: true });
});

afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

const userFile = () => path.join(home, ".config", "wren", "config.toml");
const projectFile = () => path.join(project, "wren.toml");

/** Loads with nothing from this machine: home, cwd and env all point into the temp dir. */
function load(options: LoadConfigOptions = {}) {
  return loadConfig({ home, cwd: project, env: {}, ...options });
}

async function loadError(options: LoadConfigOptions = {}): Promise<WrenError> {
  const error: unknown = await load(options).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(WrenError);
  return error as WrenError;
}

function sourceOf(sources: { key: string; layer: string; origin: string }[], key: string) {
  return sources.find((s) => s.key === key);
}

describe("defaults", () => {
  it("fills every default when no layer sets anything", async () => {
    const { config, sources, files } = await load();
    expect(config.engine).toEqual({
      gpu: "auto",
      gpuSplit: "layer",
      threads: os.availableParallelism(),
      contextSize: 4096,
      sequences: 4,
      adapterContexts: 4,
      batchSize: 512,
      promptCache: { reuse: true, bytes: 1024 ** 3, entries: 64 },
      speculative: "auto",
    });
    expect(config.server.host).toBe("127.0.0.1");
    expect(config.server.port).toBe(11435);
    expect(config.server.cors).toEqual([]);
    expect(config.server.apiKey).toBeUndefined();
    expect(config.models.dir).toBe(resolvePaths({}, home).modelsDir);
    expect(config.logging.level).toBe("info");
    expect(sources.every((s) => s.layer === "default")).toBe(true);
    expect(files.user).toEqual({ path: userFile(), exists: false, explicit: false });
    expect(files.project).toBeUndefined();
  });

  it("defaultConfig gives the same defaults without reading anything, and checks overrides", async () => {
    expect(defaultConfig({ env: {}, home })).toEqual((await load()).config);
    expect(defaultConfig({ env: {}, home }, { server: { port: 1 } }).server.port).toBe(1);
    expect(() => defaultConfig({}, { engine: { gpu: "rocm" } })).toThrow(/overrides: engine\.gpu: "rocm" is not a valid backend/);
  });

  it("takes the threads default from the machine it is given", async () => {
    const { config } = await load({ availableParallelism: 7 });
    expect(config.engine.threads).toBe(7);
  });

  it("credits no key to an empty table: a [server] header left without keys (as wren config unset leaves it) sets nothing", async () => {
    await writeFile(userFile(), "[server]\n\n[models.aliases]\n");
    await writeFile(projectFile(), "[router.retry]\n");
    const { config, sources } = await load();
    expect(config.server.port).toBe(11435);
    expect(sourceOf(sources, "server.port")?.layer).toBe("default");
    expect(sourceOf(sources, "server.host")?.layer).toBe("default");
    expect(sourceOf(sources, "router.retry.maxRetries")?.layer).toBe("default");
    expect(sources.every((s) => s.layer === "default")).toBe(true);
  });

  it("still credits an empty named entry, which replaces the entry of that name below it whole", async () => {
    await writeFile(userFile(), '[router.targetTimeouts."openai:x"]\nconnectMs = 5\n');
    await writeFile(projectFile(), '[router.targetTimeouts."openai:x"]\n');
    const { config, sources } = await load();
    expect(config.router.targetTimeouts["openai:x"]).toEqual({});
    expect(sourceOf(sources, 'router.targetTimeouts."openai:x"')?.layer).toBe("project");
  });
});

describe("layers: defaults < user file < project file < env < flags", () => {
  it("lets each layer override the one below it, and tells where each key came from", async () => {
    await writeFile(
      userFile(),
      '[engine]\ncontextSize = 1000\nbatchSize = 100\n[server]\nhost = "0.0.0.0"\nport = 1001\n[logging]\nlevel = "debug"\n',
    );
    await writeFile(projectFile(), "[engine]\ncontextSize = 2000\nbatchSize = 200\n[server]\nport = 2001\n");
    const env = { WREN_ENGINE_CONTEXT_SIZE: "3000", WREN_SERVER_PORT: "3001" };
    const flags = { "engine.contextSize": 4000 };

    const { config, sources } = await load({ env, flags });
    expect(config.engine.contextSize).toBe(4000);
    expect(config.server.port).toBe(3001);
    expect(config.engine.batchSize).toBe(200);
    expect(config.server.host).toBe("0.0.0.0");
    expect(config.logging.level).toBe("debug");
    expect(config.engine.sequences).toBe(4);

    expect(sourceOf(sources, "engine.contextSize")).toEqual({ key: "engine.contextSize", layer: "flag", origin: "--engine.contextSize" });
    expect(sourceOf(sources, "server.port")).toEqual({ key: "server.port", layer: "env", origin: "WREN_SERVER_PORT" });
    expect(sourceOf(sources, "engine.batchSize")).toEqual({ key: "engine.batchSize", layer: "project", origin: projectFile() });
    expect(sourceOf(sources, "server.host")).toEqual({ key: "server.host", layer: "user", origin: userFile() });
    expect(sourceOf(sources, "engine.sequences")?.layer).toBe("default");

    // Peel the layers off one by one: each time the next one down shows through.
    expect((await load({ env })).config.engine.contextSize).toBe(3000);
    expect((await load()).config.engine.contextSize).toBe(2000);
    expect((await load({ projectFile: false })).config.engine.contextSize).toBe(1000);
    expect((await load({ projectFile: false, userFile: false })).config.engine.contextSize).toBe(4096);
  });

  it("merges tables such as models.aliases key by key, and replaces lists", async () => {
    await writeFile(userFile(), '[models.aliases]\ntiny = "hf:a/b:Q8_0"\nbig = "hf:a/c:Q4_K_M"\n[router]\nteachers = ["local:a", "local:b"]\n');
    await writeFile(projectFile(), '[models.aliases]\nbig = "./big.gguf"\n[router]\nteachers = ["local:c"]\n');
    const { config, sources } = await load();
    // A model written as a relative path is the file beside the config file that names it.
    expect(config.models.aliases).toEqual({ tiny: "hf:a/b:Q8_0", big: path.join(project, "big.gguf") });
    expect(config.router.teachers).toEqual(["local:c"]);
    expect(sourceOf(sources, "models.aliases.tiny")?.layer).toBe("user");
    expect(sourceOf(sources, "models.aliases.big")?.layer).toBe("project");
  });

  it("replaces a named entry (an MCP server, a provider, a route) whole: a higher layer's entry of that name is the whole entry", async () => {
    await writeFile(
      userFile(),
      [
        "[mcp.servers.docs]",
        'command = "docs-mcp"',
        'args = ["--verbose"]',
        "[mcp.servers.git]",
        'command = "git-mcp"',
        "[router.providers.vllm]",
        'kind = "pool"',
        'replicas = ["http://10.0.0.5:8000/v1"]',
        "maxConcurrent = 4",
        "[router.routes.fast]",
        'type = "fallback"',
        'targets = ["local:tiny", "openai:gpt-4.1-mini"]',
        '[router.prices."openai:gpt-4.1"]',
        "input = 2",
        "output = 8",
        "cachedInput = 0.5",
        "[engine]",
        "batchSize = 100",
        "",
      ].join("\n"),
    );
    await writeFile(
      projectFile(),
      [
        // The user's replicas (a project file may not choose a provider's server, project-limits.ts).
        "[router.providers.vllm]",
        'kind = "pool"',
        'replicas = ["http://10.0.0.5:8000/v1"]',
        "[router.routes.fast]",
        'type = "target"',
        'target = "openai:gpt-4.1-mini"',
        "[engine]",
        "contextSize = 2048",
        "",
      ].join("\n"),
    );
    // (A project file may not replace the user's MCP server nor re-price a model, project-limits.ts: a variable stands above both.)
    const { config, sources } = await load({
      env: { WREN_MCP_SERVERS: '{"docs": {"type": "http", "url": "https://docs.example.com/mcp"}}', WREN_ROUTER_PRICES: '{"openai:gpt-4.1": {"input": 3, "output": 9}}' },
    });
    // The higher layer's entry of each name is the whole entry; entries it does not name stay, and settings tables still merge key by key.
    expect(config.mcp.servers).toEqual({ docs: { type: "http", url: "https://docs.example.com/mcp" }, git: { command: "git-mcp", args: [] } });
    expect(config.router.providers).toEqual({ vllm: { kind: "pool", replicas: ["http://10.0.0.5:8000/v1"] } });
    expect(config.router.routes).toEqual({ fast: { type: "target", target: "openai:gpt-4.1-mini" } });
    expect(config.router.prices).toEqual({ "openai:gpt-4.1": { input: 3, output: 9 } });
    expect([config.engine.batchSize, config.engine.contextSize]).toEqual([100, 2048]);
    // Every key of a replaced entry comes from the layer that replaced it.
    const layersUnder = (prefix: string) => [...new Set(sources.filter((s) => s.key.startsWith(prefix)).map((s) => s.layer))];
    expect(layersUnder("mcp.servers.docs.")).toEqual(["env"]);
    expect(layersUnder("router.providers.vllm.")).toEqual(["project"]);
    expect(layersUnder("router.routes.fast.")).toEqual(["project"]);
    expect(layersUnder('router.prices."openai:gpt-4.1".')).toEqual(["env"]);
    expect(sourceOf(sources, "mcp.servers.git.command")?.layer).toBe("user");
  });

  it("an entry of the same kind is replaced whole too: a default shows through, never the lower layer's value", async () => {
    await writeFile(userFile(), '[router.providers.vllm]\nkind = "pool"\nreplicas = ["http://10.0.0.5:8000/v1"]\nmaxConcurrent = 4\n[mcp.servers.docs]\ncommand = "docs-mcp"\nargs = ["--verbose"]\ncwd = "/srv/docs"\n');
    // The user's replicas (a project file may not choose a provider's server, project-limits.ts).
    await writeFile(projectFile(), '[router.providers.vllm]\nkind = "pool"\nreplicas = ["http://10.0.0.5:8000/v1"]\n');
    const { config, sources } = await load();
    expect(config.router.providers).toEqual({ vllm: { kind: "pool", replicas: ["http://10.0.0.5:8000/v1"] } });
    expect(sourceOf(sources, "router.providers.vllm.replicas")?.layer).toBe("project");
    expect(sourceOf(sources, "router.providers.vllm.maxConcurrent")).toBeUndefined();
    // A variable's entry replaces a file's entry of that name just as whole, and leaves the file's other entries.
    await writeFile(projectFile(), '[mcp.servers.git]\ncommand = "git-mcp"\n');
    const fromEnv = await load({ env: { WREN_MCP_SERVERS: '{"docs": {"type": "http", "url": "https://docs.example.com/mcp"}}' } });
    expect(fromEnv.config.mcp.servers).toEqual({ docs: { type: "http", url: "https://docs.example.com/mcp" }, git: { command: "git-mcp", args: [] } });
    expect(sourceOf(fromEnv.sources, "mcp.servers.docs.url")?.origin).toBe("WREN_MCP_SERVERS");
  });

  it("finds the project file in the nearest ancestor directory", async () => {
    const deep = path.join(project, "src", "lib");
    await mkdir(deep, { recursive: true });
    await writeFile(path.join(root, "work", "wren.toml"), "[server]\nport = 1\n");
    await writeFile(projectFile(), "[server]\nport = 2\n");
    const { config, files } = await load({ cwd: deep });
    expect(config.server.port).toBe(2);
    expect(files.project?.path).toBe(projectFile());
  });

  it("reads the user file from XDG_CONFIG_HOME, or WREN_HOME", async () => {
    const xdg = path.join(root, "xdg");
    await mkdir(path.join(xdg, "wren"), { recursive: true });
    await writeFile(path.join(xdg, "wren", "config.toml"), "[server]\nport = 4242\n");
    const fromXdg = await load({ env: { XDG_CONFIG_HOME: xdg } });
    expect(fromXdg.config.server.port).toBe(4242);
    expect(fromXdg.files.user?.path).toBe(path.join(xdg, "wren", "config.toml"));

    const wrenHome = path.join(root, "wren-home");
    await mkdir(wrenHome);
    await writeFile(path.join(wrenHome, "config.toml"), "[server]\nport = 4343\n");
    const fromWrenHome = await load({ env: { WREN_HOME: wrenHome } });
    expect(fromWrenHome.config.server.port).toBe(4343);
    expect(fromWrenHome.config.models.dir).toBe(path.join(wrenHome, "models"));
  });

  it("resolves models.dir relative to the file that sets it, and expands ~", async () => {
    // The user's file: a project's may not choose where downloads go (project-limits.test.ts).
    await mkdir(path.dirname(userFile()), { recursive: true });
    await writeFile(userFile(), '[models]\ndir = "models"\n');
    expect((await load()).config.models.dir).toBe(path.join(path.dirname(userFile()), "models"));
    await writeFile(userFile(), '[models]\ndir = "~/m"\n');
    expect((await load()).config.models.dir).toBe(path.join(home, "m"));
    expect((await load({ env: { WREN_MODELS_DIR: "rel" } })).config.models.dir).toBe(path.join(project, "rel"));
  });
});

describe("environment variables", () => {
  it("maps WREN_<SECTION>_<KEY> and coerces numbers, comma lists and JSON", async () => {
    const { config, sources } = await load({
      env: {
        WREN_ENGINE_GPU: "cpu",
        WREN_ENGINE_BATCH_SIZE: " 64 ",
        WREN_SERVER_CORS: "http://a, http://b",
        WREN_SERVER_API_KEY: "s3cret",
        WREN_SERVER_MODELS: '[{"id": "tiny", "ref": "./tiny.gguf", "contextSize": 256}]',
        WREN_MODELS_ALIASES: '{"tiny": "./tiny.gguf"}',
        WREN_MODELS_DEFAULT: "tiny",
        WREN_LOGGING_LEVEL: "warn",
        WREN_DEBUG: "1",
        WREN_SERVER_HOST: "",
      },
    });
    expect(config.engine.gpu).toBe("cpu");
    expect(config.engine.batchSize).toBe(64);
    expect(config.server.cors).toEqual(["http://a", "http://b"]);
    expect(config.server.apiKey).toBe("s3cret");
    // Relative to the working directory, as every path a variable gives.
    expect(config.server.models).toEqual([{ id: "tiny", ref: path.join(project, "tiny.gguf"), aliases: [], contextSize: 256 }]);
    expect(config.models.aliases).toEqual({ tiny: path.join(project, "tiny.gguf") });
    expect(config.models.default).toBe("tiny");
    expect(config.logging.level).toBe("warn");
    expect(config.server.host).toBe("127.0.0.1");
    expect(sourceOf(sources, "engine.batchSize")?.origin).toBe("WREN_ENGINE_BATCH_SIZE");
  });

  it("coerces string flags the same way and names the flag as the CLI shows it", async () => {
    const { config, sources } = await load({
      flags: { "server.port": "9000", "engine.gpu": undefined },
      flagLabels: { "server.port": "--port" },
    });
    expect(config.server.port).toBe(9000);
    expect(config.engine.gpu).toBe("auto");
    expect(sourceOf(sources, "server.port")).toEqual({ key: "server.port", layer: "flag", origin: "--port" });
  });
});

describe("errors name the origin, the key, what was wrong and the fix", () => {
  it('rejects gpu = "rocm", naming the valid backends', async () => {
    await writeFile(userFile(), '[engine]\ngpu = "rocm"\n');
    const error = await loadError();
    expect(error.code).toBe("config_invalid");
    expect(exitCodeOf(error)).toBe(2);
    expect(error.message).toContain(
      '~/.config/wren/config.toml: engine.gpu: "rocm" is not a valid backend. Use one of: auto, cuda, vulkan, metal, cpu.',
    );
  });

  it("names the variable or flag when that is where the bad value came from", async () => {
    const fromEnv = await loadError({ env: { WREN_ENGINE_GPU: "rocm" } });
    expect(fromEnv.message).toContain('WREN_ENGINE_GPU: engine.gpu: "rocm" is not a valid backend. Use one of: auto, cuda');
    const fromFlag = await loadError({ flags: { "engine.gpu": "opencl" }, flagLabels: { "engine.gpu": "--gpu" } });
    expect(fromFlag.message).toContain('--gpu: "opencl" is not a valid backend.');
    expect(fromEnv.hint).toBe("Fix WREN_ENGINE_GPU, or unset it to use the config files or the default.");
    expect(fromFlag.hint).toBe("Run the command again with a valid value for --gpu.");
  });

  it("a flag overrides a variable for the same key: only the flag is reported, and a valid flag runs", async () => {
    const flagLabels = { "engine.gpu": "--gpu", "engine.contextSize": "--context" };
    const both = await loadError({ env: { WREN_ENGINE_GPU: "rocm", WREN_ENGINE_CONTEXT_SIZE: "0" }, flags: { "engine.gpu": "opencl", "engine.contextSize": "1" }, flagLabels });
    expect(both.message).toContain("(2 problems)");
    expect(both.message).toContain('--gpu: "opencl" is not a valid backend.');
    expect(both.message).toContain("--context: 1 is less than the minimum (16).");
    expect(both.message).not.toContain("WREN_ENGINE");
    expect(both.hint).toBe("Run the command again with valid values for --gpu and --context.");
    const overridden = await load({ env: { WREN_ENGINE_GPU: "rocm", WREN_ENGINE_CONTEXT_SIZE: "0" }, flags: { "engine.gpu": "cpu", "engine.contextSize": "64" }, flagLabels });
    expect(overridden.config.engine.gpu).toBe("cpu");
    expect(overridden.config.engine.contextSize).toBe(64);
    expect(sourceOf(overridden.sources, "engine.gpu")).toEqual({ key: "engine.gpu", layer: "flag", origin: "--gpu" });
    // A variable for a key no flag sets is still checked.
    const other = await loadError({ env: { WREN_ENGINE_GPU: "rocm" }, flags: { "engine.contextSize": "64" }, flagLabels });
    expect(other.message).toContain('WREN_ENGINE_GPU: engine.gpu: "rocm" is not a valid backend.');
  });

  it("a variable or flag overrides a file's key: the file's value is not checked, and other bad file keys still are", async () => {
    await writeFile(userFile(), '[engine]\ngpu = "rocm"\n');
    await writeFile(projectFile(), '[engine]\ncontextSize = 0\ngpu = "opencl"\n');
    const overridden = await load({ env: { WREN_ENGINE_GPU: "cpu" }, flags: { "engine.contextSize": "64" }, flagLabels: { "engine.contextSize": "--context" } });
    expect(overridden.config.engine.gpu).toBe("cpu");
    expect(overridden.config.engine.contextSize).toBe(64);
    expect(sourceOf(overridden.sources, "engine.gpu")).toEqual({ key: "engine.gpu", layer: "env", origin: "WREN_ENGINE_GPU" });
    expect(sourceOf(overridden.sources, "engine.contextSize")).toEqual({ key: "engine.contextSize", layer: "flag", origin: "--context" });
    expect(sourceOf(overridden.sources, "engine.sequences")?.layer).toBe("default");
    // A key no variable or flag sets is still reported, with its file.
    const notOverridden = await loadError({ env: { WREN_ENGINE_GPU: "cpu" } });
    expect(notOverridden.message).toContain("(1 problem)");
    expect(notOverridden.message).toContain("wren.toml: engine.contextSize: 0 is less than the minimum (16).");
    expect(notOverridden.message).not.toContain("engine.gpu");
    // A bad overriding value is the one reported: the file's value would not have counted.
    const badVariable = await loadError({ env: { WREN_ENGINE_GPU: "metal2" }, flags: { "engine.contextSize": "64" } });
    expect(badVariable.message).toContain("(1 problem)");
    expect(badVariable.message).toContain('WREN_ENGINE_GPU: engine.gpu: "metal2" is not a valid backend.');
    expect(badVariable.hint).toBe("Fix WREN_ENGINE_GPU, or unset it to use the config files or the default.");
  });

  it("the project file overrides the user file's key: the user's value is not checked, and other bad user keys still are", async () => {
    await writeFile(userFile(), '[engine]\ngpu = "rocm"\ncontextSize = 0\n[server.port]\nvalue = 1\n[models.aliases]\ntiny = ""\nbig = ""\n');
    await writeFile(projectFile(), '[engine]\ngpu = "cpu"\ncontextSize = 64\n[server]\nport = 8080\n[models.aliases]\ntiny = "./tiny.gguf"\nbig = "./big.gguf"\n');
    const overridden = await load();
    expect(overridden.config.engine.gpu).toBe("cpu");
    expect(overridden.config.server.port).toBe(8080);
    expect(overridden.config.models.aliases).toEqual({ tiny: path.join(project, "tiny.gguf"), big: path.join(project, "big.gguf") });
    expect(sourceOf(overridden.sources, "engine.gpu")).toEqual({ key: "engine.gpu", layer: "project", origin: projectFile() });
    // A table whose every key is overridden is not taken for one the user file sets.
    expect(sourceOf(overridden.sources, "engine.sequences")?.layer).toBe("default");
    // A user key the project file does not set is still reported, with its file; a table's other entries too.
    await writeFile(projectFile(), '[engine]\ngpu = "cpu"\n[models.aliases]\ntiny = "./tiny.gguf"\n');
    const notOverridden = await loadError();
    expect(notOverridden.message).toContain("(3 problems)");
    expect(notOverridden.message).toContain("~/.config/wren/config.toml: engine.contextSize: 0 is less than the minimum (16).");
    expect(notOverridden.message).toContain("~/.config/wren/config.toml: server.port:");
    expect(notOverridden.message).toContain("~/.config/wren/config.toml: models.aliases.big: must not be empty.");
    expect(notOverridden.message).not.toContain("engine.gpu");
    expect(notOverridden.message).not.toContain("models.aliases.tiny");
    // A bad project value over a bad user value is the one reported: the user's would not have counted.
    await writeFile(projectFile(), '[engine]\ngpu = "opencl"\ncontextSize = 64\n[server]\nport = 8080\n[models.aliases]\ntiny = "./t.gguf"\nbig = "./b.gguf"\n');
    const badProject = await loadError();
    expect(badProject.message).toContain("(1 problem)");
    expect(badProject.message).toContain('wren.toml: engine.gpu: "opencl" is not a valid backend.');
    expect(badProject.message).not.toContain("config.toml");
  });

  it("a value the layer above replaces whole, as the layers merge, is not checked: a table over a string, an entry whose name has a dot", async () => {
    // A route may be a string or a table: the project's table replaces the user's string whole.
    await writeFile(userFile(), '[router.routes]\ndefault = ""\nfast = ""\n[models.aliases]\n"qwen2.5-coder" = ""\n');
    await writeFile(projectFile(), '[router.routes.default]\ntype = "target"\ntarget = "ollama:qwen3"\n[models.aliases]\n"qwen2.5-coder" = "./q.gguf"\n');
    const error = await loadError();
    expect(error.message).toContain("(1 problem)");
    expect(error.message).toContain("~/.config/wren/config.toml: router.routes.fast:");
    await writeFile(userFile(), '[router.routes]\ndefault = ""\n[models.aliases]\n"qwen2.5-coder" = ""\n');
    const { config, sources } = await load();
    expect(config.router.routes).toEqual({ default: { type: "target", target: "ollama:qwen3" } });
    expect(config.models.aliases).toEqual({ "qwen2.5-coder": path.join(project, "q.gguf") });
    expect(sources.filter((s) => s.key.startsWith("router.routes")).map((s) => s.layer)).toEqual(["project", "project"]);
    // So too a variable over a file.
    await writeFile(userFile(), "");
    await writeFile(projectFile(), '[router.routes]\ndefault = ""\n');
    const fromEnv = await load({ env: { WREN_ROUTER_ROUTES: '{"default": {"type": "target", "target": "openai:gpt-4.1"}}' } });
    expect(fromEnv.config.router.routes).toEqual({ default: { type: "target", target: "openai:gpt-4.1" } });
  });

  it("a named entry the layer above replaces whole is not checked, nor mixed with the entry over it", async () => {
    // A bad stdio server in the user file, an HTTP server of that name in the project: only the project's counts.
    // (In a variable: a project file may not replace the user's MCP server, project-limits.ts.)
    const env = { WREN_MCP_SERVERS: '{"docs": {"type": "http", "url": "https://docs.example.com/mcp"}}' };
    await writeFile(userFile(), '[mcp.servers.docs]\ncommand = ""\n[router.providers.vllm]\nkind = "pool"\n[mcp.servers.git]\ncommand = ""\n');
    // (Not its baseURL: a project file may not choose a provider's server, project-limits.ts.)
    await writeFile(projectFile(), "[router.providers.vllm]\ncloud = true\n");
    const error = await loadError({ env });
    expect(error.message).toContain("(1 problem)");
    expect(error.message).toContain("~/.config/wren/config.toml: mcp.servers.git.command:");
    await writeFile(userFile(), '[mcp.servers.docs]\ncommand = ""\n[router.providers.vllm]\nkind = "pool"\n');
    const { config } = await load({ env });
    expect(config.mcp.servers).toEqual({ docs: { type: "http", url: "https://docs.example.com/mcp" } });
    expect(config.router.providers).toEqual({ vllm: { cloud: true } });
  });

  it("a variable for a table such as models.aliases overrides only the entries it sets, as the layers merge", async () => {
    await writeFile(projectFile(), '[engine]\ncontextSize = 1024\n[models.aliases]\ntiny = ""\nbig = "./big.gguf"\n');
    const { config } = await load({ env: { WREN_MODELS_ALIASES: '{"tiny": "./tiny.gguf"}' } });
    expect(config.models.aliases).toEqual({ tiny: path.join(project, "tiny.gguf"), big: path.join(project, "big.gguf") });
    const error = await loadError({ env: { WREN_MODELS_ALIASES: '{"big": "./b.gguf"}' } });
    expect(error.message).toContain("wren.toml: models.aliases.tiny: must not be empty.");
  });

  it("reports a wrong type with the type wanted", async () => {
    await writeFile(projectFile(), '[server]\nport = "8080"\nhost = 5\ncors = "http://a"\n');
    const error = await loadError();
    expect(error.message).toContain('wren.toml: server.port: expected a number, got the string "8080". Remove the quotes: 8080.');
    expect(error.message).toContain("wren.toml: server.host: expected a string, got 5. Write a string");
    expect(error.message).toContain('wren.toml: server.cors: expected a list, got the string "http://a". Put it in brackets: ["http://a"].');
    expect(error.message).toContain("(3 problems)");
  });

  it("reports an unknown key, suggesting the key that was probably meant", async () => {
    await writeFile(projectFile(), '[engine]\ngpus = "cpu"\ncontext_size = 10\nwhatever = 1\n[sever]\nport = 1\n');
    const error = await loadError();
    expect(error.message).toContain('engine.gpus: is not a known key. Did you mean "gpu"?');
    expect(error.message).toContain('engine.context_size: is not a known key. Did you mean "contextSize"?');
    expect(error.message).toMatch(/engine\.whatever: is not a known key\. Remove it; the keys here are: gpu, gpuSplit, threads, /);
    expect(error.message).toContain('sever: is not a known key. Did you mean "server"?');
  });

  it("points a key written outside its section to the section", async () => {
    await writeFile(projectFile(), 'gpu = "cpu"\n');
    const error = await loadError();
    expect(error.message).toContain('gpu: is not a section. Did you mean "engine.gpu"? Put it under [engine].');
  });

  it("reports a TOML syntax error with the file, line and column", async () => {
    await writeFile(userFile(), '[engine]\ngpu = "cpu"\nthreads = two\n');
    const error = await loadError();
    expect(error.message).toContain("~/.config/wren/config.toml:3:11: TOML syntax error at line 3, column 11:");
  });

  it("refuses more threads than the machine can run at once", async () => {
    await writeFile(projectFile(), "[engine]\nthreads = 9\n");
    const error = await loadError({ availableParallelism: 8 });
    expect(error.message).toContain(
      "wren.toml: engine.threads: 9 is more than this machine's available parallelism (8). Use 8 or less, or remove the key for the default.",
    );
    expect((await load({ availableParallelism: 9 })).config.engine.threads).toBe(9);
  });

  it("reports values out of range and missing required keys", async () => {
    await writeFile(projectFile(), '[server]\nport = 70000\nmaxQueue = -1\n[[server.models]]\nid = "tiny"\n');
    const error = await loadError();
    expect(error.message).toContain("server.port: 70000 is more than the maximum (65535). Use 65535 or less.");
    expect(error.message).toContain("server.maxQueue: -1 is less than the minimum (0). Use 0 or more.");
    expect(error.message).toContain("server.models[0].ref: is required. Add it (a string).");
  });

  it("lists every problem from every layer in one error", async () => {
    await writeFile(userFile(), '[engine]\ngpu = "rocm"\n');
    await writeFile(projectFile(), "[server\n");
    const error = await loadError({
      env: { WREN_ENGINE_GPUS: "cpu", WREN_SERVER_MODELS: "{not json", WREN_SERVER_PORT: "x" },
      flags: { "engine.sequence": 2 },
    });
    const lines = error.message.split("\n").filter((l) => l.startsWith("  "));
    expect(error.message).toContain("(6 problems)");
    expect(lines).toHaveLength(6);
    expect(lines[0]).toContain("~/.config/wren/config.toml: engine.gpu");
    expect(lines[1]).toContain("wren.toml:1:");
    expect(lines[5]).toContain("--engine.sequence");
    expect(error.message).toContain("WREN_ENGINE_GPUS: is not a wren setting. Did you mean WREN_ENGINE_GPU?");
    expect(error.message).toContain("WREN_SERVER_MODELS: server.models: must be a JSON list of tables");
    expect(error.message).toContain('WREN_SERVER_PORT: server.port: expected a number, got the string "x"');
    expect(error.message).toContain('--engine.sequence: is not a known key. Did you mean "sequences"?');
    expect(error.message).toMatch(/wren\.toml:1:\d+: TOML syntax error/);
    expect(error.hint).toContain("wren config validate");
  });

  it("reports a named config file that does not exist", async () => {
    const error = await loadError({ userFile: path.join(root, "nope.toml") });
    expect(error.message).toContain("nope.toml: does not exist. Check the path, or create the file.");
  });
});
