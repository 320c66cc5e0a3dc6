import { stat } from "node:fs/promises";
import type { AdapterSpec } from "../engine/index.js";
import { adapterMismatch, inspectLoraAdapter } from "../models/adapter-check.js";
import { WrenError } from "../shared/errors.js";
import { adapterNotFound, checkAdapterScale, defaultAdapterFor, listAdapters, mismatchError, type AdapterRecord } from "./adapters.js";

/** An adapter a request or a served model names: `NAME` or `NAME:SCALE`. */
export interface AdapterChoice {
  name: string;
  /** Absent: the scale it was registered with. */
  scale?: number;
}

/** Parses `NAME[:SCALE]` (the `x-wren-adapter` header, the part after `+` in a model name). */
export function parseAdapterChoice(text: string): AdapterChoice {
  const match = /^([A-Za-z0-9][A-Za-z0-9._-]{0,63})(?::([0-9]+(?:\.[0-9]+)?))?$/.exec(text.trim());
  if (!match?.[1]) {
    throw new WrenError("bad_request", `'${text.slice(0, 80)}' does not name an adapter: use NAME or NAME:SCALE (e.g. my-adapter:0.5).`, {
      hint: "`GET /v1/adapters` lists the adapters this server has.",
      details: { param: "adapter" },
    });
  }
  if (match[2] === undefined) return { name: match[1] };
  const scale = Number(match[2]);
  checkAdapterScale(scale);
  return { name: match[1], scale };
}

/** Splits a model alias `BASE+ADAPTER[:SCALE]`; undefined when the name has no `+`. */
export function splitAdapterName(name: string): { base: string; choice: string } | undefined {
  const at = name.lastIndexOf("+");
  if (at <= 0 || at === name.length - 1) return undefined;
  return { base: name.slice(0, at), choice: name.slice(at + 1) };
}

/**
 * The server's view of the adapter registry: read again whenever a request names an adapter it
 * does not know (so `wren adapters add` while the server runs takes effect at once), and each
 * adapter checked once against each base model's file before llama.cpp ever sees it.
 */
export class ServedAdapters {
  readonly #file: string;
  #records: AdapterRecord[] | undefined;
  /** Check results by adapter file, its version (inode, size, times) and the base file. */
  readonly #checks = new Map<string, Promise<string | undefined>>();

  constructor(file: string) {
    this.#file = file;
  }

  /** The registry file's version when it was last read. */
  #readVersion: string | undefined;

  async list(): Promise<AdapterRecord[]> {
    const version = await this.#version();
    this.#records = await listAdapters(this.#file);
    this.#readVersion = version;
    return this.#records;
  }

  /**
   * Changes with every write: the registry is replaced by a rename, so its inode changes even where
   * the file system's clock is too coarse for two writes to get different modification times.
   */
  async #version(): Promise<string | undefined> {
    return stat(this.#file).then(
      (s) => `${s.ino}:${s.mtimeMs}:${s.size}`,
      () => undefined,
    );
  }

  /**
   * The adapter `wren adapters promote` made the default for the base model in `basePath`, if any:
   * the registry is read again whenever it changed, so a promotion applies from the next request.
   */
  async promotedFor(basePath: string): Promise<AdapterChoice | undefined> {
    const version = await this.#version();
    if (version === undefined) return undefined;
    let records: AdapterRecord[];
    try {
      records = version === this.#readVersion && this.#records ? this.#records : await this.list();
    } catch {
      // A damaged registry (a hand edit) fails the requests that name an adapter, with its reason;
      // the others keep the default it gave before, not an error each.
      records = this.#records ?? [];
    }
    const promoted = defaultAdapterFor(records, basePath);
    return promoted ? { name: promoted.name } : undefined;
  }

  async #record(name: string): Promise<AdapterRecord> {
    // The registry changed (`wren adapters rm`, `add`): what it says now, not what it said.
    const current = this.#records && (await this.#version()) === this.#readVersion;
    const known = current ? this.#records?.find((a) => a.name === name) : undefined;
    if (known) return known;
    const list = await this.list();
    const found = list.find((a) => a.name === name);
    if (!found) throw adapterNotFound(name, list, "bad_request");
    return found;
  }

  /**
   * The adapter to apply to a request on `base`, checked against its file.
   *
   * @throws WrenError `bad_request` (400) for an unknown adapter, an unreadable one, or one that
   * does not fit the base.
   */
  async spec(choice: AdapterChoice, base: { id: string; path: string }): Promise<AdapterSpec> {
    const record = await this.#record(choice.name);
    // Any change to the file (ctime moves with every write, whatever its modification time is set to) is checked again.
    const version = await stat(record.path).then(
      (s) => `${s.ino}\u0000${s.size}\u0000${s.mtimeMs}\u0000${s.ctimeMs}`,
      () => undefined,
    );
    if (version === undefined) {
      // Removed from disk since: forget it, so a re-added one is read again.
      this.#records = undefined;
      // Said to a client, which may be on another machine: the adapter's name, never the server's paths.
      throw new WrenError("bad_request", `Adapter '${record.name}' is registered but its file is gone.`, {
        hint: `On the server, \`wren adapters\` shows where it was; remove it (\`wren adapters rm ${record.name}\`) and add it again.`,
        details: { param: "adapter" },
      });
    }
    const key = `${record.path}\u0000${version}\u0000${base.path}`;
    let check = this.#checks.get(key);
    if (!check) {
      check = inspectLoraAdapter(record.path).then((info) => adapterMismatch(info, base.path));
      this.#checks.set(key, check);
      check.catch(() => this.#checks.delete(key));
    }
    let problem: string | undefined;
    try {
      problem = await check;
    } catch (cause) {
      const why = (cause instanceof Error ? cause.message : String(cause)).replaceAll(record.path, "its file");
      throw new WrenError("bad_request", `Adapter '${record.name}' cannot be used: ${why}`, {
        cause,
        hint: `On the server, \`wren adapters\` shows its file; check it with \`wren adapters add\` again.`,
        details: { param: "adapter" },
      });
    }
    if (problem) throw mismatchError(record.name, base.id, problem);
    return { name: record.name, path: record.path, scale: choice.scale ?? record.scale };
  }
}
