import { realpathSync } from "node:fs";
import { readFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { parse, stringify, TomlError } from "smol-toml";
import { z } from "zod";
import { writeFileAtomic } from "../shared/atomic-write.js";
import { WrenError } from "../shared/errors.js";
import { resolvePaths, type Env } from "../shared/paths.js";
import { projectSettingsFile, readPermissionRules, userSettingsFile, type SettingsLocation } from "./settings-file.js";
import type { PermissionRule } from "./types.js";

/**
 * A repository writes its own `.wren/settings.toml`: whoever cloned it did not choose what its
 * `allow` rules let run. So a project's allow rules count only once the user accepted them
 * (`wren trust`, `/trust`, or by saving the rule themselves from the permission dialog); the
 * accepted patterns are kept per project in the user's config directory, where no repository
 * writes. The project's `ask` and `deny` rules only ever make wren more careful, so they count as
 * soon as they are read. A rule the file gains later (a `git pull`) waits for its own acceptance.
 *
 * The same holds for the MCP servers a project defines (its `wren.toml` or `.mcp.json`): programs
 * the repository names. The user accepts one per project and per definition: the file keeps its
 * name and a fingerprint of what decides what runs (see runtime/project-mcp-consent.ts), so a
 * server of that name in another project, or one whose definition changed, waits for acceptance.
 */
export const TRUST_FILE_NAME = "trusted-projects.toml";

export function trustFile(env: Env = process.env, home: string = os.homedir()): string {
  return path.join(resolvePaths(env, home).configDir, TRUST_FILE_NAME);
}

const trustSchema = z.looseObject({
  projects: z
    .record(
      z.string(),
      z.looseObject({
        allow: z.array(z.string()).default([]),
        /** The project's MCP servers the user accepted: name → fingerprint of the accepted definition. */
        mcp: z.record(z.string(), z.string()).optional(),
      }),
    )
    .default({}),
});
type TrustValues = z.infer<typeof trustSchema>;

const TRUST_HINT = `The file lists, per project folder, the allow rules of its .wren/settings.toml and the MCP servers you accepted:\n[projects."/path/to/project"]\nallow = ["Bash(npm test)"]\nmcp = { github = "sha256:…" }   # the MCP servers it defines that you accepted\nFix or delete it (then accept the rules again with wren trust).`;

/** The folder a project is known by in the trust file: where it really is, so a link to it is the same project. */
export function projectKey(projectRoot: string): string {
  const resolved = path.resolve(projectRoot);
  try {
    return realpathSync.native(resolved);
  } catch {
    return resolved;
  }
}

async function readTrust(file: string): Promise<TrustValues> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return { projects: {} };
    throw new WrenError("config_invalid", `${file} cannot be read (${error instanceof Error ? error.message : String(error)}).`, { hint: "Check the file's permissions.", cause: error });
  }
  let values: unknown;
  try {
    values = parse(text);
  } catch (error) {
    if (!(error instanceof TomlError)) throw error;
    const reason = (error.message.split("\n")[0] ?? "").replace(/^Invalid TOML document:\s*/, "");
    throw new WrenError("config_invalid", `${file}:${error.line}:${error.column}: TOML syntax error: ${reason}.`, { hint: TRUST_HINT, cause: error });
  }
  const parsed = trustSchema.safeParse(values);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join(".") || "(file)"}: ${i.message}`);
    throw new WrenError("config_invalid", `${file} is not a list of trusted projects wren can read:\n${problems.map((p) => `  ${p}`).join("\n")}`, { hint: TRUST_HINT });
  }
  return parsed.data;
}

async function writeTrust(file: string, values: TrustValues): Promise<void> {
  const text = `# The allow rules of projects' .wren/settings.toml, and the MCP servers projects define, that you accepted (wren trust). wren keeps this file.\n${stringify(values)}\n`;
  try {
    await writeFileAtomic(file, text);
  } catch (error) {
    throw new WrenError("config_invalid", `wren could not save ${file} (${error instanceof Error ? error.message : String(error)}).`, { hint: "Check that wren's config directory is writable.", cause: error });
  }
}

function fileOf(location: Omit<SettingsLocation, "projectRoot">): string {
  return trustFile(location.env, location.home);
}

/** The allow patterns the user accepted for this project. */
export async function acceptedProjectRules(location: SettingsLocation): Promise<Set<string>> {
  const values = await readTrust(fileOf(location));
  return new Set(values.projects[projectKey(location.projectRoot)]?.allow ?? []);
}

