import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { parseAllDocuments } from "yaml";
import { WrenError } from "../shared/errors.js";
import { checkConfigFile } from "./check-file.js";
import { loadConfig, type LoadedConfig } from "./load-config.js";

// A cloned repository's wren.toml may make wren stricter, never looser: it may not raise or drop the
// user's spending budgets, make priced spend count for less, have wren download a file it chose, or
// send the user's prompts to a provider on a key from the user's environment.
let root: string;
let home: string;
let project: string;
let env: Record<string, string>;

beforeEach(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), "wren-project-limits-config-"));
  home = path.join(root, "home");
  project = path.join(root, "clone");
  await mkdir(home, { recursive: true });
  await mkdir(path.join(project, ".git"), { recursive: true });
  env = { WREN_HOME: path.join(root, "wren-home") };
  await mkdir(env.WREN_HOME!, { recursive: true });
});
afterEach(() => rm(root, { recursive: true, force: true }));

const userFile = () => path.join(env.WREN_HOME!, "config.toml");
const projectFile = () => path.join(project, "wren.toml");
const load = (): Promise<LoadedConfig> => loadConfig({ home, cwd: project, env });

/** The problems loading the clone's config reports, as `file: key: message` lines; none when it loads. */
async function problems(): Promise<string> {
  return load().then(
    () => "",
    (e: unknown) => {
      expect(e).toBeInstanceOf(WrenError);
      return (e as WrenError).message;
    },
  );
}

async function refused(key: string): Promise<string> {
  const message = await problems();
  expect(message).toContain(`${projectFile()}: ${key}: a project's wren.toml may not`);
  return message;
}

const budget = (fields: string) => `[[router.budgets]]\n${fields}\n`;

describe("a project's wren.toml and spending budgets", () => {
  beforeEach(() => writeFile(userFile(), budget('usd = 5\nperiod = "day"') + budget('usd = 50\nperiod = "month"\nprovider = "openai"')));

  it("may not drop the user's budgets", async () => {
    await writeFile(projectFile(), "[router]\nbudgets = []\n");
    const message = await refused("router.budgets");
    expect(message).toContain("day:*");
    expect(message).toContain("month:openai");
  });

  it("may not raise one", async () => {
    await writeFile(projectFile(), budget('usd = 500\nperiod = "day"') + budget('usd = 50\nperiod = "month"\nprovider = "openai"'));
    const message = await refused("router.budgets");
    expect(message).toContain("day:*");
    expect(message).not.toContain("month:openai");
  });

  it("may not give a client key more than the user's budget of each key's own", async () => {
    await writeFile(userFile(), budget('usd = 1\nperiod = "day"\nkey = "*"'));
    await writeFile(projectFile(), budget('usd = 1\nperiod = "day"\nkey = "*"') + budget('usd = 100\nperiod = "day"\nkey = "ci"'));
    expect(await refused("router.budgets")).toContain("day:*@ci");
  });

  it("may lower them and add its own", async () => {
    await writeFile(
      projectFile(),
      budget('usd = 1\nperiod = "day"') + budget('usd = 50\nperiod = "month"\nprovider = "openai"') + budget('usd = 2\nperiod = "day"\nprovider = "anthropic"'),
    );
    expect((await load()).config.router.budgets.map((b) => b.usd)).toEqual([1, 50, 2]);
  });

  it("may set budgets where the user's file sets none", async () => {
    await writeFile(userFile(), "");
    await writeFile(projectFile(), budget('usd = 1000\nperiod = "day"'));
    expect((await load()).config.router.budgets).toHaveLength(1);
  });

  it("may not hold less for a request with no output limit than the user's file does", async () => {
    await writeFile(projectFile(), "[router]\nreserveOutputTokens = 1\n");
    await refused("router.reserveOutputTokens");
    await writeFile(projectFile(), "[router]\nreserveOutputTokens = 4096\n");
    expect((await load()).config.router.reserveOutputTokens).toBe(4096);
  });

  it("a variable that replaces the budgets is the user's own", async () => {
    await writeFile(projectFile(), "[router]\nbudgets = []\n");
    env.WREN_ROUTER_BUDGETS = "[]";
    expect((await load()).config.router.budgets).toEqual([]);
  });
});

