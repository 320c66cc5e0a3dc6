import type { Command } from "commander";

/**
 * `wren config show | path | validate | schema`: the effective configuration and where each key
 * came from, which files are read, and checks for a file or the whole stack.
 */
export function registerConfig(program: Command): void {
  const config = program
    .command("config")
    .description("show, locate and check wren's configuration (defaults < user file < project wren.toml < WREN_* env < flags)");

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
    .description("check one config file, or without FILE the whole effective configuration; prints ok or every problem (exit 2)")
    .argument("[file]", "a TOML config file")
    .action(async (file: string | undefined) => {
      const { checkConfigFile, configError, loadConfig } = await import("../../config/index.js");
      if (file === undefined) {
        await loadConfig();
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
