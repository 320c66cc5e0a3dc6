import { createHash } from "node:crypto";
import type { McpServerConfig } from "../config/sections/mcp.js";
import { acceptedProjectMcpServers } from "../permissions/project-trust.js";
import type { SettingsLocation } from "../permissions/settings-file.js";

/**
 * A server the project defines (its `wren.toml` or `.mcp.json`) is a program the repository names,
 * so it starts only with the user's consent, given for this project and this definition: accepted
 * (`wren trust`, `/trust`) and recorded with the fingerprint of its definition in the user's trust
 * file, or given for one run on the command line (`--allow mcp__NAME`, `--trust-project`). A rule in
 * the user's own settings allows the server's tool calls, not its start: it names a server, not the
 * program that another repository's server of that name runs.
 */

/**
 * SHA-256 over a canonical JSON of what decides what a server runs or where it connects: for stdio
 * its command, arguments, folder and environment (names and values: `NODE_OPTIONS = "--require
 * ./x.js"` changes what runs), for HTTP its URL and headers. Object keys are sorted, so the order a
 * file writes them in does not matter. It covers the definition, not the files the command runs.
 */
export function mcpServerFingerprint(config: McpServerConfig): string {
  const sorted = (record: Readonly<Record<string, string>> | undefined): Array<[string, string]> => Object.entries(record ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const canonical =
    "url" in config
      ? { type: "http", url: config.url, headers: sorted(config.headers) }
      : { type: "stdio", command: config.command, args: config.args, cwd: config.cwd ?? null, env: sorted(config.env) };
  return `sha256:${createHash("sha256").update(JSON.stringify(canonical)).digest("hex")}`;
}

/** What lets the project's MCP servers start in a session. */
export interface ProjectMcpConsent {
  /** Accepted for this project (the trust file): name → fingerprint of the definition accepted. Default: none. */
  accepted?: ReadonlyMap<string, string>;
  /** Rules from the command line, for this run: `mcp__NAME` or one of its tools (`mcp__NAME__tool`) starts NAME. Default: none. */
  flagRules?: ReadonlyArray<{ action: string; pattern: string }>;
  /** `--trust-project`: every server the project defines starts in this run. Default false. */
  trustProject?: boolean;
}

/** A project's server and whether it may start: `new` and `changed` wait for the user's acceptance. */
export type ProjectServerStanding = "allowed" | "new" | "changed";

export function projectServerStanding(server: { name: string; config: McpServerConfig }, consent: ProjectMcpConsent): ProjectServerStanding {
  if (consent.trustProject || flagsAllowMcpServer(consent.flagRules ?? [], server.name)) return "allowed";
  const accepted = consent.accepted?.get(server.name);
  if (accepted === undefined) return "new";
  return accepted === mcpServerFingerprint(server.config) ? "allowed" : "changed";
}

/** Whether rules given for this run allow a server's tools as a whole or one of them, which starts a project's server for the run. */
export function flagsAllowMcpServer(rules: ReadonlyArray<{ action: string; pattern: string }>, server: string): boolean {
  return rules.some((r) => r.action === "allow" && (r.pattern === `mcp__${server}` || r.pattern.startsWith(`mcp__${server}__`)));
}

/** The consent a session in `location.projectRoot` has: what the trust file holds for it, and the run's flags. */
export async function loadProjectMcpConsent(location: SettingsLocation, run: Omit<ProjectMcpConsent, "accepted"> = {}): Promise<ProjectMcpConsent> {
  if (run.trustProject) return { ...run };
  return { ...run, accepted: await acceptedProjectMcpServers(location) };
}
