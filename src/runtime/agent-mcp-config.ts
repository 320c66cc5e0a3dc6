import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { isDeepStrictEqual } from "node:util";
import { parse, stringify, TomlError } from "smol-toml";
import { findProjectRoot } from "../agent/index.js";
import { loadConfig } from "../config/index.js";
import type { McpServerConfig } from "../config/sections/mcp.js";
import { WrenError } from "../shared/errors.js";
import { writeFileAtomicSync } from "../shared/atomic-write.js";
import type { Env } from "../shared/paths.js";
import { configuredMcpServers, waitingProjectServers, type McpServerEntry, type WaitingMcpServer } from "./agent-mcp.js";
import type { ProjectMcpConsent } from "./project-mcp-consent.js";
import { configFileFor } from "./config-edit.js";
import { checkMcpServer } from "./mcp-server-problem.js";
import type { McpServerFailure } from "../tools/mcp/connect.js";

/** Which config file `wren mcp add | rm` changes. */
export type McpConfigScope = "user" | "project";

/** Where `wren mcp` works: the directory it was run in and the environment (for `WREN_HOME`). */
export interface McpConfigLocation {
  cwd: string;
  env?: Env;
}

type TomlTable = Record<string, unknown>;

function readToml(file: string): { text: string; table: TomlTable } {
  if (!existsSync(file)) return { text: "", table: {} };
  const text = readFileSync(file, "utf8");
  try {
    return { text, table: parse(text) };
  } catch (error) {
    const where = error instanceof TomlError ? ` (line ${error.line})` : "";
    throw new WrenError("bad_request", `${file} is not valid TOML${where}, so wren will not change it.`, { hint: "Fix the file (wren config check shows what is wrong), then run the command again.", cause: error });
  }
}

const serversOf = (table: TomlTable): TomlTable => {
  const mcp = table["mcp"];
  const servers = mcp && typeof mcp === "object" ? (mcp as TomlTable)["servers"] : undefined;
  return servers && typeof servers === "object" ? (servers as TomlTable) : {};
};

/**
 * Replaces the file in one step (synchronous: `wren mcp add | rm` are). The user file may hold API
 * keys, so it is its owner's alone (0600), as `wren config set` and `wren setup` leave it.
 */
function writeConfig(file: string, text: string, scope: McpConfigScope): void {
  writeFileAtomicSync(file, text, scope === "user" ? { mode: 0o600 } : {});
}

/**
 * Adds a server to the user's or the project's config. The new `[mcp.servers.NAME]` table is
 * appended, so the rest of the file (comments included) stays as it was; a file that keeps its
 * servers in an inline table is rewritten whole instead.
 */
export function addMcpServer(name: string, server: unknown, scope: McpConfigScope, where: McpConfigLocation): { file: string; server: McpServerConfig } {
  const checked = checkMcpServer(name, server, {
    hint: "Give a command after --, e.g. wren mcp add files -- npx -y @modelcontextprotocol/server-filesystem . , or --url for an HTTP server.",
    urlHint: `Give the server's endpoint, e.g. wren mcp add ${name} --url https://example.com/mcp.`,
  });
  const file = configFileFor(scope, where);
  const { text, table } = readToml(file);
  if (serversOf(table)[name] !== undefined) {
    throw new WrenError("bad_request", `The MCP server '${name}' is already in ${file}.`, { hint: `Remove it first: wren mcp rm ${name}${scope === "project" ? " --project" : ""}.` });
  }
  const entry = stripUndefined(server as TomlTable);
  const addition = stringify({ mcp: { servers: { [name]: entry } } });
  let next = `${text}${text === "" || text.endsWith("\n\n") ? "" : text.endsWith("\n") ? "\n" : "\n\n"}${addition}\n`;
  if (!sameAfter(next, table, (servers) => ({ ...servers, [name]: entry }))) next = rewritten(table, (servers) => ({ ...servers, [name]: entry }));
  writeConfig(file, next, scope);
  return { file, server: checked };
}

/**
 * Removes a server from the user's or the project's config. Its `[mcp.servers.NAME]` tables are cut
 * out and the rest of the file is kept as it was; a file that writes its servers another way is
 * rewritten whole (its comments are then lost).
 */
export function removeMcpServer(name: string, scope: McpConfigScope, where: McpConfigLocation): { file: string } {
  const file = configFileFor(scope, where);
  const { text, table } = readToml(file);
  const servers = serversOf(table);
  if (servers[name] === undefined) {
    const names = Object.keys(servers);
    throw new WrenError("not_found", `There is no MCP server '${name}' in ${file}.`, {
      hint: names.length > 0 ? `It has: ${names.join(", ")}.` : `wren mcp list shows the servers and where each is configured${scope === "user" ? "; add --project for the project's wren.toml" : ""}.`,
    });
  }
  const without = (all: TomlTable): TomlTable => Object.fromEntries(Object.entries(all).filter(([n]) => n !== name));
  let next = cutTables(text, name);
  if (!sameAfter(next, table, without)) next = rewritten(table, without);
  writeConfig(file, next, scope);
  return { file };
}

