import path from "node:path";
import { findProjectRoot } from "../agent/index.js";
import { acceptProjectRules, forgetProjectTrust, loadPermissionSettings, projectKey, trustedProjects } from "../permissions/project-trust.js";
import { projectSettingsFile } from "../permissions/settings-file.js";
import type { Env } from "../shared/paths.js";

/** Where `wren trust` looks: the project a session started in `cwd` would have, and its rules. */
export interface ProjectTrustState {
  projectRoot: string;
  settingsFile: string;
  /** The project's allow rules that count (the user accepted them). */
  accepted: string[];
  /** Those that allow nothing until the user accepts them. */
  unaccepted: string[];
}

interface Where {
  cwd: string;
  env?: Env;
  home?: string;
}

function locationOf(where: Where): { projectRoot: string; env?: Env; home?: string } {
  return { projectRoot: findProjectRoot(path.resolve(where.cwd)), ...(where.env ? { env: where.env } : {}), ...(where.home ? { home: where.home } : {}) };
}

/** The project's allow rules, accepted and not (its ask and deny rules always count, so are not listed). */
export async function projectTrustState(where: Where): Promise<ProjectTrustState> {
  const location = locationOf(where);
  const settings = await loadPermissionSettings(location);
  const accepted = settings.rules.filter((r) => r.scope === "project" && r.action === "allow").map((r) => r.pattern);
  return { projectRoot: projectKey(location.projectRoot), settingsFile: projectSettingsFile(location.projectRoot), accepted, unaccepted: settings.unaccepted.map((r) => r.pattern) };
}

/** Accepts the project's allow rules as they are now; returns those newly accepted. */
export async function trustProjectRules(where: Where, patterns: readonly string[]): Promise<string[]> {
  return acceptProjectRules(locationOf(where), patterns);
}

/** Takes back every rule accepted for the project; false when none were. */
export async function forgetProjectRules(where: Where): Promise<boolean> {
  return forgetProjectTrust(locationOf(where));
}

export async function listTrustedProjects(where: Omit<Where, "cwd">): Promise<Array<{ project: string; allow: string[] }>> {
  return trustedProjects({ ...(where.env ? { env: where.env } : {}), ...(where.home ? { home: where.home } : {}) });
}
