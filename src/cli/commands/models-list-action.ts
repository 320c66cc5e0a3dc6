import { catalog, formatBytes } from "../../models/index.js";
import { listModels } from "../../models/listing.js";
import { loadModelsContext } from "../../runtime/models.js";
import { ago, renderTable } from "./table.js";

function listCatalog(json: boolean): void {
  if (json) {
    process.stdout.write(`${JSON.stringify({ catalog }, null, 2)}\n`);
    return;
  }
  const rows = catalog.map((e) => [e.name, e.purpose, e.sizeClass, formatBytes(e.sizeBytes), String(e.contextLength), e.licence, `${e.repo}/${e.file}`]);
  process.stdout.write(renderTable(["NAME", "PURPOSE", "CLASS", "SIZE", "CONTEXT", "LICENCE", "SOURCE"], rows));
  process.stdout.write("Pull one by name: wren pull <name>\n");
}

export async function runList(flags: { json?: boolean; catalog?: boolean; modelsDir?: string }): Promise<void> {
  if (flags.catalog) {
    listCatalog(flags.json ?? false);
    return;
  }
  const context = await loadModelsContext({ modelsDir: flags.modelsDir });
  const listing = await listModels({ modelsDir: context.modelsDir, env: context.env, offline: context.offline });
  if (flags.json) {
    process.stdout.write(`${JSON.stringify({ modelsDir: context.modelsDir, ...listing }, null, 2)}\n`);
    return;
  }
  const out: string[] = [];
  if (listing.models.length === 0) {
    out.push(`No models yet in ${context.modelsDir}. Get one with \`wren pull <ref>\`, or see \`wren models recommend\`.\n`);
  } else {
    // A STATUS column only when some model cannot run; the reasons follow the table.
    const broken = listing.models.filter((m) => m.status !== "ok");
    const rows = listing.models.map((m) => [
      m.name,
      formatBytes(m.size),
      m.quant ?? "?",
      m.family ?? "?",
      m.context === null ? "?" : String(m.context),
      m.source === "store" ? ago(m.lastUsed) : "-",
      m.source,
      ...(broken.length ? [m.status] : []),
    ]);
    out.push(renderTable(["NAME", "SIZE", "QUANT", "FAMILY", "CONTEXT", "LAST USED", "SOURCE", ...(broken.length ? ["STATUS"] : [])], rows));
    if (broken.length) {
      out.push(`\n${broken.length === 1 ? "One model" : `${broken.length} models`} cannot run:\n`);
      for (const m of broken) out.push(`  ${m.name}: ${m.problem ?? m.status}\n`);
    }
  }
  if (listing.partial.length) {
    out.push("\nPartial downloads (no model yet):\n");
    for (const p of listing.partial) {
      const next = p.ref ? `\`wren pull ${p.ref}\` resumes it, \`wren models rm ${p.ref}\` removes it` : "pulling its URL again resumes it, `wren models rm URL` removes it";
      const parts = p.parts ? `, ${p.parts.complete} of ${p.parts.count} parts complete` : "";
      out.push(`  ${p.file} (${formatBytes(p.size)} of an interrupted pull${parts}; ${next})\n`);
    }
  }
  if (listing.remote) {
    out.push(`\nOn the Ollama server at ${listing.remote.host} (use as ollama:<name>):\n`);
    const rows = listing.remote.models.map((m) => [m.name, m.size === null ? "?" : formatBytes(m.size), m.quantization ?? "?", m.family ?? "?", m.parameterSize ?? "?"]);
    out.push(renderTable(["NAME", "SIZE", "QUANT", "FAMILY", "PARAMS"], rows));
  }
  process.stdout.write(out.join(""));
}
