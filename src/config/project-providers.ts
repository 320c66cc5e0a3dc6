/*
 * A project's `wren.toml` comes with whatever repository the user cloned, so it is not trusted like
 * the user's own file; yet a provider's API key comes by default from the user's environment
 * (`OPENAI_API_KEY`, …). Were the project file free to say where such a provider's requests go, or
 * which variable its key is read from, running wren in a clone would hand the user's key to a host
 * the repository chose. So it may not, unless the entry brings its own `apiKey` (the key is then the
 * project's, written there on purpose).
 */
import { providerKeyEnv } from "../shared/provider-key-env.js";
import { joinKeyPath } from "./key-path.js";
import type { ConfigProblem } from "./problem.js";
import { getPath, isPlainObject, type Tree } from "./tree.js";

/** The keys that decide where a provider's requests, its key with them, are sent. */
const DESTINATION_KEYS = ["baseURL", "replicas", "kind", "headers"] as const;

/**
 * What `values` (the project file's, less what layers above it replace) sets in `router.providers`
 * that would send a key from the user's environment where the project chose; `origin` names the file.
 */
export function projectProviderProblems(values: Tree, origin: string, userFile: string): ConfigProblem[] {
  const providers = getPath(values, ["router", "providers"]);
  if (!isPlainObject(providers)) return [];
  const problems: ConfigProblem[] = [];
  const move = (name: string) =>
    `If you trust this project, move its [router.providers.${name}] to your user config file (${userFile}), or give the entry its own \`apiKey\` here.`;
  for (const [name, entry] of Object.entries(providers)) {
    if (!isPlainObject(entry) || entry["apiKey"] !== undefined) continue;
    const key = (field: string) => joinKeyPath(["router", "providers", name, field]);
    if (entry["apiKeyEnv"] !== undefined) {
      problems.push({
        origin,
        key: key("apiKeyEnv"),
        message: `a project's wren.toml may not choose which of your environment variables wren sends as an API key. ${move(name)}`,
      });
      continue;
    }
    const variable = providerKeyEnv(name.toLowerCase());
    if (variable === undefined) continue;
    const field = DESTINATION_KEYS.find((k) => entry[k] !== undefined);
    if (field === undefined) continue;
    problems.push({
      origin,
      key: key(field),
      message: `a project's wren.toml may not change where ${name} is reached: its API key comes from your environment (${variable}) and would go wherever this file points it. ${move(name)}`,
    });
  }
  return problems;
}
