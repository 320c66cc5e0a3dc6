import type { Word } from "./ir.js";
import { DATABASE_CLIENTS, type DatabaseClient } from "./rules-data-tools.js";

export { DATABASE_CLIENTS, type DatabaseClient };

/**
 * The statements a database client is given in its arguments: the value of a code option
 * (`-c SQL`, `--command=SQL`, PowerShell `-Query SQL`) or the operands that are code. `dynamic` when
 * some of it is only known at run time; undefined when the arguments hold no code (it then reads
 * its standard input, or a file).
 */
export function clientCode(client: DatabaseClient, name: string, args: readonly Word[], powershell: boolean): { words: Word[] } | undefined {
  const option = (w: Word): string => (powershell ? w.text.toLowerCase() : w.text);
  for (let i = 0; i < args.length; i++) {
    const w = args[i];
    if (!w || w.dynamic) continue;
    const t = option(w);
    if (client.codeOptions.includes(t)) {
      const value = args[i + 1];
      return { words: value ? [value] : [] };
    }
    const eq = client.codeOptions.find((o) => o.startsWith("--") && t.startsWith(`${o}=`));
    if (eq) return { words: [{ ...w, text: w.text.slice(eq.length + 1) }] };
    // `-cSQL`: a short code option with its value attached.
    const short = client.codeOptions.find((o) => /^-[A-Za-z]$/.test(o) && t.startsWith(o) && t.length > 2 && !client.valueOptions?.includes(t));
    if (short && name !== "redis-cli") return { words: [{ ...w, text: w.text.slice(2) }] };
  }
  if (client.codeOperandsFrom === undefined) return undefined;
  const operands: Word[] = [];
  for (let i = 0; i < args.length; i++) {
    const w = args[i];
    if (!w) continue;
    if (!w.dynamic && w.text.startsWith("-") && w.text !== "-") {
      if (client.valueOptions?.includes(w.text)) i++;
      continue;
    }
    operands.push(w);
  }
  const code = operands.slice(client.codeOperandsFrom);
  // bq takes `query SQL`: the first operand is its subcommand.
  if (name === "bq" && operands[0]?.text !== "query") return undefined;
  return code.length > 0 ? { words: code } : undefined;
}
