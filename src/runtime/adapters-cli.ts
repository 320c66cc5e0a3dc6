import { addAdapter, adapterNotFound, adapterRegistryPath, listAdapters, promoteAdapter, removeAdapter, type AdapterRecord, type PromoteResult } from "./adapters.js";
import { WrenError } from "../shared/errors.js";
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

/** `wren adapters promote`: the adapter becomes the default for its base (or `--for MODEL`) when its evaluation allows. */
export async function promoteAdapterForUser(name: string, flags: { for?: string; force?: boolean }, env: Env = process.env): Promise<PromoteResult> {
  const registry = adapterRegistryPath(env);
  const list = await listAdapters(registry);
  const record = list.find((a) => a.name === name);
  if (!record) throw adapterNotFound(name, list);
  const ref = flags.for ?? record.evaluation?.base.name ?? record.base;
  if (!ref) throw new WrenError("bad_request", `Adapter '${name}' names no base model.`, { hint: "Pass --for MODEL with the model whose requests should get it." });
  const resolved = await resolveModelForUser(ref, await loadModelsContext({ env }), { offline: true });
  return promoteAdapter(registry, name, { name: ref, path: resolved.path }, { force: flags.force ?? false });
}
