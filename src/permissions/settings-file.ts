import { readFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { parse, stringify, TomlError } from "smol-toml";
import { z } from "zod";
import { unknownKeyAdvice } from "../config/suggest.js";
import { writeFileAtomic } from "../shared/atomic-write.js";
import { WrenError } from "../shared/errors.js";
import { resolvePaths, type Env } from "../shared/paths.js";
import { parseRulePattern } from "./rule-syntax.js";
import type { PermissionAction, PermissionRule } from "./types.js";

/** The project's settings, relative to its root. */
export const PROJECT_SETTINGS_FILE = path.join(".wren", "settings.toml");
/** The user's settings, in wren's config directory (`$XDG_CONFIG_HOME/wren`, `%APPDATA%\wren`, `$WREN_HOME`). */
export const USER_SETTINGS_FILE_NAME = "settings.toml";

/** Where the settings files are. */
export interface SettingsLocation {
  projectRoot: string;
  /** For the user config directory. Default: `process.env`. */
  env?: Env;
  /** Default: `os.homedir()`. */
  home?: string;
}

export function projectSettingsFile(projectRoot: string): string {
  return path.join(path.resolve(projectRoot), PROJECT_SETTINGS_FILE);
}

export function userSettingsFile(env: Env = process.env, home: string = os.homedir()): string {
  return path.join(resolvePaths(env, home).configDir, USER_SETTINGS_FILE_NAME);
}

const ACTIONS: readonly PermissionAction[] = ["allow", "ask", "deny"];

/** `[ui]` belongs to the terminal UI; only `[permissions]` is checked here. */
const settingsSchema = z.looseObject({
  permissions: z
    .strictObject({
      allow: z.array(z.string()).optional(),
      ask: z.array(z.string()).optional(),
      deny: z.array(z.string()).optional(),
    })
    .optional(),
});

const PERMISSION_KEYS = Object.keys(settingsSchema.shape.permissions.unwrap().shape);

/** One thing wrong with a settings file: the key or section (`permissions.alow`, `routr`) and what is wrong with it. */
export interface SettingsProblem {
  key: string;
  message: string;
  /** What is to be fixed: the key (unknown, misplaced) or its value. Default `key`. */
  about?: "key" | "value";
}

/**
 * A problem per issue; a key wren does not know gets the did-you-mean that wren.toml's keys get
 * (`alow` → `allow`), or the keys there are.
 */
function describeIssue(issue: z.core.$ZodIssue): SettingsProblem[] {
  const key = issue.path.join(".") || "(file)";
  if (issue.code !== "unrecognized_keys") return [{ key, message: issue.message, about: "value" }];
  return issue.keys.map((name) => ({ key: `${key}.${name}`, message: unknownKeyAdvice(name, PERMISSION_KEYS) }));
}

/**
 * The tables a settings file may have: `[permissions]` (read here) and `[ui]` (the terminal UI's
 * theme, read from the user's file). wren's other settings go in config.toml or wren.toml.
 */
export const SETTINGS_SECTIONS = ["permissions", "ui"] as const;

/**
 * The sections of config.toml and wren.toml (config/schema.ts, which a test keeps this equal to;
 * importing it here would load every section's schema): written into a settings file, one is
 * refused with where it belongs.
 */
export const CONFIG_FILE_SECTIONS = ["engine", "models", "server", "logging", "router", "agent", "mcp", "cmd", "train", "peers", "state"] as const;

/**
 * A problem for each top-level key of a settings file that is none of its tables, with the table
 * meant (`[permision]`, `[uii]`), the file it belongs in (`[router]`: config.toml) or the tables
 * there are: its keys would count for nothing (a misspelt `[permissions]`' deny rules too), so the readers of the file refuse it rather than
 * pass it over, as wren.toml's unknown sections are refused.
 */
export function unknownSettingsSections(values: Record<string, unknown>): SettingsProblem[] {
  return Object.keys(values)
    .filter((key) => !(SETTINGS_SECTIONS as readonly string[]).includes(key))
    .map((key) => ({
      key,
      message: (CONFIG_FILE_SECTIONS as readonly string[]).includes(key)
        ? `belongs in config.toml (or a project's wren.toml), not in a settings file: move [${key}] there.`
        : unknownKeyAdvice(key, SETTINGS_SECTIONS, "sections", "section"),
    }));
}

/** The lines of a message listing `problems`. */
export function settingsProblemLines(problems: readonly SettingsProblem[]): string {
  return problems.map((p) => `  ${p.key}: ${p.message}`).join("\n");
}

/** What is said of a settings file with a table it does not know. */
export const SETTINGS_SECTIONS_HINT =
  "A settings file has [permissions] (rules: docs/assistant.md, Permissions) and, in your own settings.toml, [ui] (the terminal UI's theme); wren's other settings go in config.toml or a project's wren.toml (docs/configuration.md).";

const FORMAT_HINT = 'The format is:\n[permissions]\nallow = ["Bash(npm test)", "Edit(src/**)"]\nask = []\ndeny = ["Read(**/.env)"]\n(see the Permissions section of docs/assistant.md).';

/**
 * A settings file's tables; `undefined` for a missing file. A file that cannot be read, or is not
 * TOML, is a `config_invalid` error naming the file (`details.line` and `details.column` say where
 * a syntax error is, `details.reason` what it is).
 */
export async function readSettingsToml(file: string): Promise<Record<string, unknown> | undefined> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw new WrenError("config_invalid", `${file} cannot be read (${error instanceof Error ? error.message : String(error)}).`, { hint: "Check the file's permissions.", cause: error });
  }
  try {
    return parse(text);
  } catch (error) {
    if (!(error instanceof TomlError)) throw error;
    const reason = (error.message.split("\n")[0] ?? "").replace(/^Invalid TOML document:\s*/, "");
    throw new WrenError("config_invalid", `${file}:${error.line}:${error.column}: TOML syntax error: ${reason}.`, {
      hint: FORMAT_HINT,
      cause: error,
      details: { line: error.line, column: error.column, reason },
    });
  }
}

