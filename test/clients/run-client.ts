import { spawn } from "node:child_process";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type { AgentClient } from "./clients.js";
import { clientBin } from "./install.js";
import { invocationFor } from "./invocations.js";

/** How a headless run ended. */
export interface ClientRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

// Keys and endpoints the developer's own shell may hold: a run must never use them.
const inherited = /(API_KEY|AUTH_TOKEN|_BASE_URL|_HOST)$|^(ANTHROPIC|OPENAI|GEMINI|GOOGLE|CLAUDE|CODEX|OPENCODE|QWEN|XDG)_|^(HOME|USERPROFILE|APPDATA|LOCALAPPDATA)$|_proxy$/i;

function isolatedEnv(home: string, own: Record<string, string>): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) if (value !== undefined && !inherited.test(key)) env[key] = value;
  Object.assign(env, {
    HOME: home,
    USERPROFILE: home,
    APPDATA: path.join(home, "AppData", "Roaming"),
    LOCALAPPDATA: path.join(home, "AppData", "Local"),
    XDG_CONFIG_HOME: path.join(home, ".config"),
    XDG_DATA_HOME: path.join(home, ".local", "share"),
    XDG_CACHE_HOME: path.join(home, ".cache"),
    XDG_STATE_HOME: path.join(home, ".local", "state"),
  });
  return { ...env, ...own };
}

/**
 * Runs the client headless against wren at `baseURL`, in a fresh HOME and an empty project folder
 * (so it reads no one's settings, instructions or repository), and waits for it to exit.
 */
export async function runClient(
  client: AgentClient,
  options: { baseURL: string; model: string; prompt: string; timeoutMs: number; extraEnv?: Record<string, string> },
): Promise<ClientRun> {
  const home = await mkdtemp(path.join(os.tmpdir(), `wren-client-${client.name}-`));
  try {
    const invocation = invocationFor(client.name, { ...options, home });
    for (const [file, content] of Object.entries(invocation.files)) {
      await mkdir(path.dirname(path.join(home, file)), { recursive: true });
      await writeFile(path.join(home, file), content);
    }
    const project = path.join(home, "project");
    await mkdir(project);
    const child = spawn(clientBin(client), invocation.args, {
      cwd: project,
      env: isolatedEnv(home, { ...invocation.env, ...options.extraEnv }),
      stdio: ["ignore", "pipe", "pipe"],
      shell: process.platform === "win32",
    });
    return await new Promise<ClientRun>((resolve, reject) => {
      let stdout = "";
      let stderr = "";
      child.stdout.setEncoding("utf8").on("data", (d: string) => (stdout += d));
      child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
      const timer = setTimeout(() => child.kill("SIGKILL"), options.timeoutMs);
      child.on("error", reject);
      child.on("close", (code, signal) => {
        clearTimeout(timer);
        resolve({ code, signal, stdout, stderr });
      });
    });
  } finally {
    await rm(home, { recursive: true, force: true, maxRetries: 3 });
  }
}