/** The text with the `[mcp.servers.NAME]` table and its sub-tables left out. */
function cutTables(text: string, name: string): string {
  const header = /^\s*\[\s*([^\]]+?)\s*\]\s*(#.*)?$/;
  const ours = (key: string): boolean => {
    const parts = key.split(".").map((p) => p.trim().replace(/^"(.*)"$|^'(.*)'$/, "$1$2"));
    return parts[0] === "mcp" && parts[1] === "servers" && parts[2] === name;
  };
  const kept: string[] = [];
  // Comments and blank lines at the end of a cut table belong to the table after it.
  let pending: string[] = [];
  let skipping = false;
  for (const line of text.split(/(?<=\n)/)) {
    const m = header.exec(line.replace(/\r?\n$/, ""));
    if (m && !line.trimStart().startsWith("[[")) {
      skipping = ours(m[1]!);
      if (!skipping) kept.push(...pending);
      pending = [];
    }
    if (!skipping) kept.push(line);
    else if (/^\s*(#.*)?\r?\n?$/.test(line)) pending.push(line);
    else pending = [];
  }
  return kept.join("").replace(/\n{3,}/g, "\n\n");
}

function sameAfter(next: string, before: TomlTable, change: (servers: TomlTable) => TomlTable): boolean {
  try {
    // Through JSON: smol-toml's tables have no prototype, which a strict comparison would count.
    const plain = (value: unknown): unknown => JSON.parse(JSON.stringify(value));
    return isDeepStrictEqual(plain(parse(next)), plain(withServers(before, change)));
  } catch {
    return false;
  }
}

function rewritten(before: TomlTable, change: (servers: TomlTable) => TomlTable): string {
  return `${stringify(withServers(before, change))}\n`;
}

function withServers(table: TomlTable, change: (servers: TomlTable) => TomlTable): TomlTable {
  const servers = change(serversOf(table));
  const mcp = { ...((table["mcp"] as TomlTable | undefined) ?? {}), servers };
  if (Object.keys(servers).length === 0) delete (mcp as TomlTable)["servers"];
  const out: TomlTable = { ...table, mcp };
  if (Object.keys(mcp).length === 0) delete out["mcp"];
  return out;
}

function stripUndefined(value: TomlTable): TomlTable {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined));
}

/** The servers `wren -p` would start here, from the config in force and the project's `.mcp.json`. */
export async function listMcpServers(where: McpConfigLocation): Promise<{ servers: McpServerEntry[]; failures: McpServerFailure[]; projectRoot: string }> {
  const { config } = await loadConfig({ cwd: where.cwd, ...(where.env ? { env: where.env } : {}) });
  const projectRoot = findProjectRoot(path.resolve(where.cwd));
  return { ...configuredMcpServers(config, projectRoot, path.resolve(where.cwd)), projectRoot };
}

/** One server of `wren mcp list --check`: started, its tools or why it could not be used; or not started, waiting for the user's consent. */
export interface McpServerCheck {
  name: string;
  tools: Array<{ name: string; description: string }>;
  error?: WrenError;
  /** A server the project defines that `consent` does not let start: it was not started (not a failure). */
  waiting?: WaitingMcpServer;
}

/**
 * Starts each server as a session would, lists its tools and stops it again. A server the project
 * defines starts only with `consent`, as in a session: a freshly cloned repository's `.mcp.json`
 * must not run its commands because the user asked what it holds. The others are `waiting`.
 */
export async function checkMcpServers(servers: readonly McpServerEntry[], projectRoot: string, consent: ProjectMcpConsent): Promise<McpServerCheck[]> {
  const waiting = waitingProjectServers(servers, consent);
  const starting = servers.filter((s) => !waiting.some((w) => w.name === s.name));
  const started = new Map<string, McpServerCheck>();
  if (starting.length > 0) {
    const { connectMcpServers } = await import("../tools/mcp/connect.js");
    await using connections = await connectMcpServers(Object.fromEntries(starting.map((s) => [s.name, s.config])), { cwd: projectRoot });
    for (const s of starting) {
      const failure = connections.failures.find((f) => f.server === s.name);
      const prefix = `mcp__${s.name}__`;
      const tools = connections.tools.filter((t) => t.name.startsWith(prefix)).map((t) => ({ name: t.name, description: t.description }));
      started.set(s.name, { name: s.name, tools, ...(failure ? { error: failure.error } : {}) });
    }
  }
  return servers.map((s) => {
    const waits = waiting.find((w) => w.name === s.name);
    return waits ? { name: s.name, tools: [], waiting: waits } : (started.get(s.name) ?? { name: s.name, tools: [] });
  });
}