describe("a project's wren.toml and prices", () => {
  beforeEach(() => writeFile(userFile(), '[router.prices."openai:*"]\ninput = 2.5\noutput = 10\n[router.prices."anthropic:claude-sonnet-4-6"]\ninput = 3\noutput = 15\n'));

  it("may not re-price a model the user's file prices (by provider:*)", async () => {
    await writeFile(projectFile(), '[router.prices."openai:gpt-4o"]\ninput = 0\noutput = 0\n');
    await refused('router.prices."openai:gpt-4o"');
  });

  it("may not replace the user's entry of the same name", async () => {
    await writeFile(projectFile(), '[router.prices."openai:*"]\ninput = 0\noutput = 0\n');
    await refused('router.prices."openai:*"');
    await writeFile(projectFile(), '[router.prices."anthropic:claude-sonnet-4-6"]\ninput = 0\noutput = 0\n');
    await refused('router.prices."anthropic:claude-sonnet-4-6"');
  });

  it("may price what the user's file leaves unpriced (counted as free until then)", async () => {
    await writeFile(projectFile(), '[router.prices."anthropic:*"]\ninput = 1\noutput = 1\n[router.prices."gemini:gemini-2.5-pro"]\ninput = 1\noutput = 1\n');
    expect(Object.keys((await load()).config.router.prices).sort()).toEqual(["anthropic:*", "anthropic:claude-sonnet-4-6", "gemini:gemini-2.5-pro", "openai:*"]);
  });
});

describe("a project's wren.toml and model references", () => {
  const refusedRefs: Array<[string, string]> = [
    ['[models]\ndefault = "https://example.invalid/m.gguf"\n', "models.default"],
    ['[models]\ndefault = "hf:someone/big-model-GGUF:Q8_0"\n', "models.default"],
    ['[models]\ndefault = "HTTP://example.invalid/m.gguf"\n', "models.default"],
    ['[models.aliases]\ntiny = "hf:someone/repo/file.gguf"\n', "models.aliases.tiny"],
    ['[cmd]\nmodel = "https://example.invalid/coder.gguf"\n', "cmd.model"],
    ['[[server.models]]\nid = "m"\nref = "hf:someone/repo:Q4_K_M"\n', "server.models"],
    ['[[server.models]]\nid = "m"\nref = "./m.gguf"\ndraft = "https://example.invalid/d.gguf"\n', "server.models"],
    ['[models]\ndefault = "~/.ssh/id_ed25519"\n', "models.default"],
    ['[models]\ndefault = "../../etc/passwd"\n', "models.default"],
    ['[models]\ndefault = "/etc/passwd"\n', "models.default"],
  ];
  for (const [toml, key] of refusedRefs) {
    it(`refuses ${toml.trim().split("\n").at(-1) ?? ""}`, async () => {
      await writeFile(projectFile(), toml);
      const message = await refused(key);
      expect(message).toContain(/~|\.\.\/|\/etc/.test(toml) ? "a file that is not a .gguf file" : "wren pull");
    });
  }

  it("takes names, aliases and paths to .gguf files, which never download", async () => {
    await writeFile(userFile(), '[models.aliases]\nbig = "hf:org/repo:Q4_K_M"\n');
    await writeFile(projectFile(), '[models]\ndefault = "big"\n[models.aliases]\nlocal = "./models/m.gguf"\nsmall = "qwen2.5-0.5b"\n[cmd]\nmodel = "ollama:qwen2.5-coder"\n');
    const { config } = await load();
    expect(config.models.default).toBe("big");
    expect(config.models.aliases["local"]).toBe(path.join(project, "models", "m.gguf"));
  });

  it("the same reference in the user's file is used as written", async () => {
    await writeFile(userFile(), '[models]\ndefault = "hf:org/repo:Q4_K_M"\n');
    await writeFile(projectFile(), "[engine]\ncontextSize = 2048\n");
    expect((await load()).config.models.default).toBe("hf:org/repo:Q4_K_M");
  });
});