/**
 * The rules in a settings file's tables, with the given scope, and every problem with them: a
 * section the file does not have, a `[permissions]` table of the wrong shape, each pattern that is
 * not a rule (those of a list that is otherwise good are read whatever else is wrong).
 */
export function permissionSettings(values: Record<string, unknown>, scope: "project" | "user"): { rules: PermissionRule[]; problems: SettingsProblem[] } {
  const parsed = settingsSchema.safeParse(values);
  const problems = [...unknownSettingsSections(values), ...(parsed.error?.issues.flatMap(describeIssue) ?? [])];
  const rules: PermissionRule[] = [];
  const table = values.permissions;
  const lists = typeof table === "object" && table !== null && !Array.isArray(table) ? (table as Record<string, unknown>) : {};
  for (const action of ACTIONS) {
    const list = lists[action];
    if (!Array.isArray(list)) continue;
    list.forEach((pattern: unknown, i) => {
      if (typeof pattern !== "string") return;
      try {
        parseRulePattern(pattern);
        rules.push({ action, pattern, scope });
      } catch (error) {
        problems.push({ key: `permissions.${action}[${i}]`, message: error instanceof Error ? error.message : String(error), about: "value" });
      }
    });
  }
  return { rules, problems };
}

/**
 * The rules in one settings file, with the given scope. A missing file has none; a file that is not
 * TOML, a section it does not have, a `[permissions]` table of the wrong shape or a pattern that is
 * not a rule is a `config_invalid` error naming the file and every problem.
 */
export async function readPermissionRules(file: string, scope: "project" | "user"): Promise<PermissionRule[]> {
  const values = await readSettingsToml(file);
  if (!values) return [];
  const { rules, problems } = permissionSettings(values, scope);
  if (problems.length === 0) return rules;
  const sections = unknownSettingsSections(values).length;
  const rulesOnly = problems.every((p) => /^permissions\.\w+\[\d+\]$/.test(p.key));
  const what = sections === problems.length ? "a section wren does not know" : sections > 0 ? "settings wren cannot read" : rulesOnly ? "rules wren cannot read" : "a [permissions] table wren cannot read";
  throw new WrenError("config_invalid", `${file} has ${what}:\n${settingsProblemLines(problems)}`, { hint: sections === problems.length ? SETTINGS_SECTIONS_HINT : FORMAT_HINT });
}

/**
 * Adds a rule to a settings file, creating the file (and its folder) when needed. The file is
 * replaced in one step (written beside it, then renamed), so a reader never sees half of it; other
 * sections are kept, comments are not. Adding a rule that is already there changes nothing.
 * Returns whether the file changed.
 */
export async function addPermissionRule(file: string, rule: { action: PermissionAction; pattern: string }): Promise<boolean> {
  parseRulePattern(rule.pattern);
  const values = (await readSettingsToml(file)) ?? {};
  const parsed = settingsSchema.safeParse(values);
  if (!parsed.success) {
    throw new WrenError("config_invalid", `${file} has a [permissions] table wren cannot read, so it was left as it is.`, { hint: FORMAT_HINT });
  }
  const permissions = { ...parsed.data.permissions };
  const list = permissions[rule.action] ?? [];
  if (list.includes(rule.pattern)) return false;
  permissions[rule.action] = [...list, rule.pattern];
  await writeSettings(file, stringify({ ...values, permissions }) + "\n");
  return true;
}

/** Saves a `project` or `user` rule to its settings file. */
export async function savePermissionRule(rule: PermissionRule, location: SettingsLocation): Promise<boolean> {
  if (rule.scope === "project") return addPermissionRule(projectSettingsFile(location.projectRoot), rule);
  if (rule.scope === "user") return addPermissionRule(userSettingsFile(location.env, location.home), rule);
  throw new WrenError("bad_request", `A ${rule.scope} rule is not saved to a settings file.`, { hint: "Only project and user rules are saved; keep session and once rules in SessionRules." });
}

/** Replaces the file in one step; a failure is a config_invalid error that says what to do. */
async function writeSettings(file: string, text: string): Promise<void> {
  try {
    await writeFileAtomic(file, text);
  } catch (error) {
    throw new WrenError("config_invalid", `wren could not save ${file} (${error instanceof Error ? error.message : String(error)}).`, {
      hint: "Check that the folder is writable, or add the rule to the file by hand.",
      cause: error,
    });
  }
}
