/** What loadConfig takes for flags: dotted keys, and how each flag is named in errors. */
export interface ConfigFlags {
  flags: Record<string, unknown>;
  flagLabels: Record<string, string>;
}

const kebab = (name: string) => name.replace(/([a-z0-9])([A-Z])/g, "$1-$2").toLowerCase();

/**
 * Turns a command's parsed options into loadConfig's `flags`, for the options that stand for config
 * keys: `flagsFromOptions(opts, { gpu: "engine.gpu", port: "server.port" })`. Options the user did
 * not give (undefined) are left out; each flag is labelled as typed (`--context-size`) in errors.
 */
export function flagsFromOptions(
  options: Readonly<Record<string, unknown>>,
  keys: Readonly<Record<string, string>>,
): ConfigFlags {
  const flags: Record<string, unknown> = {};
  const flagLabels: Record<string, string> = {};
  for (const [option, key] of Object.entries(keys)) {
    const value = options[option];
    if (value === undefined) continue;
    flags[key] = value;
    flagLabels[key] = `--${kebab(option)}`;
  }
  return { flags, flagLabels };
}