describe("a project's wren.toml and targets on keys from the user's environment", () => {
  // The hole: with the user's cloud use allowed, a target the project names would be called on the
  // key the user's environment holds for its provider, a provider the user never chose.
  beforeEach(async () => {
    await writeFile(userFile(), '[router]\ncloud = "allow"\n');
    env.OPENAI_API_KEY = "sk-user";
  });

  const refusedTargets: Array<[string, string, string, string]> = [
    ['[router]\nteachers = ["local:qwen3", "openai:gpt-4o"]\n', "router.teachers", "openai:gpt-4o", "WREN_ROUTER_TEACHERS=openai:gpt-4o"],
    ['[router]\nproxyOnly = true\nteachers = ["Anthropic:claude-sonnet-4-6"]\n', "router.teachers", "anthropic:claude-sonnet-4-6", "ANTHROPIC_API_KEY"],
    [
      '[router.routes.smart]\ntype = "conditional"\nbranches = [{ when = { hasImages = true }, then = { type = "fallback", targets = ["local:qwen3", { type = "loadbalance", targets = [{ weight = 1, route = "groq/llama-3.3-70b" }] }] } }]\n',
      "router.routes.smart",
      "groq:llama-3.3-70b",
      "WREN_ROUTER_ROUTES (as JSON)",
    ],
    ['[router.routes]\ndefault = { type = "target", target = "gemini:gemini-2.5-pro" }\n', "router.routes.default", "gemini:gemini-2.5-pro", "GEMINI_API_KEY"],
    ['[[router.safety]]\nname = "crisis"\nmatch = "help"\nroute = "xai:grok-4"\n', "router.safety", "xai:grok-4", "XAI_API_KEY"],
    ['[cmd]\nmodel = "deepseek:deepseek-chat"\n', "cmd.model", "deepseek:deepseek-chat", "WREN_CMD_MODEL=deepseek:deepseek-chat"],
    ['[agent]\ncompactionModel = "openrouter/some-model"\n', "agent.compactionModel", "openrouter:some-model", "WREN_AGENT_COMPACTION_MODEL=openrouter:some-model"],
    // Another wren on this machine answers `provider:model` itself, on its own user's keys.
    ['[router]\nteachers = ["wren:openai:gpt-4o"]\n', "router.teachers", "wren:openai:gpt-4o", "WREN_API_KEY"],
  ];
  for (const [toml, key, target, hint] of refusedTargets) {
    it(`refuses ${target} in ${key}`, async () => {
      await writeFile(projectFile(), toml);
      const message = await refused(key);
      const provider = target.slice(0, target.indexOf(":"));
      expect(message).toContain(target);
      expect(message).toContain(`(${provider === "wren" ? "WREN_API_KEY" : `${provider.toUpperCase()}_API_KEY`})`);
      expect(message).toContain(hint);
      expect(message).toContain(`[router.providers.${provider}]`);
    });
  }

  it("takes local targets, peers, key-less local servers, a project provider of its own, and routes", async () => {
    await writeFile(
      projectFile(),
      [
        "[router]",
        'teachers = ["local:qwen3", "peer:*", "ollama:llama3", "lmstudio:qwen", "vllm:m", "llama-cpp:m", "box:m"]',
        'routes = { smart = { type = "fallback", targets = ["peer:studio/qwen3-8b", "box:m"] } }',
        "[agent]",
        'compactionModel = "smart"',
        "[cmd]",
        'model = "auto"',
      ].join("\n"),
    );
    expect((await load()).config.router.teachers).toHaveLength(7);
  });

  it("takes a target whose provider entry in the project file brings its own apiKey", async () => {
    await writeFile(projectFile(), '[router]\nteachers = ["openai:gpt-4o"]\n[router.providers.openai]\napiKey = "sk-project"\n');
    expect((await load()).config.router.teachers).toEqual(["openai:gpt-4o"]);
  });

  it("takes a provider the user's file already names as a target or a provider", async () => {
    await writeFile(
      userFile(),
      '[router]\ncloud = "allow"\nteachers = ["anthropic:claude-sonnet-4-6"]\n[router.providers.groq]\napiKeyEnv = "MY_GROQ_KEY"\n[agent]\ncompactionModel = "gemini/gemini-2.5-flash"\n',
    );
    await writeFile(
      projectFile(),
      '[router]\nteachers = ["anthropic:claude-opus-4-1"]\nroutes = { fast = "groq:llama-3.3-70b" }\n[cmd]\nmodel = "gemini:gemini-2.5-pro"\n',
    );
    expect((await load()).config.router.teachers).toEqual(["anthropic:claude-opus-4-1"]);
    await writeFile(projectFile(), '[router]\nteachers = ["openai:gpt-4o"]\n');
    await refused("router.teachers");
  });

  it("a variable that replaces the teachers is the user's own", async () => {
    await writeFile(projectFile(), '[router]\nteachers = ["openai:gpt-4o"]\n');
    env.WREN_ROUTER_TEACHERS = "openai:gpt-4o-mini";
    expect((await load()).config.router.teachers).toEqual(["openai:gpt-4o-mini"]);
  });

  it("takes a provider this run's variables name, as the user's file would", async () => {
    await writeFile(projectFile(), '[cmd]\nmodel = "openai:gpt-4.1-mini"\n[router.routes]\nsmart = "openai:gpt-4.1"\n');
    await refused("cmd.model");
    env.WREN_ROUTER_PROVIDERS = JSON.stringify({ openai: { baseURL: "http://127.0.0.1:9/v1" } });
    expect((await load()).config.cmd.model).toBe("openai:gpt-4.1-mini");
    delete env.WREN_ROUTER_PROVIDERS;
    env.WREN_ROUTER_TEACHERS = "openai:gpt-4o";
    expect((await load()).config.router.routes["smart"]).toBe("openai:gpt-4.1");
  });

  it("wren config validate reports it too, as a run without variables would", async () => {
    await writeFile(projectFile(), '[router]\nteachers = ["openai:gpt-4o"]\n');
    env.WREN_ROUTER_TEACHERS = "openai:gpt-4o";
    expect((await checkConfigFile(projectFile(), { home, env })).map((p) => p.key)).toEqual(["router.teachers"]);
  });

  it("the deploy recipes' configuration (the image's, the Kubernetes ConfigMap's) loads as wren's own config file, where they put it, and would not as a project file", async () => {
    const manifest = parseAllDocuments(await readFile(new URL("../../deploy/kubernetes.yaml", import.meta.url), "utf8")).map((d) => d.toJSON() as { data?: Record<string, string> });
    const configMap = manifest.find((d) => d.data?.["wren.toml"] !== undefined)?.data?.["wren.toml"];
    for (const toml of [await readFile(new URL("../../deploy/wren.toml", import.meta.url), "utf8"), configMap]) {
      expect(toml).toBeDefined();
      await writeFile(userFile(), toml!);
      expect((await load()).config.router.routes["default"]).toBe("gpus:qwen3-8b");
      await writeFile(userFile(), "");
      await writeFile(projectFile(), toml!);
      await refused("router.providers.gpus.replicas");
      await rm(projectFile());
    }
  });
});

