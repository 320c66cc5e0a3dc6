import { writtenByCmdlet } from "./command-writes.js";
import type { Word } from "./ir.js";
import { literalWord } from "./ir.js";
import { operands } from "./match-rule.js";
import { classifyWord, copyDestination, fallbackClass, type PathContext } from "./paths.js";
import { REDIRECT_RULES } from "./rules.js";
import { riskRank, type Finding } from "./types.js";

/**
 * The one judgement of writing a path: `> /etc/passwd`, `cp x /etc/passwd`, `tee /etc/passwd`,
 * `dd of=/etc/passwd` and `sed -i … /etc/passwd` all write it, and are rated alike.
 */
export function judgeWrite(op: string, target: Word, paths: PathContext): Finding | undefined {
  // `<>` opens the file for writing too (a socket, `<>/dev/tcp/h/p`, is judged as the network it reaches).
  if ((op.includes("<") && op !== "<>") || /^\d+$/.test(target.text) || target.text === "-") return undefined;
  if (op === "<>" && !target.dynamic && /^\/dev\/(tcp|udp)\//.test(target.text)) return undefined;
  const table = op.includes(">>") ? REDIRECT_RULES.append : REDIRECT_RULES.overwrite;
  const cls = classifyWord(target, paths);
  const fallback = fallbackClass(cls);
  const rule = table[cls] ?? (fallback ? table[fallback] : undefined);
  return rule ? { category: rule.category, risk: rule.risk, detail: rule.detail.replace("{target}", target.text), subject: target.text } : undefined;
}

/**
 * The files a command writes by argument, as a redirection would name them: the destination of
 * cp, mv and install, tee's files (`-a` appends), dd's `of=`, and the files of `sed -i`.
 */
export function writtenByArgument(name: string, args: readonly Word[]): { op: ">" | ">>"; target: Word }[] {
  const ops = (): Word[] => operands({ name, args: [...args], powershell: false });
  switch (name) {
    case "cp": case "mv": case "install": {
      const t = args.findIndex((w) => !w.dynamic && (w.text === "-t" || w.text === "--target-directory"));
      const inline = args.find((w) => !w.dynamic && w.text.startsWith("--target-directory="));
      const dir = t >= 0 ? args[t + 1] : inline ? literalWord(inline.text.slice("--target-directory=".length)) : undefined;
      const last = ops().at(-1);
      const target = dir ?? (ops().length >= 2 ? last : undefined);
      return target ? [{ op: ">", target: copyDestination(target) }] : [];
    }
    case "tee": {
      const append = args.some((w) => !w.dynamic && (w.text === "--append" || /^-[A-Za-z]*a/.test(w.text)));
      return ops().map((target) => ({ op: append ? ">>" : ">", target }));
    }
    case "dd":
      return args.filter((w) => w.text.startsWith("of=")).map((w) => ({ op: ">", target: { ...w, text: w.text.slice(3) } }));
    case "sed": case "gsed": {
      if (!args.some((w) => !w.dynamic && /^(-[A-Za-z]{0,4}i([.~][A-Za-z~]*)?|--in-place(=.*)?)$/.test(w.text))) return [];
      const scripted = args.some((w) => !w.dynamic && /^(-[A-Za-z]*[ef]|--expression(=.*)?|--file(=.*)?)$/.test(w.text));
      // With -e or -f the script is an option's value; without, it is the first operand.
      const files = scripted ? ops().filter((w) => !/^-[A-Za-z]*[ef]$|^--(expression|file)$/.test(args[args.indexOf(w) - 1]?.text ?? "")) : ops().slice(1);
      return files.map((target) => ({ op: ">", target }));
    }
    default:
      return [];
  }
}

/** Findings for the files a command writes by argument, where writing them is at least high (system files, start-up files). */
export function argumentWrites(name: string, args: readonly Word[], paths: PathContext): Finding[] {
  const out: Finding[] = [];
  for (const { op, target } of writtenByArgument(name, args)) {
    const finding = judgeWrite(op, target, paths);
    if (finding && riskRank(finding.risk) >= riskRank("high")) out.push(finding);
  }
  return out;
}

/**
 * Findings for the files a PowerShell writer writes (see `writtenByCmdlet`): judged as a redirection
 * to them is (`Set-Content F` as `> F`, a path only known at run time too), Tee-Object's as tee's are.
 */
export function cmdletWrites(cmdlet: string, args: readonly Word[], paths: PathContext): Finding[] {
  const out: Finding[] = [];
  for (const { op, target, tee } of writtenByCmdlet(cmdlet, args)) {
    const finding = judgeWrite(op, target, paths);
    if (finding && (!tee || riskRank(finding.risk) >= riskRank("high"))) out.push(finding);
  }
  return out;
}
