import path from "node:path";
import { readManifest } from "../models/manifest.js";
import { pullModel } from "../models/pull.js";
import { parseModelRef, type ModelRef } from "../models/ref.js";
import { absoluteEntryPath, findStored, removeStored } from "../models/store.js";
import type { ModelManager, PullCallOptions, ServedModelInfo } from "../server/model-host.js";
import { WrenError } from "../shared/errors.js";
import type { Env } from "../shared/paths.js";
import type { LocalModelHost, ServedModelSpec } from "./serve-host.js";

/** Options of {@link StoreModelManager}. */
export interface StoreModelManagerOptions {
  host: LocalModelHost;
  /** wren's model store (`models.dir`): pulls land here, and deleting a pulled model frees its files. */
  modelsDir: string;
  /** Environment for HF_ENDPOINT and HF_TOKEN. */
  env: Env;
  /** Hub token from config (`models.token`); HF_TOKEN wins. */
  token?: string | undefined;
  /** `server.allowPull`, resolved: false refuses pulls with 403. */
  allowPull: boolean;
  /**
   * May `create` serve a file from the server's disk. False on a server reachable beyond this
   * machine: its clients would read the disk's layout through the answers ("is a directory", "not
   * found"). Default true.
   */
  allowFiles?: boolean;
  /** `--offline`: pulls are refused, since they would leave the machine. Default false. */
  offline?: boolean;
  /** Sequences of a model added at run time. Default: the host's default. */
  sequences?: number | undefined;
  /** Context size of a model added at run time. Default: the engine's default. */
  contextSize?: number | undefined;
  /** The router's local model (`auto` and the routes start at it): never deleted while the server runs. */
  routerLocal?: string | undefined;
}

/**
 * The server's model management over wren's own store and pull code: a pulled model is fetched
 * into the store and served under the name the client pulled; `create` and `copy` serve a file
 * under another name for as long as the server runs (made from a served model, with its load
 * options, so that both names answer from one load); `delete` stops serving a name and deletes the
 * store's files once no other name serves them (a user's own file is never deleted).
 */
export class StoreModelManager implements ModelManager {
  readonly #o: StoreModelManagerOptions;

  constructor(options: StoreModelManagerOptions) {
    this.#o = options;
  }

