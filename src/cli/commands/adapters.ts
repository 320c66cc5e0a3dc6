import type { Command } from "commander";
import { WrenError } from "../../shared/errors.js";

function parseScale(value: string): number {
  const scale = Number(value);
  if (value.trim() === "" || !Number.isFinite(scale)) {
    throw new WrenError("bad_request", `--scale must be a number; got '${value}'.`, { hint: "Use e.g. --scale 1 or --scale 0.5." });
  }
  return scale;
}

/** `wren adapters add | list | rm`: the LoRA adapters `wren serve` may apply per request. */
export function registerAdapters(program: Command): void {
  const adapters = program.command("adapters").description("LoRA adapters the server applies per request: add, list, remove");
  adapters
    .command("add")
    .description("register a GGUF LoRA adapter (checked against its base model when --base is given)")
    .argument("<path>", "the adapter's GGUF file")
    .option("--name <name>", "the name requests use (default: the file name)")
    .option("--base <model>", "the base model it was trained for (a model name, alias or GGUF path)")
    .option("--scale <number>", "the default scale, 0 to 4 (default 1)", parseScale)
    .action(async (file: string, options: { name?: string; base?: string; scale?: number }) => {
      const { addAdapterForUser } = await import("../../runtime/adapters-cli.js");
      const record = await addAdapterForUser(file, options);
      process.stdout.write(`Added adapter '${record.name}' (${record.architecture}${record.base ? `, for ${record.base}` : ""}, scale ${record.scale}).\n`);
      process.stdout.write(`Use it with the header x-wren-adapter: ${record.name}, or the model name MODEL+${record.name}.\n`);
    });
  adapters
    .command("list")
    .description("the registered adapters")
    .option("--json", "print them as JSON")
    .action(async (options: { json?: boolean }) => {
      const { listAdaptersForUser } = await import("../../runtime/adapters-cli.js");
      const list = await listAdaptersForUser();
      if (options.json) {
        process.stdout.write(`${JSON.stringify(list, null, 2)}\n`);
        return;
      }
      if (list.length === 0) {
        process.stdout.write("No adapters registered. Add one with `wren adapters add PATH --name NAME`.\n");
        return;
      }
      for (const a of list) {
        const marks = [a.evaluation ? `eval loss ${a.evaluation.adapter.loss.toFixed(4)} (base ${a.evaluation.baseModel.loss.toFixed(4)})` : "", a.defaultFor ? `default for ${a.defaultFor.name}` : ""].filter(Boolean);
        process.stdout.write(`${a.name}\t${a.base ?? `any ${a.architecture}`}\tscale ${a.scale}\t${a.path}${marks.length ? `\t${marks.join(", ")}` : ""}\n`);
      }
    });
  adapters
    .command("promote")
    .description("make an adapter the default for its base model's requests, only if its recorded `wren train eval` did not get worse")
    .argument("<name>", "the adapter's name")
    .option("--for <model>", "the base model (default: the one it was evaluated on, else its recorded base)")
    .option("--force", "promote it whatever its evaluation says (or without one)")
    .action(async (name: string, options: { for?: string; force?: boolean }) => {
      const { promoteAdapterForUser } = await import("../../runtime/adapters-cli.js");
      const { record, replaced } = await promoteAdapterForUser(name, options);
      const e = record.evaluation;
      const why = e ? ` (loss ${e.adapter.loss.toFixed(4)} with it, ${e.baseModel.loss.toFixed(4)} without)` : "";
      process.stdout.write(`'${record.name}' is now the default adapter for ${record.defaultFor?.name ?? "its base"}${why}${replaced ? `, in place of '${replaced}'` : ""}.\n`);
      process.stdout.write("wren serve applies it to that model's requests that name no adapter (a server that runs picks it up on its next request).\n");
    });
  adapters
    .command("rm")
    .description("unregister an adapter (its file stays)")
    .argument("<name>", "the adapter's name")
    .action(async (name: string) => {
      const { removeAdapterForUser } = await import("../../runtime/adapters-cli.js");
      const removed = await removeAdapterForUser(name);
      process.stdout.write(`Removed adapter '${removed.name}' (its file ${removed.path} is kept).\n`);
    });
}
