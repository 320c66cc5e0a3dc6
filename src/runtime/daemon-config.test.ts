import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { loadConfig } from "../config/index.js";
import { startDaemon, stopDaemon } from "./daemon.js";
import { openDaemonModel } from "./daemon-model.js";
import { preferredDaemonModel } from "./daemon-preferred.js";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
/** What runs wren from its sources in any folder (the daemon's is not this repository). */
const tsxLoader = pathToFileURL(path.join(root, "node_modules/tsx/dist/loader.mjs")).href;
const cli = path.join(root, "src/bin/cli.ts");

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/**
 * A repository with its own wren.toml, and a wren home inside it: the daemon's state folder is
 * then under the repository too, so a daemon that only changed folders would still find its file.
 */
function repositoryWithHome(projectToml: string, userToml: string): { repo: string; env: NodeJS.ProcessEnv; stateDir: string } {
  const repo = realpathSync(mkdtempSync(path.join(os.tmpdir(), "wren-daemon-config-")));
  dirs.push(repo);
  writeFileSync(path.join(repo, "wren.toml"), projectToml);
  const home = path.join(repo, "home");
  mkdirSync(home);
  writeFileSync(path.join(home, "config.toml"), userToml);
  return { repo, env: { ...process.env, WREN_HOME: home }, stateDir: path.join(home, "state") };
}

describe("the daemon's configuration", () => {
  it("is started in wren's state folder, not in the folder of the command that needed it", async () => {
    const { env, stateDir } = repositoryWithHome("", "");
    const seen = path.join(stateDir, "..", "cwd.txt");
    // Stands in for `wren serve --daemon`: says where it runs, then exits as a daemon that cannot start.
    const script = `require("node:fs").writeFileSync(${JSON.stringify(seen)}, JSON.stringify({ cwd: process.cwd(), args: process.argv.slice(1) })); process.exit(2)`;
    await expect(startDaemon({ env, command: [process.execPath, "-e", script], serveArgs: ["--model", "./models/tiny.gguf", "--port", "0"], startTimeoutMs: 30_000 })).rejects.toMatchObject({ code: "config_invalid" });
    const child = JSON.parse(readFileSync(seen, "utf8")) as { cwd: string; args: string[] };
    expect(child.cwd).toBe(stateDir);
    // A model given as a path relative to the caller's folder still names the same file there.
    expect(child.args).toEqual(["serve", "--daemon", "--model", path.resolve("models/tiny.gguf"), "--port", "0"]);
  }, 60_000);

  it("comes from the user's file, never from the project wren.toml of whoever started it", async () => {
    // Teachers only: the daemon serves without a local model to load (and never calls them here).
    const { repo, env } = repositoryWithHome('[server]\nollamaVersion = "7.7.7"\n', '[router]\nteachers = ["openai:gpt-4o-mini"]\n[server]\nollamaVersion = "1.2.3"\n');
    // `wren daemon start` run in the repository, as a user would; the daemon it spawns runs wren from its sources too.
    const withTsx = { ...env, NODE_OPTIONS: `${env["NODE_OPTIONS"] ?? ""} --import=${tsxLoader}`.trim() };
    try {
      const started = await new Promise<{ code: number | null; out: string }>((resolve) => {
        const child = spawn(process.execPath, [cli, "daemon", "start", "--port", "0"], { cwd: repo, env: withTsx, stdio: ["ignore", "pipe", "pipe"] });
        let out = "";
        child.stdout.on("data", (chunk: Buffer) => (out += chunk.toString()));
        child.stderr.on("data", (chunk: Buffer) => (out += chunk.toString()));
        child.on("close", (code) => resolve({ code, out }));
      });
      expect(started.out).toMatch(/wren daemon running/);
      const url = /(http:\/\/127\.0\.0\.1:\d+)/.exec(started.out)?.[1];
      const version = (await (await fetch(`${url}/api/version`)).json()) as { version?: string };
      expect(version.version).toBe("1.2.3");
    } finally {
      await stopDaemon({ env, stopTimeoutMs: 10_000 });
    }
  }, 120_000);

  it("sends the daemon what a project's own alias stands for, which the daemon cannot know", async () => {
    const { repo, env } = repositoryWithHome('[models]\ndefault = "tiny"\n[models.aliases]\ntiny = "./models/tiny.gguf"\n', "");
    const { config } = await loadConfig({ cwd: repo, env });
    expect(preferredDaemonModel(config)).toEqual([path.join(repo, "models/tiny.gguf"), "tiny"]);
  });

  it("lets the client's own project choose the model it asks the daemon for", async () => {
    const { repo, env, stateDir } = repositoryWithHome('[models]\ndefault = "./models/tiny.gguf"\n', "");
    const { config } = await loadConfig({ cwd: repo, env });
    const preferred = preferredDaemonModel(config);
    expect(preferred).toEqual([path.join(repo, "models/tiny.gguf")]);
    const seen = path.join(stateDir, "..", "args.json");
    const script = `require("node:fs").writeFileSync(${JSON.stringify(seen)}, JSON.stringify(process.argv.slice(1))); process.exit(2)`;
    await expect(openDaemonModel({ preferred, env, command: [process.execPath, "-e", script] })).rejects.toMatchObject({ code: "config_invalid" });
    expect(JSON.parse(readFileSync(seen, "utf8"))).toEqual(["serve", "--daemon", "--model", path.join(repo, "models/tiny.gguf")]);
  }, 60_000);
});
