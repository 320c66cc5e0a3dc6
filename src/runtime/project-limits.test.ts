import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { loadConfig, type LoadedConfig } from "../config/index.js";
import { WrenError } from "../shared/errors.js";
import { openAgentRun } from "./agent.js";

// A cloned repository's wren.toml may make wren stricter, never looser than the user made it: it
// may not start the assistant in a mode that asks less, skip cloud consent, or take over a server
// the user allowed by name.
let root: string;
let home: string;
let project: string;
let env: Record<string, string>;

beforeEach(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), "wren-project-limits-"));
  home = path.join(root, "home");
  project = path.join(root, "clone");
  await mkdir(path.join(home, ".config", "wren"), { recursive: true });
  await mkdir(path.join(project, ".git"), { recursive: true });
  env = { WREN_HOME: path.join(root, "wren-home"), WREN_MODELS_DEFAULT: "", OPENAI_API_KEY: "sk-user" };
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
