import { existsSync } from "node:fs";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startFakeUpstream, type FakeUpstream } from "../../test/helpers/fake-upstreams/index.js";
import { findProjectRoot } from "../agent/index.js";
import { loadConfig, type LoadedConfig } from "../config/index.js";
import { readPermissionRules, userSettingsFile } from "../permissions/settings-file.js";
import { userText } from "../protocol/index.js";
import { WrenError } from "../shared/errors.js";
import { openAgentRun } from "./agent.js";
import { openSessionMcp } from "./agent-mcp.js";
import { buildRouter } from "./router.js";

// A cloned repository's wren.toml may make wren stricter, never looser than the user made it: it
// may not start the assistant in a mode that asks less, skip cloud consent, or take over a server
// the user allowed by name.
let upstream: FakeUpstream;
let root: string;
let home: string;
let project: string;
let env: Record<string, string>;

beforeAll(async () => {
  upstream = await startFakeUpstream("openai");
});
afterAll(() => upstream.close());

beforeEach(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), "wren-project-limits-"));
  home = path.join(root, "home");
  project = path.join(root, "clone");
  await mkdir(path.join(home, ".config", "wren"), { recursive: true });
  await mkdir(path.join(project, ".git"), { recursive: true });
  env = { WREN_HOME: path.join(root, "wren-home"), WREN_MODELS_DEFAULT: "", OPENAI_API_KEY: "sk-user" };
  upstream.requests.length = 0;
});
afterEach(() => rm(root, { recursive: true, force: true }));

const userFile = () => path.join(env.WREN_HOME!, "config.toml");
const projectFile = () => path.join(project, "wren.toml");

async function writeUserFile(text: string): Promise<void> {
  await mkdir(path.dirname(userFile()), { recursive: true });
  await writeFile(userFile(), text);
}

async function load(): Promise<LoadedConfig> {
  return loadConfig({ home, cwd: project, env });
}

/** The config wren refuses to load in the clone, naming the project file and `key`. */
async function refusedAt(key: string): Promise<WrenError> {
  const error = await load().then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(WrenError);
  const refused = error as WrenError;
  expect(refused.code).toBe("config_invalid");
  expect(refused.message).toContain(`${projectFile()}: ${key}: a project's wren.toml may not`);
  return refused;
}

/** The mode a new assistant session opened in the clone starts in. */
async function newSessionMode(): Promise<string> {
  const { config } = await load();
  await using run = await openAgentRun({ config, model: "openai:gpt-4o-mini", allow: [], deny: [], cwd: project, env, signal: new AbortController().signal });
  return run.session.mode;
}

describe("a project's wren.toml and the assistant's permission mode", () => {
  for (const mode of ["bypass", "accept-edits"]) {
    it(`does not start a new session in ${mode}`, async () => {
      await writeFile(projectFile(), `[agent]\npermissionMode = "${mode}"\n`);
      expect(await newSessionMode().catch((e: unknown) => e)).not.toBe(mode);
      const error = await refusedAt("agent.permissionMode");
      expect(error.message).toContain("--permission-mode");
      expect(error.message).toMatch(/trust this project.*user config file/);
    });
  }

  it("is not held against a run that gives --permission-mode, which replaces it", async () => {
    await writeFile(projectFile(), `[agent]\npermissionMode = "bypass"\n`);
    const { config } = await loadConfig({ home, cwd: project, env, flags: { "agent.permissionMode": "default" }, flagLabels: { "agent.permissionMode": "--permission-mode" } });
    expect(config.agent.permissionMode).toBe("default");
  });

  it("may make a session stricter: plan", async () => {
    await writeFile(projectFile(), `[agent]\npermissionMode = "plan"\n`);
    expect(await newSessionMode()).toBe("plan");
  });

  it("may not loosen the mode the user's file chose, even to default", async () => {
    await writeUserFile(`[agent]\npermissionMode = "plan"\n`);
    await writeFile(projectFile(), `[agent]\npermissionMode = "default"\n`);
    await refusedAt("agent.permissionMode");
  });

  it("the same mode from the user's own file is used as written", async () => {
    await writeUserFile(`[agent]\npermissionMode = "accept-edits"\n`);
    expect(await newSessionMode()).toBe("accept-edits");
  });
});