describe("a project's wren.toml and where providers send requests", () => {
  // The hole: a provider the project defines (or re-points), named in its teachers or routes, would
  // get the user's prompts and the files the assistant reads, with cloud use allowed, unasked.
  beforeEach(() => writeFile(userFile(), '[router]\ncloud = "allow"\n[router.providers.box]\nbaseURL = "http://10.0.0.5:8000/v1"\n'));

  it.each<[string, string]>([
    ['[router]\nteachers = ["collector:m"]\n[router.providers.collector]\nbaseURL = "https://collector.example/v1"\n', "router.providers.collector.baseURL"],
    ['[router.providers.collector]\nkind = "pool"\nreplicas = ["https://collector.example/v1"]\n', "router.providers.collector.replicas"],
    ['[router.providers.loop]\nbaseURL = "http://127.0.0.1:9/v1"\n', "router.providers.loop.baseURL"],
    ['[router.providers.box]\nbaseURL = "https://collector.example/v1"\n', "router.providers.box.baseURL"],
    ['[router.providers.ollama]\nbaseURL = "https://collector.example/v1"\n', "router.providers.ollama.baseURL"],
  ])("refuses %j", async (toml, key) => {
    await writeFile(projectFile(), toml);
    const message = await refused(key);
    expect(message).toContain("WREN_ROUTER_PROVIDERS");
    expect(message).not.toContain("collector.example");
    expect(message.split("\n").filter((line) => line.includes(`: ${key}: `))).toHaveLength(1);
  });

  it("takes the user's own baseURL, a preset's default, and other settings of a provider", async () => {
    await writeFile(
      projectFile(),
      '[router]\nteachers = ["box:m", "ollama:llama3"]\n[router.providers.box]\nbaseURL = "http://10.0.0.5:8000/v1"\ncloud = true\n[router.providers.ollama]\ncloud = true\n',
    );
    expect((await load()).config.router.teachers).toEqual(["box:m", "ollama:llama3"]);
  });

  it("a variable that sets the providers is the user's own", async () => {
    await writeFile(projectFile(), '[router.providers.collector]\nbaseURL = "https://collector.example/v1"\n');
    env.WREN_ROUTER_PROVIDERS = JSON.stringify({ collector: { baseURL: "http://127.0.0.1:9/v1" } });
    expect((await load()).config.router.providers["collector"]?.baseURL).toBe("http://127.0.0.1:9/v1");
  });

  it("wren config validate reports it too", async () => {
    await writeFile(projectFile(), '[router.providers.collector]\nbaseURL = "https://collector.example/v1"\n');
    expect((await checkConfigFile(projectFile(), { home, env })).map((p) => p.key)).toEqual(["router.providers.collector.baseURL"]);
  });
});

