import type { McpServerConfig } from "../../config/sections/mcp.js";

/** The cloud policy of `router.cloud`. */
export type CloudPolicy = "allow" | "ask" | "never";

/** One cloud provider as the wizard edits it. */
export interface DraftProvider {
  name: string;
  /** The teacher model tried after the local model, e.g. `gpt-4o-mini`; empty for none. */
  model: string;
  /** Further teacher models of this provider in the file, kept as they are. */
  moreModels?: string[];
  /** `router.providers.<name>` as the file has it (kind, baseURL, headers…), kept as it is. */
  settings: Record<string, unknown>;
  /** True when a key is stored for it (in the file or just typed); the key itself is never shown. */
  hasKey: boolean;
  /** A key typed in this run, written as `apiKey`. */
  newKey?: string;
  /** What checking the new key found: "key accepted", "key not checked (offline)". */
  keyNote?: string;
}

/** Everything `wren setup` asks about, starting from the user's current config. */
export interface SetupDraft {
  local: boolean;
  /** `models.default`: a catalog name or any model ref. */
  model: string | undefined;
  providers: DraftProvider[];
  cloud: CloudPolicy;
  mcp: Record<string, McpServerConfig | Record<string, unknown>>;
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);
const section = (values: Record<string, unknown>, key: string): Record<string, unknown> => (isRecord(values[key]) ? values[key] : {});

/** The draft for a user file's values: what the wizard shows as current on a re-run. */
export function draftFromValues(values: Record<string, unknown>): SetupDraft {
  const models = section(values, "models");
  const router = section(values, "router");
  const mcp = section(values, "mcp");
  const settings = section(router, "providers");
  const teachers = Array.isArray(router["teachers"]) ? router["teachers"].filter((t): t is string => typeof t === "string") : [];
  const provider = (name: string): DraftProvider => {
    const stored = isRecord(settings[name]) ? settings[name] : {};
    return { name, model: "", settings: stored, hasKey: typeof stored["apiKey"] === "string" };
  };
  // Teachers first, in their order (the order the router tries them), then providers without one.
  const providers = new Map<string, DraftProvider>();
  for (const teacher of teachers) {
    const at = teacher.indexOf(":");
    if (at <= 0) continue;
    const name = teacher.slice(0, at);
    const entry = providers.get(name) ?? provider(name);
    if (!entry.model) entry.model = teacher.slice(at + 1);
    else entry.moreModels = [...(entry.moreModels ?? []), teacher.slice(at + 1)];
    providers.set(name, entry);
  }
  for (const name of Object.keys(settings)) if (!providers.has(name)) providers.set(name, provider(name));
  const cloud = router["cloud"];
  return {
    local: router["proxyOnly"] !== true,
    model: typeof models["default"] === "string" ? models["default"] : undefined,
    providers: [...providers.values()],
    cloud: cloud === "allow" || cloud === "never" ? cloud : "ask",
    mcp: Object.fromEntries(Object.entries(section(mcp, "servers")).filter((entry): entry is [string, Record<string, unknown>] => isRecord(entry[1]))),
  };
}

/**
 * The user file's values with the draft applied: only the keys the wizard asks about change, so
 * anything else the person wrote (engine, server, routes…) stays as it was.
 */
export function applyDraft(values: Record<string, unknown>, draft: SetupDraft): Record<string, unknown> {
  const out: Record<string, unknown> = structuredClone(values);
  const models = { ...section(out, "models") };
  if (draft.local && draft.model) models["default"] = draft.model;
  out["models"] = models;
  const router: Record<string, unknown> = { ...section(out, "router") };
  if (draft.local) delete router["proxyOnly"];
  else router["proxyOnly"] = true;
  router["cloud"] = draft.cloud;
  const previousTeachers = Array.isArray(router["teachers"]) ? router["teachers"].filter((t): t is string => typeof t === "string") : [];
  // Teachers the wizard shows as providers are rewritten; a teacher it could not parse is kept.
  const unparsed = previousTeachers.filter((t) => t.indexOf(":") <= 0);
  const teacherModels = (p: DraftProvider): string[] => (p.model ? [p.model, ...(p.moreModels ?? [])] : []);
  router["teachers"] = [...draft.providers.flatMap((p) => teacherModels(p).map((m) => `${p.name}:${m}`)), ...unparsed];
  const providers: Record<string, unknown> = {};
  for (const provider of draft.providers) {
    const settings = { ...provider.settings };
    if (provider.newKey) {
      settings["apiKey"] = provider.newKey;
      delete settings["apiKeyEnv"];
    }
    if (Object.keys(settings).length > 0) providers[provider.name] = settings;
  }
  router["providers"] = providers;
  out["router"] = router;
  out["mcp"] = { ...section(out, "mcp"), servers: draft.mcp };
  return out;
}