  async pull(ref: string, options: PullCallOptions): Promise<ServedModelInfo> {
    if (this.#o.offline) {
      throw new WrenError("forbidden", `Cannot pull '${ref}': the server runs with --offline.`, { hint: "Restart `wren serve` without --offline to pull models." });
    }
    if (!this.#o.allowPull) {
      throw new WrenError("forbidden", `Pulling models is turned off on this server, so '${ref}' was not pulled.`, {
        hint: "Set server.allowPull = true (or WREN_SERVER_ALLOW_PULL=true) where wren serve runs; a server bound beyond loopback does not pull unless told to.",
      });
    }
    const parsed = parseModelRef(ref);
    if (parsed.kind === "path") {
      throw new WrenError("bad_request", `'${ref}' is a file path: there is nothing to pull.`, { hint: 'Serve a file with /api/create {"model": "NAME", "from": "/path/model.gguf"}.' });
    }
    const served = this.#o.host.resolve(ref);
    if (!served) await this.#notAmbiguous(ref, parsed);
    options.onStatus?.("pulling manifest");
    if (served) return served;
    const onProgress = options.onProgress;
    const result = await pullModel(ref, {
      modelsDir: this.#o.modelsDir,
      env: this.#o.env,
      token: this.#o.token,
      signal: options.signal,
      onStatus: options.onStatus,
      ...(onProgress
        ? {
            onProgress: (p) =>
              onProgress({ file: p.file, digest: p.sha256 ? `sha256:${p.sha256}` : undefined, total: p.total ?? p.received, completed: p.received }),
          }
        : {}),
    });
    // Two clients pulling the same model share one download; whichever adds it second finds it served.
    const pulled = (): ServedModelInfo | undefined => {
      const now = this.#o.host.resolve(ref);
      return now && samePath(this.#o.host.spec(now.id)?.path, result.path) ? now : undefined;
    };
    try {
      return pulled() ?? (await this.#serve(ref, result.path));
    } catch (error) {
      const other = pulled();
      if (other) return other;
      throw error;
    }
  }

  async create(name: string, from: string): Promise<ServedModelInfo> {
    const source = this.#o.host.resolve(from);
    const spec = source ? this.#o.host.spec(source.id) : undefined;
    if (spec) return this.#serve(name, spec.path, spec);
    const parsed = parseModelRef(from);
    if (parsed.kind === "path" && this.#o.allowFiles === false) {
      throw new WrenError("forbidden", `Cannot create '${name}' from a file: this server is reachable beyond this machine, and does not serve files from its disk at a client's asking.`, {
        hint: "Start `wren serve --model PATH` where the server runs, or create from a model it serves (\"from\": its name).",
      });
    }
    if (parsed.kind !== "path") {
      throw new WrenError("model_not_found", `Cannot create '${name}': '${from}' is neither a model served here nor a path to a GGUF file.`, {
        hint: 'Send "from" as an absolute path to a .gguf file on the server\'s disk, or the name of a served model.',
      });
    }
    return this.#serve(name, parsed.path);
  }

  async copy(source: string, destination: string): Promise<ServedModelInfo> {
    const info = this.#o.host.resolve(source);
    const spec = info ? this.#o.host.spec(info.id) : undefined;
    if (!spec) throw notServed(source, "copy");
    return this.#serve(destination, spec.path, spec);
  }

  async remove(name: string): Promise<void> {
    const info = this.#o.host.resolve(name);
    const file = info ? this.#o.host.spec(info.id)?.path : undefined;
    if (!info || !file) throw notServed(name, "delete");
    if (info.id === this.#o.routerLocal) {
      throw new WrenError("bad_request", `Cannot delete '${info.id}': it is the router's local model, which auto and the routes start at.`, {
        hint: "Restart wren serve with another model first (--model REF); a model pulled into the store can then be removed with `wren models rm`.",
      });
    }
    await this.#o.host.remove(info.id);
    const stillServed = this.#o.host.list().some((m) => samePath(this.#o.host.spec(m.id)?.path, file));
    if (stillServed) return;
    const manifest = await readManifest(this.#o.modelsDir);
    const entry = manifest.models.find((e) => samePath(absoluteEntryPath(this.#o.modelsDir, e.file), file));
    if (entry) await removeStored(this.#o.modelsDir, entry);
  }

  /**
   * A pull of a reference naming several stored models (`hf:org/repo` with two quantisations stored)
   * would serve, under that name, whichever the store lists first, and a later delete of the name
   * would remove that one from the store: it is refused instead, naming the reference of each.
   */
  async #notAmbiguous(ref: string, parsed: ModelRef): Promise<void> {
    await findStored(this.#o.modelsDir, parsed, {
      text: `'${ref}'`,
      outcome: "Nothing was pulled.",
      hint: (refs) => `Pull one by its full name: ${refs.map((r) => `{"model": "${r}"}`).join(" or ")}.`,
      details: { param: "model" },
    });
  }

  /**
   * Serves `file` under `id`: with the load options of the served model it is made from (`source`),
   * so that the host answers both from one load, else with the server's defaults for added models.
   * A model's adapter is its own name's, not a copy's.
   */
  async #serve(id: string, file: string, source?: ServedModelSpec): Promise<ServedModelInfo> {
    const { contextSize, sequences } = source ?? { contextSize: this.#o.contextSize, sequences: this.#o.sequences };
    return this.#o.host.add({
      id,
      path: file,
      ...(contextSize ? { contextSize } : {}),
      ...(sequences ? { sequences } : {}),
      ...(source?.draft ? { draft: source.draft } : {}),
      ...(source?.speculative ? { speculative: source.speculative } : {}),
    });
  }
}

function samePath(a: string | undefined, b: string): boolean {
  return a !== undefined && path.resolve(a) === path.resolve(b);
}

function notServed(name: string, verb: string): WrenError {
  return new WrenError("model_not_found", `Cannot ${verb} '${name}': no model file is served under that name.`, {
    hint: "List the models with GET /api/tags; router names such as auto are not files.",
    details: { param: "model" },
  });
}