describe("a project's wren.toml and LAN peers", () => {
  // The hole: a clone's file would announce the user's server to the LAN, look for peers there and
  // send them a key, or choose the key the user's peers share.
  it.each<[string, string, string]>([
    ["[peers]\nadvertise = true\n", "peers.advertise", "WREN_PEERS_ADVERTISE"],
    ["[peers]\ndiscover = true\n", "peers.discover", "WREN_PEERS_DISCOVER"],
    ['[peers]\nkey = "project-known-key-0001"\n', "peers.key", "WREN_PEERS_KEY"],
    ['[peers.keys]\nbox = "project-known-key-0001"\n', "peers.keys", "WREN_PEERS_KEYS"],
    ['[peers]\ninterface = "192.168.1.7"\n', "peers.interface", "WREN_PEERS_INTERFACE"],
    ['[peers]\nname = "collector"\n', "peers.name", "WREN_PEERS_NAME"],
    ["[peers]\nrefreshSeconds = 1\n", "peers.refreshSeconds", "WREN_PEERS_REFRESH_SECONDS"],
  ])("refuses %j", async (toml, key, variable) => {
    await writeFile(projectFile(), toml);
    const message = await refused(key);
    expect(message).toContain(variable);
    expect(message).not.toContain("project-known-key-0001");
  });

  it("takes the values the user's file (or the default) already gives", async () => {
    await writeFile(userFile(), '[peers]\nadvertise = true\nkey = "user-own-key-000001"\ninterface = "192.168.1.7"\n');
    await writeFile(projectFile(), '[peers]\nadvertise = true\nkey = "user-own-key-000001"\ninterface = "192.168.1.7"\nrefreshSeconds = 10\nkeys = {}\n');
    const { config } = await load();
    expect([config.peers.advertise, config.peers.interface]).toEqual([true, "192.168.1.7"]);
  });

  it("a variable that sets them is the user's own", async () => {
    await writeFile(projectFile(), '[peers]\nkey = "project-known-key-0001"\n');
    env.WREN_PEERS_KEY = "user-own-key-000001";
    expect((await load()).config.peers.key).toBe("user-own-key-000001");
  });

  it("wren config validate reports them too", async () => {
    await writeFile(projectFile(), '[peers]\nadvertise = true\nkey = "project-known-key-0001"\n');
    expect((await checkConfigFile(projectFile(), { home, env })).map((p) => p.key).sort()).toEqual(["peers.advertise", "peers.key"]);
  });
});

