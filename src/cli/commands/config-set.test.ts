import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cliPath as cli } from "../../../test/helpers/cli.js";

let dir: string;
let home: string;
let project: string;
let userFile: string;

const USER_FILE = `# my wren settings
[engine]
gpu = "cpu"   # no GPU here
contextSize = 4096

# serving
[server]
host = "127.0.0.1"
`;

beforeAll(async () => {
  if (!existsSync(cli)) throw new Error(`${cli} is missing: run \`npm run build\` first (npm test does).`);
  dir = await mkdtemp(path.join(os.tmpdir(), "wren-config-set-"));
  home = path.join(dir, "home");
  project = path.join(dir, "app");
  userFile = path.join(home, ".config", "wren", "config.toml");
  await mkdir(path.dirname(userFile), { recursive: true });
  await mkdir(path.join(project, ".git"), { recursive: true });
  await mkdir(path.join(project, "sub"), { recursive: true });
  await writeFile(userFile, USER_FILE);
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `wren ARGS` in a child process whose home, cwd and environment are the test's own. */
function wren(args: string[], env: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [cli, ...args],
      { cwd: path.join(project, "sub"), env: { PATH: process.env["PATH"] ?? "", HOME: home, ...env } },
      (error, stdout, stderr) => resolve({ code: error === null ? 0 : typeof error.code === "number" ? error.code : -1, stdout, stderr }),
    );
  });
}

