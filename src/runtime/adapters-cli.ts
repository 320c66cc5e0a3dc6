import { addAdapter, adapterRegistryPath, listAdapters, removeAdapter, type AdapterRecord } from "./adapters.js";
import { loadModelsContext, resolveModelForUser } from "./models.js";
import type { Env } from "../shared/paths.js";

/** Options of `wren adapters add`. */
export interface AddAdapterFlags {
  name?: string;
  /** A model reference (name, alias, path); resolved offline, never downloaded. */
  base?: string;
  scale?: number;
}

/** `wren adapters add`: registers an adapter, checked against its base when one is named. */
export async function addAdapterForUser(file: string, flags: AddAdapterFlags, env: Env = process.env): Promise<AdapterRecord> {
  let base: { name: string; path: string } | undefined;
  if (flags.base) {
    const context = await loadModelsContext({ env });
    const resolved = await resolveModelForUser(flags.base, context, { offline: true });
    base = { name: flags.base, path: resolved.path };
  }
  return addAdapter(adapterRegistryPath(env), file, {
    ...(flags.name ? { name: flags.name } : {}),
    ...(base ? { base } : {}),
    ...(flags.scale !== undefined ? { scale: flags.scale } : {}),
  });
}

export async function listAdaptersForUser(env: Env = process.env): Promise<AdapterRecord[]> {
  return listAdapters(adapterRegistryPath(env));
}

export async function removeAdapterForUser(name: string, env: Env = process.env): Promise<AdapterRecord> {
  return removeAdapter(adapterRegistryPath(env), name);
}
