import type { Command } from "commander";

/**
 * `wren config show | get | set | unset | path | validate | schema`: the effective configuration and
 * where each key came from, one key read or changed in a config file, which files are read, and
 * checks for a file or the whole stack.
 */
export function registerConfig(program: Command): void {
  const config = program
    .command("config")
    .description("show, get, set, locate and check wren's configuration (defaults < user file < project wren.toml < WREN_* env < flags)");

  config
    .command("show")
    .description("print the effective configuration and, per key, the layer it came from")
    .option("--json", "print one JSON object: {config, sources}")
    .action(async (options: { json?: boolean }) => {
      const { loadConfig, showRows, renderShowJson, renderShowText, configJsonSchema, sectionContext } = await import(
        "../../config/index.js"
      );
      const os = await import("node:os");
      const { config: effective, sources } = await loadConfig();
      const rows = showRows(effective, sources, configJsonSchema(sectionContext()));
      process.stdout.write(options.json ? renderShowJson(rows) : renderShowText(rows, os.homedir()));
    });

  config
    .command("get")
    .description("print one key's effective value (all layers merged): a value as is, a table or list as JSON; exit 1 when it is not set")
    .argument("<key>", 'a dotted key: engine.gpu, models.aliases.tiny, router.prices."openai:gpt-4.1"')
    .option("--json", "print the value as JSON (strings quoted)")
    .option("--reveal", "print secrets (API keys) instead of masking them")
    .action(async (keyText: string, options: { json?: boolean; reveal?: boolean }) => {
      const { getConfigKey, masked } = await import("../../config/index.js");
      const { WrenError } = await import("../../shared/errors.js");
      const { key, value } = await getConfigKey(keyText);
      if (value === undefined) {
        throw new WrenError("not_found", `${key.name} is not set, and has no default.`, { hint: `Set it: wren config set ${key.name} VALUE.` });
      }
      const shown = options.reveal ? value : masked(key.node, value);
      const plain = typeof shown === "string" || typeof shown === "number" || typeof shown === "boolean";
      process.stdout.write(`${!options.json && plain ? String(shown) : JSON.stringify(shown, null, 2)}\n`);
    });

  config
    .command("set")
    .description("write one key into your user config file (or the project's wren.toml), changing no other line; VALUE is checked first")
    .argument("<key>", "a dotted key, as `wren config show` lists them")
    .argument("<value>", "the value: a number, true/false, text, a comma list or JSON list, JSON for a table")
    .option("--project", "write the project's wren.toml instead of your user config")
    .action(async (keyText: string, raw: string, options: { project?: boolean }) => {
      const { setConfigKey } = await import("../../runtime/config-edit.js");
      const result = await setConfigKey(keyText, raw, { scope: options.project ? "project" : "user" });
      const { inlineToml, masked, tildify } = await import("../../config/index.js");
      const os = await import("node:os");
      const where = tildify(result.file, os.homedir());
      const shown = inlineToml(masked(result.key.node, result.value));
      process.stdout.write(result.changed ? `${result.key.name} = ${shown}  # ${where}\n` : `${result.key.name} is already ${shown} in ${where}\n`);
      if (result.overriddenBy) process.stderr.write(overriddenNote(result.key.name, result.overriddenBy, os.homedir(), tildify));
    });

  config
    .command("unset")
    .description("remove one key (or a table) from your user config file (or the project's wren.toml); exit 1 when the file does not set it")
    .argument("<key>", "a dotted key, as `wren config show` lists them")
    .option("--project", "change the project's wren.toml instead of your user config")
    .action(async (keyText: string, options: { project?: boolean }) => {
      const { unsetConfigKey } = await import("../../runtime/config-edit.js");
      const result = await unsetConfigKey(keyText, { scope: options.project ? "project" : "user" });
      const { tildify } = await import("../../config/index.js");
      const os = await import("node:os");
      process.stdout.write(`removed ${result.key.name} from ${tildify(result.file, os.homedir())}\n`);
      if (result.overriddenBy) process.stderr.write(overriddenNote(result.key.name, result.overriddenBy, os.homedir(), tildify));
    });

  config
    .command("path")
    .description("print the user and project config files wren reads, and whether each exists")
    .option("--json", "print one JSON object")
    .action(async (options: { json?: boolean }) => {
      const { locateConfigFiles, PROJECT_FILE_NAME } = await import("../../config/index.js");
      const { user, project } = locateConfigFiles();
      if (options.json) {
        const entry = (f: typeof user) => (f === undefined ? null : { path: f.path, exists: f.exists });
        process.stdout.write(`${JSON.stringify({ user: entry(user), project: entry(project) }, null, 2)}\n`);
        return;
      }
      const state = (exists: boolean) => (exists ? "exists" : "does not exist");
      const lines = [
        user === undefined ? "user:    (none)" : `user:    ${user.path} (${state(user.exists)})`,
        project === undefined
          ? `project: (none: no ${PROJECT_FILE_NAME} in ${process.cwd()} or its parents)`
          : `project: ${project.path} (${state(project.exists)})`,
      ];
      process.stdout.write(`${lines.join("\n")}\n`);
    });

  config
    .command("validate")
    .description("check one config file (or a settings.toml), or without FILE the whole effective configuration and the settings files; prints ok or every problem (exit 2)")
    .argument("[file]", "a TOML config file, or a settings.toml of permission rules and the theme")
    .action(async (file: string | undefined) => {
      const path = await import("node:path");
      if (file !== undefined && path.basename(file) === "settings.toml") {
        const { checkSettingsFile } = await import("../settings-check.js");
        for (const note of await checkSettingsFile(file)) process.stderr.write(`note: ${note}\n`);
        process.stdout.write("ok\n");
        return;
      }
      const { checkConfigFile, configError } = await import("../../config/index.js");
      if (file === undefined) {
        // A run reads the settings files too, and refuses one it cannot read.
        for (const note of await (await import("../settings-check.js")).checkRunConfiguration(process.cwd())) process.stderr.write(`note: ${note}\n`);
      } else {
        const problems = await checkConfigFile(file);
        if (problems.length > 0) throw configError(problems);
      }
      process.stdout.write("ok\n");
    });

  config
    .command("schema")
    .description("print the JSON Schema of config files (for editor completion)")
    .action(async () => {
      const { configJsonSchema, sectionContext } = await import("../../config/index.js");
      process.stdout.write(`${JSON.stringify(configJsonSchema(sectionContext()), null, 2)}\n`);
    });
}

/** Why a change just made does not show in `wren config get`: a layer above the file sets the key. */
function overriddenNote(key: string, by: { layer: string; origin: string }, home: string, tildify: (file: string, home: string) => string): string {
  const what = by.layer === "env" ? `the variable ${by.origin}` : `the ${by.layer} file ${tildify(by.origin, home)}`;
  return `note: ${what} also sets ${key}, and wins over this file.\n`;
}
