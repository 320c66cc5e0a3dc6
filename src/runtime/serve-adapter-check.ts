import { adapterMismatch, inspectLoraAdapter } from "../models/adapter-check.js";
import { WrenError } from "../shared/errors.js";
import { adapterNotFound, defaultAdapterFor, listAdapters } from "./adapters.js";
import type { ServedModelSpec } from "./serve-host.js";

/**
 * Checks the LoRA adapter a served model's requests get when they name none (its `[[server.models]]`
 * entry's `adapter`, else the one promoted for its file) before llama.cpp starts: `wren serve` loads
 * its first model at start, and an adapter file that is gone, cut short or made for another model
 * would fail only once the model had loaded (a cut-short one at each request).
 *
 * @throws WrenError `model_not_found` (no file), `model_invalid` (damaged, or for another model),
 * `config_invalid` (a configured adapter that is not registered); each names the adapter and the file.
 */
export async function checkServedAdapter(model: ServedModelSpec, registryFile: string): Promise<void> {
  const records = await listAdapters(registryFile);
  const configured = model.adapter?.name;
  const record = configured === undefined ? defaultAdapterFor(records, model.path) : records.find((a) => a.name === configured);
  const name = configured ?? record?.name;
  if (name === undefined) return;
  const how = configured === undefined ? "promoted with `wren adapters promote`" : `adapter = "${configured}" in its [[server.models]] entry`;
  const what = `The LoRA adapter '${name}' that ${model.id} is served with (${how})`;
  const without = configured === undefined ? `\`wren adapters rm ${name}\` to serve ${model.id} without it` : `remove \`adapter\` from ${model.id}'s [[server.models]] entry to serve it without one`;
  if (!record) throw new WrenError("config_invalid", `${what} is not registered.`, { hint: adapterNotFound(name, records).hint });
  let problem: string | undefined;
  try {
    problem = await adapterMismatch(await inspectLoraAdapter(record.path), model.path);
  } catch (cause) {
    if (!(cause instanceof WrenError)) throw cause;
    if (cause.code === "model_not_found") {
      throw new WrenError("model_not_found", `${what} has no file at ${record.path}.`, {
        cause,
        hint: `Put the file back or register the adapter again (\`wren adapters rm ${name}\`, then \`wren adapters add FILE --name ${name}\`), or ${without}.`,
      });
    }
    throw new WrenError(cause.code, `${what} cannot be used: ${cause.message}`, { cause, hint: `${cause.hint ?? "Check the adapter file."} Or ${without}.` });
  }
  if (problem) {
    throw new WrenError("model_invalid", `${what} does not fit it: ${problem}.`, { hint: `Use an adapter trained for this model, or ${without}.` });
  }
}