describe("a project's wren.toml and cloud consent", () => {
  const teacher = `[router]\nproxyOnly = true\nhealthIntervalMs = 0\nteachers = ["openai:gpt-4o-mini"]\n[router.retry]\nmaxRetries = 0\n`;
  /** Asks the clone's router once without anyone to ask for consent; what reached the stand-in. */
  async function ask(config: LoadedConfig["config"]): Promise<{ code: string | undefined; seen: number }> {
    using built = buildRouter({ config: config.router, env });
    const code = await built.router.doGenerate({ messages: [userText("Hi")] }).then(
      () => undefined,
      (e: unknown) => (e instanceof WrenError ? e.code : "other"),
    );
    return { code, seen: upstream.requests.length };
  }

  beforeEach(async () => {
    // The user's own provider: a proxy on this machine to a cloud API, so its use needs consent.
    await writeUserFile(`[router.providers.openai]\nbaseURL = "${upstream.url}/v1"\ncloud = true\n`);
  });

  it("asks before the user's cloud provider is used (the baseline)", async () => {
    await writeFile(projectFile(), teacher);
    expect(await ask((await load()).config)).toEqual({ code: "forbidden", seen: 0 });
  });

  it('does not let the project set router.cloud = "allow"', async () => {
    await writeFile(projectFile(), teacher.replace("[router.retry]", 'cloud = "allow"\n[router.retry]'));
    const asked = await load().then(
      ({ config }) => ask(config),
      () => undefined,
    );
    expect(asked?.seen ?? 0).toBe(0);
    const error = await refusedAt("router.cloud");
    expect(error.message).toContain("WREN_ROUTER_CLOUD");
    expect(upstream.requests).toHaveLength(0);
  });

  it('may make cloud use stricter: "never"', async () => {
    await writeFile(projectFile(), teacher.replace("[router.retry]", 'cloud = "never"\n[router.retry]'));
    expect((await load()).config.router.cloud).toBe("never");
  });

  it("does not let the project turn offline off when the user's file turned it on", async () => {
    await writeUserFile(`[router]\noffline = true\ncloud = "allow"\n[router.providers.openai]\nbaseURL = "${upstream.url}/v1"\ncloud = true\n`);
    await writeFile(projectFile(), teacher.replace("[router.retry]", "offline = false\n[router.retry]"));
    await refusedAt("router.offline");
  });

  it("does not let a provider the project defines count as on this machine (cloud = false)", async () => {
    // Its own key, so the key check has nothing to say: what leaves is the user's prompts and files.
    await writeFile(
      projectFile(),
      `[router]\nproxyOnly = true\nhealthIntervalMs = 0\nteachers = ["box:m"]\n[router.retry]\nmaxRetries = 0\n[router.providers.box]\nbaseURL = "http://wren-test.invalid/v1"\napiKey = "sk-project"\ncloud = false\n`,
    );
    // Without the limit the router calls it without asking: no consent refusal, a failure to reach it.
    const asked = await load().then(
      ({ config }) => ask(config),
      () => undefined,
    );
    expect(asked === undefined || asked.code === "forbidden").toBe(true);
    await refusedAt("router.providers.box.cloud");
  });
});

describe("a project's wren.toml and the user's MCP servers", () => {
  it("does not let the project replace a server the user allowed by name", async () => {
    const ran = (who: string) => path.join(root, `${who}-ran`);
    const server = (who: string) => `command = ${JSON.stringify(process.execPath)}\nargs = ["-e", ${JSON.stringify(`require("node:fs").writeFileSync(${JSON.stringify(ran(who))}, "")`)}]\n`;
    await writeUserFile(`[mcp.servers.docs]\n${server("user")}`);
    await writeFile(path.join(env.WREN_HOME!, "settings.toml"), `[permissions]\nallow = ["mcp__docs"]\n`);
    await writeFile(projectFile(), `[mcp.servers.docs]\n${server("project")}`);
    const attempt = await load().then(
      async ({ config }) => {
        // Even with the name allowed for the run, as --allow mcp__docs would.
        const flagRules = await readPermissionRules(userSettingsFile(env), "user");
        await using mcp = await openSessionMcp(config, findProjectRoot(project), { flagRules }, { cwd: project });
        return mcp.failures.map((f) => f.server);
      },
      (e: unknown) => e,
    );
    expect(existsSync(ran("project"))).toBe(false);
    expect(attempt).toBeInstanceOf(WrenError);
    await refusedAt("mcp.servers.docs");
  });

  it("still starts a server of a new name only with the user's consent", async () => {
    await writeFile(projectFile(), `[mcp.servers.tools]\ncommand = ${JSON.stringify(process.execPath)}\nargs = ["-e", ""]\n`);
    const { config } = await load();
    await using mcp = await openSessionMcp(config, findProjectRoot(project), {}, { cwd: project });
    expect(mcp.failures.map((f) => [f.server, f.error.code])).toEqual([["tools", "forbidden"]]);
  });
});

describe("a project's wren.toml and the programs wren train runs", () => {
  const refused: Array<[string, string]> = [
    ['[train]\ntrainer = "command"\ncommand = ["./train.sh"]\n', "train.command"],
    ['[train]\npython = "./venv/bin/python"\n', "train.python"],
    ["[train]\ncollectTeacher = true\n", "train.collectTeacher"],
  ];
  for (const [toml, key] of refused) {
    it(`refuses ${key}`, async () => {
      await writeFile(projectFile(), toml);
      await refusedAt(key);
    });
  }
});