/** Records that the user accepts these allow patterns of the project's settings file. Returns those that were new. */
export async function acceptProjectRules(location: SettingsLocation, patterns: readonly string[]): Promise<string[]> {
  const file = fileOf(location);
  const values = await readTrust(file);
  const key = projectKey(location.projectRoot);
  const entry = values.projects[key] ?? { allow: [] };
  const added = [...new Set(patterns)].filter((p) => !entry.allow.includes(p));
  if (added.length === 0) return [];
  values.projects[key] = { ...entry, allow: [...entry.allow, ...added] };
  await writeTrust(file, values);
  return added;
}

/** The project's MCP servers the user accepted: name → fingerprint of the definition accepted. */
export async function acceptedProjectMcpServers(location: SettingsLocation): Promise<Map<string, string>> {
  const values = await readTrust(fileOf(location));
  return new Map(Object.entries(values.projects[projectKey(location.projectRoot)]?.mcp ?? {}));
}

/**
 * Records that the user accepts these MCP servers of the project, as defined now (a server accepted
 * before with another definition is accepted with this one instead). Returns the names newly accepted.
 */
export async function acceptProjectMcpServers(location: SettingsLocation, servers: ReadonlyArray<{ name: string; fingerprint: string }>): Promise<string[]> {
  const file = fileOf(location);
  const values = await readTrust(file);
  const key = projectKey(location.projectRoot);
  const entry = values.projects[key] ?? { allow: [] };
  const mcp = { ...entry.mcp };
  const added = servers.filter((s) => mcp[s.name] !== s.fingerprint);
  if (added.length === 0) return [];
  for (const s of added) mcp[s.name] = s.fingerprint;
  values.projects[key] = { ...entry, mcp };
  await writeTrust(file, values);
  return [...new Set(added.map((s) => s.name))];
}

/** Forgets what the user accepted for this project (allow rules and MCP servers): they count for nothing again. Returns whether anything was there. */
export async function forgetProjectTrust(location: SettingsLocation): Promise<boolean> {
  const file = fileOf(location);
  const values = await readTrust(file);
  const key = projectKey(location.projectRoot);
  if (!(key in values.projects)) return false;
  delete values.projects[key];
  await writeTrust(file, values);
  return true;
}

/** Every project the user accepted rules or MCP servers of, with those rules and the servers' names. */
export async function trustedProjects(location: Omit<SettingsLocation, "projectRoot">): Promise<Array<{ project: string; allow: string[]; mcpServers: string[] }>> {
  const values = await readTrust(fileOf(location));
  return Object.entries(values.projects).map(([project, entry]) => ({ project, allow: entry.allow, mcpServers: Object.keys(entry.mcp ?? {}) }));
}

/** The rules in force, and the project's allow rules left out because the user has not accepted them. */
export interface PermissionSettings {
  rules: PermissionRule[];
  /** The project's allow rules that do not count yet (see `acceptProjectRules`). */
  unaccepted: PermissionRule[];
}

/**
 * The user's rules, then the project's: its `ask` and `deny` rules, and those of its `allow` rules
 * the user accepted (all of them with `trustProject`, for one run: `wren -p --trust-project`).
 * Where the project's settings file is the user's own (wren's config directory inside the
 * project), its rules are the user's.
 */
export async function loadPermissionSettings(location: SettingsLocation, options: { trustProject?: boolean } = {}): Promise<PermissionSettings> {
  const files = settingsFiles(location);
  const [user, project, accepted] = await Promise.all([
    readPermissionRules(files.user, "user"),
    files.project === undefined ? Promise.resolve([]) : readPermissionRules(files.project, "project"),
    options.trustProject ? Promise.resolve(undefined) : acceptedProjectRules(location),
  ]);
  const counts = (rule: PermissionRule) => rule.action !== "allow" || accepted === undefined || accepted.has(rule.pattern);
  return { rules: [...user, ...project.filter(counts)], unaccepted: project.filter((rule) => !counts(rule)) };
}

/**
 * The settings files a run in `location` reads: the user's, and the project's
 * (`.wren/settings.toml` at its root) unless that is the user's own file (wren's config directory
 * inside the project, or a link to it), whose rules are the user's.
 */
export function settingsFiles(location: SettingsLocation): { user: string; project: string | undefined } {
  const user = userSettingsFile(location.env, location.home);
  const project = projectSettingsFile(location.projectRoot);
  // Their folders are compared, which exist where the files may not yet.
  return { user, project: projectKey(path.dirname(user)) === projectKey(path.dirname(project)) ? undefined : project };
}