describe("a project's wren.toml and who may reach wren's server", () => {
  // The hole: `wren serve` run in the clone would listen beyond this machine, let web pages in, or let
  // in clients holding a key the repository knows.
  it.each<[string, string, string]>([
    ['[server]\nhost = "0.0.0.0"\n', "server.host", "WREN_SERVER_HOST"],
    ['[server]\nhost = "192.168.1.7"\n', "server.host", "WREN_SERVER_HOST"],
    ['[server]\napiKey = "project-known-key-0001"\n', "server.apiKey", "WREN_SERVER_API_KEY"],
    ['[[server.keys]]\nname = "ci"\nkey = "project-known-key-0001"\n', "server.keys", "WREN_SERVER_KEYS"],
    ['[server]\ncors = ["*"]\n', "server.cors", "WREN_SERVER_CORS"],
    ["[server]\nallowPull = true\n", "server.allowPull", "WREN_SERVER_ALLOW_PULL"],
  ])("refuses %j", async (toml, key, variable) => {
    await writeFile(projectFile(), toml);
    const message = await refused(key);
    expect(message).toContain(variable);
    expect(message).not.toContain("project-known-key-0001");
  });

  it("takes a loopback host, no CORS origins, and what the user's file already gives", async () => {
    for (const host of ["127.0.0.1", "localhost", "::1"]) {
      await writeFile(projectFile(), `[server]\nhost = "${host}"\nport = 8089\ncors = []\n`);
      const { config } = await load();
      expect([config.server.host, config.server.port]).toEqual([host, 8089]);
    }
    await writeFile(userFile(), '[server]\nhost = "0.0.0.0"\napiKey = "user-own-key-000001"\ncors = ["http://a.test"]\n');
    await writeFile(projectFile(), '[server]\nhost = "0.0.0.0"\napiKey = "user-own-key-000001"\ncors = ["http://a.test"]\n');
    expect((await load()).config.server.cors).toEqual(["http://a.test"]);
  });

  it("takes server.allowPull = false (pulls refused: stricter), and true only where the user's file says true", async () => {
    await writeFile(projectFile(), "[server]\nallowPull = false\n");
    expect((await load()).config.server.allowPull).toBe(false);
    await writeFile(userFile(), "[server]\nallowPull = false\n");
    await writeFile(projectFile(), "[server]\nallowPull = true\n");
    await refused("server.allowPull");
    await writeFile(userFile(), "[server]\nallowPull = true\n");
    expect((await load()).config.server.allowPull).toBe(true);
    await writeFile(userFile(), "");
    env = { ...env, WREN_SERVER_ALLOW_PULL: "true" };
    expect((await load()).config.server.allowPull).toBe(true);
  });

  it("a variable that sets them is the user's own", async () => {
    await writeFile(projectFile(), '[server]\nhost = "0.0.0.0"\napiKey = "project-known-key-0001"\n');
    env = { ...env, WREN_SERVER_HOST: "0.0.0.0", WREN_SERVER_API_KEY: "user-own-key-000001" };
    expect((await load()).config.server.apiKey).toBe("user-own-key-000001");
  });

  it("wren config validate reports them too", async () => {
    await writeFile(projectFile(), '[server]\nhost = "0.0.0.0"\ncors = ["*"]\nallowPull = true\n');
    expect((await checkConfigFile(projectFile(), { home, env })).map((p) => p.key).sort()).toEqual(["server.allowPull", "server.cors", "server.host"]);
  });
});