describe("wren config get | set | unset", () => {
  it("set writes the user file, changing only the key's text, and get reads it back", async () => {
    const set = await wren(["config", "set", "engine.gpu", "vulkan"]);
    expect(set.stderr).toBe("");
    expect(set).toMatchObject({ code: 0, stdout: 'engine.gpu = "vulkan"  # ~/.config/wren/config.toml\n' });
    expect(await readFile(userFile, "utf8")).toBe(USER_FILE.replace('"cpu"', '"vulkan"'));
    expect((await stat(userFile)).mode & 0o777).toBe(0o600);
    const get = await wren(["config", "get", "engine.gpu"]);
    expect(get).toEqual({ code: 0, stdout: "vulkan\n", stderr: "" });
  });

  it("set adds keys and tables, coerced to the schema's types, and get prints tables as JSON", async () => {
    expect((await wren(["config", "set", "server.cors", "http://a.test,http://b.test"])).code).toBe(0);
    expect((await wren(["config", "set", "models.aliases.tiny", "hf:org/tiny:Q8_0"])).code).toBe(0);
    const text = await readFile(userFile, "utf8");
    expect(text).toBe(
      `${USER_FILE.replace('"cpu"', '"vulkan"')}cors = ["http://a.test", "http://b.test"]\n\n[models.aliases]\ntiny = "hf:org/tiny:Q8_0"\n`,
    );
    expect((await wren(["config", "get", "models.aliases"])).stdout).toBe('{\n  "tiny": "hf:org/tiny:Q8_0"\n}\n');
    expect((await wren(["config", "get", "engine.contextSize", "--json"])).stdout).toBe("4096\n");
  });

  it("a bad value or an unknown key is an error (exit 2) that says what is accepted, and nothing is written", async () => {
    const before = await readFile(userFile, "utf8");
    const bad = await wren(["config", "set", "engine.gpu", "rocm"]);
    expect(bad.code).toBe(2);
    expect(bad.stdout).toBe("");
    expect(bad.stderr).toContain('engine.gpu: "rocm" is not a valid backend. Use one of: auto, cuda, vulkan, metal, cpu.');
    expect(bad.stderr).toContain("Nothing was written.");
    const port = await wren(["config", "set", "server.port", "high"]);
    expect(port.code).toBe(2);
    expect(port.stderr).toContain("server.port: expected");
    const unknown = await wren(["config", "set", "engine.gpuu", "cpu"]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("engine.gpuu is not a wren setting. Did you mean engine.gpu?");
    expect(await readFile(userFile, "utf8")).toBe(before);
    const get = await wren(["config", "get", "server.prot"]);
    expect(get.code).toBe(2);
    expect(get.stderr).toContain("server.prot is not a wren setting. Did you mean server.port?");
  });

  it("--project writes the project's wren.toml at its root, and get shows the layer that wins", async () => {
    const set = await wren(["config", "set", "engine.gpu", "cpu", "--project"]);
    expect(set.code).toBe(0);
    expect(set.stdout).toBe(`engine.gpu = "cpu"  # ${path.join(project, "wren.toml")}\n`);
    expect(await readFile(path.join(project, "wren.toml"), "utf8")).toBe('[engine]\ngpu = "cpu"\n');
    expect((await wren(["config", "get", "engine.gpu"])).stdout).toBe("cpu\n");
    expect((await wren(["config", "get", "engine.gpu"], { WREN_ENGINE_GPU: "metal" })).stdout).toBe("metal\n");
    // The user file's value no longer counts here: set says so.
    const shadowed = await wren(["config", "set", "engine.gpu", "auto"]);
    expect(shadowed.code).toBe(0);
    expect(shadowed.stderr).toBe(`note: the project file ${path.join(project, "wren.toml")} also sets engine.gpu, and wins over this file.\n`);
  });

  it("unset removes the key's line and keeps the rest; a key the file does not set is exit 1", async () => {
    const unset = await wren(["config", "unset", "engine.contextSize"]);
    expect(unset).toMatchObject({ code: 0, stdout: "removed engine.contextSize from ~/.config/wren/config.toml\n" });
    const text = await readFile(userFile, "utf8");
    expect(text).toContain('# my wren settings\n[engine]\ngpu = "auto"   # no GPU here\n\n# serving\n[server]\n');
    expect(text).not.toContain("contextSize");
    const again = await wren(["config", "unset", "engine.contextSize"]);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain("engine.contextSize is not set in ~/.config/wren/config.toml.");
    expect(await readFile(userFile, "utf8")).toBe(text);
    const elsewhere = await wren(["config", "unset", "engine.gpu", "--project"]);
    expect(elsewhere.code).toBe(0);
    const notThere = await wren(["config", "unset", "engine.gpu", "--project"]);
    expect(notThere.code).toBe(1);
    expect(notThere.stderr).toContain("It is set in ~/.config/wren/config.toml: wren config unset engine.gpu without --project.");
  });

  it("get masks secrets unless --reveal, and a key with no value is exit 1", async () => {
    expect((await wren(["config", "set", "server.apiKey", "hunter2"])).stdout).toBe('server.apiKey = "********"  # ~/.config/wren/config.toml\n');
    expect((await wren(["config", "get", "server.apiKey"])).stdout).toBe("********\n");
    expect((await wren(["config", "get", "server.apiKey", "--reveal"])).stdout).toBe("hunter2\n");
    // A table of secrets: each peer's key is masked on its own and inside the table, its name shown.
    expect((await wren(["config", "set", "peers.keys.studio", "studio-secret-0123456789"])).stdout).toBe('peers.keys.studio = "********"  # ~/.config/wren/config.toml\n');
    expect((await wren(["config", "get", "peers.keys.studio"])).stdout).toBe("********\n");
    expect(JSON.parse((await wren(["config", "get", "peers.keys"])).stdout)).toEqual({ studio: "********" });
    expect((await wren(["config", "get", "peers.keys.studio", "--reveal"])).stdout).toBe("studio-secret-0123456789\n");
    expect((await wren(["config", "show"])).stdout).not.toContain("studio-secret");
    const missing = await wren(["config", "get", "models.default"]);
    expect(missing).toMatchObject({ code: 1, stdout: "" });
    expect(missing.stderr).toContain("models.default is not set, and has no default.");
  });

  it("refuses to edit a key inside an inline table, leaving the file as it was", async () => {
    const file = path.join(project, "wren.toml");
    const inline = '[models]\naliases = { tiny = "a.gguf" } # one line\n';
    await writeFile(file, inline);
    const run = await wren(["config", "set", "models.aliases.small", "b.gguf", "--project"]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("it is inside models.aliases, which line 2 writes as one inline value. The file is unchanged.");
    expect(await readFile(file, "utf8")).toBe(inline);
  });
});
