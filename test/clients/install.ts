import { execFile } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { mkdir, readdir, rename, rm, stat, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import type { AgentClient } from "./clients.js";

const run = promisify(execFile);

/**
 * Where the pinned CLIs are installed: `WREN_TEST_CLIENTS_DIR`, or `~/.cache/wren-test-clients`.
 * Outside the repository's node_modules on purpose: they are hundreds of MB of native executables
 * that no one but this suite needs, and a CI cache can keep the folder between runs.
 */
export function clientsCacheDir(): string {
  return process.env["WREN_TEST_CLIENTS_DIR"] || path.join(os.homedir(), ".cache", "wren-test-clients");
}

/** The folder of one pinned client: `<cache>/<name>@<version>`. */
export function clientDir(client: AgentClient): string {
  return path.join(clientsCacheDir(), `${client.name}@${client.version}`);
}

/** The client's executable inside its folder (npm's `.cmd` shim on Windows). */
export function clientBin(client: AgentClient): string {
  const bin = path.join(clientDir(client), "node_modules", ".bin", client.bin);
  return process.platform === "win32" ? `${bin}.cmd` : bin;
}

function installedVersion(dir: string, pkg: string): string | undefined {
  const manifest = path.join(dir, "node_modules", ...pkg.split("/"), "package.json");
  if (!existsSync(manifest)) return undefined;
  return (JSON.parse(readFileSync(manifest, "utf8")) as { version?: string }).version;
}

/** What one install did, for the suite's report. */
export interface InstallReport {
  client: AgentClient;
  /** False when the pinned version was already in the cache. */
  installed: boolean;
  seconds: number;
  bytes: number;
}

/** Bytes on disk, each file once: some packages hard-link their executable into `bin/`. */
async function folderBytes(dir: string): Promise<number> {
  let total = 0;
  const seen = new Set<string>();
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue;
    const info = await stat(path.join(entry.parentPath, entry.name));
    const key = `${info.dev}:${info.ino}`;
    if (seen.has(key)) continue;
    seen.add(key);
    total += info.size;
  }
  return total;
}

/**
 * Installs the client's pinned version into its cache folder unless it is already there. npm
 * installs into a fresh side folder that is renamed into place, so an interrupted install never
 * leaves a half-filled folder that a later run would take as done; npm runs inside that folder (it
 * has its own package.json) so it never climbs to the repository's.
 */
export async function ensureClient(client: AgentClient): Promise<InstallReport> {
  const dir = clientDir(client);
  const started = Date.now();
  if (installedVersion(dir, client.pkg) === client.version && existsSync(clientBin(client))) {
    return { client, installed: false, seconds: 0, bytes: await folderBytes(dir) };
  }
  const side = `${dir}.installing-${process.pid}`;
  await rm(side, { recursive: true, force: true });
  await mkdir(side, { recursive: true });
  await writeFile(path.join(side, "package.json"), JSON.stringify({ private: true, description: `wren's test client ${client.name}` }));
  try {
    await run("npm", ["install", "--no-audit", "--no-fund", "--no-update-notifier", "--loglevel=error", `${client.pkg}@${client.version}`], {
      cwd: side,
      shell: process.platform === "win32",
      maxBuffer: 16 * 1024 * 1024,
    });
  } catch (error) {
    await rm(side, { recursive: true, force: true });
    throw new Error(`npm could not install ${client.pkg}@${client.version}: ${(error as { stderr?: string }).stderr ?? String(error)}`, { cause: error });
  }
  await rm(dir, { recursive: true, force: true });
  await rename(side, dir);
  return { client, installed: true, seconds: (Date.now() - started) / 1000, bytes: await folderBytes(dir) };
}