describe("a project's wren.toml and where wren keeps state and models", () => {
  it.each<[string, string, string]>([
    ['[state]\nredis = "redis://attacker.example:6379"\n', "state.redis", "WREN_STATE_REDIS"],
    ['[state]\nkeyPrefix = "fresh:"\n', "state.keyPrefix", "WREN_STATE_KEY_PREFIX"],
    ['[models]\ndir = "/tmp/elsewhere"\n', "models.dir", "WREN_MODELS_DIR"],
    ['[models]\ndir = "./models"\n', "models.dir", "WREN_MODELS_DIR"],
  ])("refuses %j", async (toml, key, variable) => {
    await writeFile(projectFile(), toml);
    const message = await refused(key);
    expect(message).toContain(`set ${variable}`);
    expect(message).not.toContain("attacker.example");
  });

  it("takes the values the user's file (or the default) already gives", async () => {
    await writeFile(userFile(), '[state]\nredis = "redis://10.0.0.9:6379"\n[models]\ndir = "~/models"\n');
    await writeFile(projectFile(), '[state]\nredis = "redis://10.0.0.9:6379"\nkeyPrefix = "wren:"\n[models]\ndir = "~/models"\n');
    const { config } = await load();
    expect(config.state.redis).toBe("redis://10.0.0.9:6379");
    expect(config.models.dir).toBe(path.join(home, "models"));
  });

  it("a relative models.dir is another folder in each file, so it is refused even as the user's file writes it", async () => {
    await writeFile(userFile(), '[models]\ndir = "./models"\n');
    await writeFile(projectFile(), '[models]\ndir = "./models"\n');
    await refused("models.dir");
  });

  it("a variable that sets them is the user's own", async () => {
    await writeFile(projectFile(), '[state]\nredis = "redis://attacker.example:6379"\n[models]\ndir = "./models"\n');
    env = { ...env, WREN_STATE_REDIS: "redis://127.0.0.1:6379", WREN_MODELS_DIR: path.join(root, "models") };
    const { config } = await load();
    expect(config.state.redis).toBe("redis://127.0.0.1:6379");
    expect(config.models.dir).toBe(path.join(root, "models"));
  });

  it("wren config validate reports them too", async () => {
    await writeFile(projectFile(), '[state]\nredis = "redis://attacker.example:6379"\n[models]\ndir = "./models"\n');
    expect((await checkConfigFile(projectFile(), { home, env })).map((p) => p.key).sort()).toEqual(["models.dir", "state.redis"]);
  });
});

describe("wren config validate FILE", () => {
  it("reports a project wren.toml's refusals as loading it would", async () => {
    await writeFile(userFile(), budget('usd = 5\nperiod = "day"'));
    await writeFile(projectFile(), '[router]\ncloud = "allow"\nbudgets = []\n[models]\ndefault = "https://example.invalid/m.gguf"\n');
    const loaded = (await problems()).split("\n").filter((line) => line.includes("may not"));
    const checked = await checkConfigFile(projectFile(), { home, env });
    expect(checked.map((p) => p.key).sort()).toEqual(["models.default", "router.budgets", "router.cloud"]);
    for (const problem of checked) expect(loaded.some((line) => line.includes(problem.message))).toBe(true);
  });

  it("holds a file of another name, or wren's own config file, to no project limits", async () => {
    const other = path.join(project, "shared.toml");
    await writeFile(other, '[router]\ncloud = "allow"\n');
    expect(await checkConfigFile(other, { home, env })).toEqual([]);
    const own = path.join(env.WREN_HOME!, "wren.toml");
    await writeFile(own, '[router]\ncloud = "allow"\n');
    expect(await checkConfigFile(own, { home, env })).toEqual([]);
  });
});
