import type { JsonSchemaNode } from "./config-schema.js";
import { envVarName } from "./env-layer.js";
import { leafKeys, typesOf } from "./schema-walk.js";

/** Machine facts for docs: every machine-dependent default has a `defaultText`, so these never show. */
export const DOCS_CONTEXT = { availableParallelism: 1, modelsDir: "models" } as const;

const cell = (text: string) => text.replace(/\|/g, "\\|").replace(/\n/g, " ");

/** What a key takes, as the key reference writes it: `integer ≥ 1`, `` `auto` | `cpu` ``, `table of strings`. */
export function typeText(node: JsonSchemaNode): string {
  if (node.enum !== undefined) return node.enum.map((v) => `\`${String(v)}\``).join(" | ");
  const types = typesOf(node);
  if (types.includes("array")) {
    const items = node.items;
    if (items === undefined) return "list";
    return items.properties !== undefined ? "list of tables (below)" : `list of ${typeText(items)}s`;
  }
  if (types.includes("object")) {
    return typeof node.additionalProperties === "object" ? `table of ${typeText(node.additionalProperties)}s` : "table";
  }
  let text = types.join(" or ") || "any";
  // z.int() bounds every integer by the safe-integer range; that is no limit worth printing.
  const max = node.maximum !== undefined && node.maximum < Number.MAX_SAFE_INTEGER ? node.maximum : undefined;
  const min = node.minimum !== undefined && node.minimum > Number.MIN_SAFE_INTEGER ? node.minimum : undefined;
  if (min !== undefined && max !== undefined && node.maxText === undefined) {
    text += ` ${min}–${max}`;
  } else if (min !== undefined) {
    text += ` ≥ ${min}`;
  } else if (max !== undefined && node.maxText === undefined) {
    text += ` ≤ ${max}`;
  }
  if (node.maxText !== undefined) text += `, at most ${node.maxText}`;
  return text;
}

function defaultText(node: JsonSchemaNode): string {
  if (node.defaultText !== undefined) return node.defaultText;
  if (node.default === undefined) return "not set";
  return `\`${JSON.stringify(node.default)}\``;
}

function table(rows: string[][], header: string[]): string {
  const lines = [header, header.map(() => "---"), ...rows].map((r) => `| ${r.map(cell).join(" | ")} |`);
  return `${lines.join("\n")}\n`;
}

/**
 * The key reference of docs/configuration.md, generated from the schema: one table per section
 * with each key's type, default, environment variable and description.
 */
export function renderConfigDocs(schema: JsonSchemaNode): string {
  const out: string[] = [];
  for (const [section, sectionNode] of Object.entries(schema.properties ?? {})) {
    out.push(`### \`[${section}]\`\n\n${sectionNode.description ?? ""}\n`);
    const nested: string[] = [];
    const rows = leafKeys(sectionNode).map(({ path: keyPath, node }) => {
      const key = keyPath.join(".");
      const items = node.items;
      if (items?.properties !== undefined) {
        const required = new Set(items.required ?? []);
        const itemRows = Object.entries(items.properties).map(([field, fieldNode]) => [
          `\`${field}\``,
          typeText(fieldNode),
          required.has(field) ? "required" : defaultText(fieldNode),
          fieldNode.description ?? "",
        ]);
        nested.push(
          `Each \`[[${section}.${key}]]\` table: ${items.description ?? ""}\n\n${table(itemRows, ["Key", "Type", "Default", "Description"])}`,
        );
      }
      return [`\`${key}\``, typeText(node), defaultText(node), `\`${envVarName([section, ...keyPath])}\``, node.description ?? ""];
    });
    out.push(table(rows, ["Key", "Type", "Default", "Environment", "Description"]));
    out.push(...nested);
  }
  return out.join("\n");
}
