import { readFileSync } from "node:fs";
import path from "node:path";
import { parse } from "smol-toml";
import { findProjectRoot } from "../agent/index.js";
import { findProjectFile, loadConfig, type WrenConfig } from "../config/index.js";
import { acceptProjectMcpServers, acceptProjectRules, forgetProjectTrust, loadPermissionSettings, projectKey, trustedProjects } from "../permissions/project-trust.js";
import { projectSettingsFile } from "../permissions/settings-file.js";
import { toWrenError, type WrenError } from "../shared/errors.js";
import type { Env } from "../shared/paths.js";
import { configuredMcpServers, MCP_JSON_FILE, waitingProjectServers, type WaitingMcpServer } from "./agent-mcp.js";
import { loadProjectMcpConsent } from "./project-mcp-consent.js";

/** Where `wren trust` looks: the project a session started in `cwd` would have, its rules and its MCP servers. */
export interface ProjectTrustState {
  projectRoot: string;
  settingsFile: string;
  /** The project's allow rules that count (the user accepted them). */
  accepted: string[];
  /** Those that allow nothing until the user accepts them. */
  unaccepted: string[];
  /** The MCP servers the project defines (its `wren.toml`, `.mcp.json`) that start, as the user accepted them. */
  acceptedMcpServers: string[];
  /** Those that do not start until the user accepts them: new ones, and ones defined otherwise than accepted. */
  unacceptedMcpServers: WaitingMcpServer[];
  /** Whether a session uses the project's `.mcp.json` (`mcp.projectFile`); when not, its servers are not listed. */
  mcpJsonUsed: boolean;
  /**
   * Why the project's `wren.toml` could not be loaded (refused by the project limits, or broken),
   * when wren's config loads without it: the servers it defines are not known, so cannot be
   * accepted until it loads; its allow rules and `.mcp.json` servers still are (none of those when
   * the file sets `mcp.projectFile = false` and no variable or flag sets it otherwise).
   */
  projectConfigProblem?: { file: string; error: WrenError };
}

interface Where {
  cwd: string;
  env?: Env;
  home?: string;
}

function locationOf(where: Where): { projectRoot: string; env?: Env; home?: string } {
  return { projectRoot: findProjectRoot(path.resolve(where.cwd)), ...(where.env ? { env: where.env } : {}), ...(where.home ? { home: where.home } : {}) };
}

/**
 * The project's allow rules, accepted and not (its ask and deny rules always count, so are not
 * listed), and the MCP servers it defines, as a session started in `cwd` would see them.
 */
export async function projectTrustState(where: Where): Promise<ProjectTrustState> {
  const location = locationOf(where);
  const cwd = path.resolve(where.cwd);
  const [settings, consent, { config, projectConfigProblem }] = await Promise.all([loadPermissionSettings(location), loadProjectMcpConsent(location), configForTrust(where, cwd)]);
  const accepted = settings.rules.filter((r) => r.scope === "project" && r.action === "allow").map((r) => r.pattern);
  // Without the project's wren.toml, a server of the config is the user's own.
  const fromProject = configuredMcpServers(config, location.projectRoot, cwd).servers.filter((s) => s.fromProject && (!projectConfigProblem || s.source === MCP_JSON_FILE));
  const waiting = waitingProjectServers(fromProject, consent);
  return {
    projectRoot: projectKey(location.projectRoot),
    settingsFile: projectSettingsFile(location.projectRoot),
    accepted,
    unaccepted: settings.unaccepted.map((r) => r.pattern),
    acceptedMcpServers: fromProject.filter((s) => !waiting.some((w) => w.name === s.name)).map((s) => s.name),
    unacceptedMcpServers: waiting,
    mcpJsonUsed: config.mcp.projectFile,
    ...(projectConfigProblem ? { projectConfigProblem } : {}),
  };
}

/**
 * The config, as a session would load it; when that fails and it loads without the project's
 * `wren.toml`, the config without it and why the file was not loaded: one file wren refuses must
 * not keep the user from reading and accepting the project's other rules and servers.
 */
async function configForTrust(where: Where, cwd: string): Promise<{ config: WrenConfig; projectConfigProblem?: { file: string; error: WrenError } }> {
  const options = { cwd, ...(where.env ? { env: where.env } : {}), ...(where.home ? { home: where.home } : {}) };
  try {
    return { config: (await loadConfig(options)).config };
  } catch (error) {
    const file = findProjectFile(cwd);
    if (!file) throw error;
    let loaded: Awaited<ReturnType<typeof loadConfig>>;
    try {
      loaded = await loadConfig({ ...options, projectFile: false });
    } catch {
      throw error;
    }
    const setByRun = loaded.sources.some((s) => s.key === "mcp.projectFile" && (s.layer === "env" || s.layer === "flag"));
    const projectFile = setByRun ? undefined : mcpProjectFileIn(file);
    const config = projectFile === undefined ? loaded.config : { ...loaded.config, mcp: { ...loaded.config.mcp, projectFile } };
    return { config, projectConfigProblem: { file, error: toWrenError(error) } };
  }
}

/**
 * What a project's `wren.toml` that was not loaded sets `mcp.projectFile` to, when it can be read:
 * a file that turns the project's `.mcp.json` off will not have its servers started once it loads,
 * so they are not offered for acceptance meanwhile.
 */
function mcpProjectFileIn(file: string): boolean | undefined {
  try {
    const value = (parse(readFileSync(file, "utf8")) as { mcp?: { projectFile?: unknown } }).mcp?.projectFile;
    return typeof value === "boolean" ? value : undefined;
  } catch {
    return undefined;
  }
}

/** Accepts the project's allow rules as they are now; returns those newly accepted. */
export async function trustProjectRules(where: Where, patterns: readonly string[]): Promise<string[]> {
  return acceptProjectRules(locationOf(where), patterns);
}

/** Accepts the project's MCP servers as they are defined now (see {@link projectTrustState}); returns their names. */
export async function trustProjectMcpServers(where: Where, servers: ReadonlyArray<Pick<WaitingMcpServer, "name" | "fingerprint">>): Promise<string[]> {
  return acceptProjectMcpServers(locationOf(where), servers);
}

/** Takes back every rule and MCP server accepted for the project; false when none were. */
export async function forgetProjectRules(where: Where): Promise<boolean> {
  return forgetProjectTrust(locationOf(where));
}

export async function listTrustedProjects(where: Omit<Where, "cwd">): Promise<Array<{ project: string; allow: string[]; mcpServers: string[] }>> {
  return trustedProjects({ ...(where.env ? { env: where.env } : {}), ...(where.home ? { home: where.home } : {}) });
}
