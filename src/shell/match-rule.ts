import { heldContents, type ContentsFed } from "./data-flow.js";
import type { Word } from "./ir.js";
import { RUN_TIME } from "./ir.js";
import { shortLetters, splitOption, walkOptions } from "./option-walk.js";
import { classifyWord, copyDestination, fallbackClass, globMayName, type PathClass, type PathContext } from "./paths.js";
import { isPrinted, urlHost, type PrintedWord } from "./printed-credentials.js";
import { authWords, givesOption, goesElsewhere, requestMethod, requestUrls } from "./request-urls.js";
import { namesSecretsFile } from "./secret-files.js";
import { namesServiceBase } from "./secret-names.js";
import { GLOBAL_VALUE_OPTIONS, IN_PLACE_EDITS, WINDOWS_VERBS, type InPlaceEdit, type Rule } from "./rules.js";
import { targetDirectory } from "./target-directory.js";
import { riskRank, type Finding, type Risk } from "./types.js";

/** A command after wrappers are removed: its base name and its arguments. */
export interface Invocation {
  name: string;
  args: Word[];
  powershell: boolean;
  /** Operands that name paths, when they differ from "every non-option argument" (find's start paths). */
  pathOperands?: Word[];
  /** The files whose contents reach the command (rules with `targets.fed`). */
  fed?: ContentsFed;
  /** Whether something is fed to its standard input: a pipe, a here-string or document, a `<` redirection. */
  stdinFed?: boolean;
}

function isOption(word: Word, powershell: boolean): boolean {
  if (word.dynamic) return false;
  if (powershell) return word.param === true;
  return word.text.startsWith("-") && word.text !== "-";
}

/**
 * The non-option arguments; with `valueOptions`, not the words those options take (`scp -i KEY`),
 * read as getopt reads them: `--name VALUE`, `--name=VALUE`, and a group of short options where the
 * first that takes a value takes the rest of the word (`-s0`), or the next word when it ends the
 * group (`truncate -cs 0 F`); the letters of `optionalValues` only ever take the rest of the word
 * (`Rule.targets.optionalValues`: `sed -ie`). After `--` every word is one (`rm -rf -- -x` deletes
 * -x). PowerShell's parameters, and a command's words with no `valueOptions`, are read word by word.
 */
export function operands(inv: Invocation, valueOptions: readonly string[] = [], optionalValues = ""): Word[] {
  if (inv.powershell || valueOptions.length === 0) {
    let ended = false;
    return inv.args.filter((w) => {
      if (ended) return true;
      if (!inv.powershell && !w.dynamic && w.text === "--") ended = true;
      return !isOption(w, inv.powershell) && !w.member;
    });
  }
  const letters = shortLetters(valueOptions) + optionalValues;
  return walkOptions(inv.args, (text) => {
    if (valueOptions.includes(text)) return true;
    const [option, value] = splitOption(text, letters);
    return value === undefined && valueOptions.includes(option);
  });
}

export function subcommandOf(inv: Invocation): string | undefined {
  return nthOperand(inv, 0);
}

/** The operand after the subcommand (`gh repo delete`: `delete`), past the program's global options. */
export function actionOf(inv: Invocation): string | undefined {
  return nthOperand(inv, 1);
}

function nthOperand(inv: Invocation, n: number): string | undefined {
  const valueOptions = GLOBAL_VALUE_OPTIONS[inv.name] ?? [];
  const windows = WINDOWS_VERBS[inv.name];
  let seen = 0;
  for (let i = 0; i < inv.args.length; i++) {
    const w = inv.args[i];
    if (!w) break;
    if (isOption(w, inv.powershell)) {
      if (valueOptions.includes(w.text)) i++;
      continue;
    }
    if (windows && i === 0 && !w.dynamic && windows.before.test(w.text)) continue;
    if (seen++ === n) return w.dynamic ? undefined : windows ? w.text.toLowerCase() : w.text;
    if (w.dynamic) return undefined;
  }
  return undefined;
}

/**
 * Whether `flag` is given before any `--`, after which words are operands (`rm -- -r /` is not
 * recursive). With `partly`, also by a word only partly known at run time, as its known start spells
 * it: `--desc="$(…)"` gives `--desc`, `-d"$(…)"` and `-pd"$(…)"` give `-d`.
 */
export function hasFlag(args: readonly Word[], flag: string, powershell = false, partly = false): boolean {
  for (const w of args) {
    if (w.dynamic) {
      if (partly && !powershell && startsWithFlag(w.text, flag)) return true;
      continue;
    }
    const t = w.text;
    if (!powershell && t === "--") return false;
    if (t === flag) return true;
    if (flag.startsWith("--")) {
      if (t.startsWith(flag + "=")) return true;
    } else if (flag.length === 2 && /^-[A-Za-z0-9]{2,}$/.test(t) && t.includes(flag[1] ?? "")) {
      return true;
    }
  }
  return false;
}

/** For {@link hasFlag}'s `partly`: the known text before a dynamic word's first value gives `flag` (`--desc=…`, `-pd…`). */
function startsWithFlag(text: string, flag: string): boolean {
  const at = text.indexOf(RUN_TIME);
  if (at < 0) return false;
  const known = text.slice(0, at);
  if (flag.startsWith("--")) return known.startsWith(`${flag}=`);
  return flag.length === 2 && /^-[A-Za-z0-9]+$/.test(known) && known.includes(flag[1] ?? "");
}

function hasParam(args: readonly Word[], param: string): boolean {
  return args.some((w) => {
    if (!w.param) return false;
    const name = w.text.replace(/^-+/, "").split(":")[0]?.toLowerCase() ?? "";
    return name.length > 0 && param.startsWith(name);
  });
}

function lower(args: readonly Word[]): string[] {
  return args.filter((w) => !w.dynamic).map((w) => w.text.toLowerCase());
}

/** How a finding names the environment (a dump of it, `/proc/self/environ`): the path says little of what is in it. */
const ENVIRONMENT_TARGET = "the environment (every variable, API keys and tokens among them)";

/** The finding a rule gives for an invocation, or undefined when the rule does not apply. */
export function matchRule(rule: Rule, inv: Invocation, paths: PathContext): Finding | undefined {
  if (!rule.commands.includes(inv.name) && !(rule.prefixes ?? []).some((p) => inv.name.startsWith(p))) return undefined;
  if (rule.subcommand) {
    const sub = subcommandOf(inv);
    if (sub === undefined || !rule.subcommand.includes(sub)) return undefined;
  }
  if (rule.action) {
    const action = actionOf(inv);
    if (action === undefined || !rule.action.includes(action)) return undefined;
  }
  if (rule.noSubcommand) {
    const sub = subcommandOf(inv);
    if (sub !== undefined && rule.noSubcommand.includes(sub)) return undefined;
  }
  // An HTTP client's options are read as it reads them (`curl -d@FILE`, `--data="$(…)"`).
  // Others' too where a value only known at run time is attached (`gh gist create --desc="$(…)"`), but
  // not to clear a rule (`noFlags`): only a word wholly known says the option is given.
  const given = (f: string, partly = false): boolean => (inv.powershell ? undefined : givesOption(inv.name, inv.args, f)) ?? hasFlag(inv.args, f, inv.powershell, partly);
  const givenPartly = (f: string): boolean => given(f, true);
  if (rule.flags && !rule.flags.some(givenPartly)) return undefined;
  if (rule.allFlags && !rule.allFlags.every(givenPartly)) return undefined;
  if (rule.noFlags?.some((f) => given(f))) return undefined;
  if (rule.params && !rule.params.some((p) => hasParam(inv.args, p))) return undefined;
  if (rule.noParams?.some((p) => hasParam(inv.args, p))) return undefined;
  const texts = lower(inv.args);
  if (rule.args && !rule.args.some((a) => texts.includes(a.toLowerCase()))) return undefined;
  if (rule.argPrefixes && !rule.argPrefixes.some((p) => texts.some((t) => t.startsWith(p.toLowerCase())))) return undefined;
  if (rule.noArgPrefixes?.some((p) => texts.some((t) => t.startsWith(p.toLowerCase())))) return undefined;
  if (rule.argSets && !rule.argSets.every((set) => set.some((a) => texts.includes(a.toLowerCase())))) return undefined;
  if (rule.argPattern && !inv.args.some((w) => !w.dynamic && patternOf(rule.argPattern ?? "").test(w.text))) return undefined;
  if (rule.noArgPattern && inv.args.some((w) => !w.dynamic && patternOf(rule.noArgPattern ?? "").test(w.text))) return undefined;
  if (rule.lastValue && !lastValueDiffers(inv.args, rule.lastValue)) return undefined;
  if (rule.someValue && !someValueDiffers(inv.args, rule.someValue)) return undefined;
  if (rule.settings && !settingDiffers(inv.args, rule.settings)) return undefined;
  if (rule.operandPattern && !operands(inv, rule.valueOptions).some((w) => !w.dynamic && patternOf(rule.operandPattern ?? "").test(w.text))) return undefined;
  if (rule.remote && !goesElsewhere(inv.name, inv.args)) return undefined;
  if (rule.requestMethods) {
    const method = requestMethod(inv.name, inv.args, inv.stdinFed);
    if (method === undefined || (method !== null && !rule.requestMethods.includes(method))) return undefined;
  }
  if (rule.inPlace && !editsInPlace(inv)) return undefined;
  if (rule.targetNames && !operands(inv).some((w) => !w.dynamic && rule.targetNames?.includes(baseName(w.text)))) return undefined;
  if (!rule.targets) {
    return rule.risk ? { category: rule.category, risk: rule.risk, detail: rule.detail } : undefined;
  }
  const { prefix, values, pattern, names, last, sources, uploadTo, fed, except, risk: byClass } = rule.targets;
  let best: { risk: Risk; word: Word; cls: PathClass; held: boolean } | undefined;
  const chosen = fed
    ? (rule.targets.stdinDash && !sendsStdin(rule, inv) ? [] : (inv.fed?.[fed] ?? []))
    : values
    ? (rule.targets.noOperand && namedOperands(rule, inv).some((w) => !(w.dynamic && w.bare)) ? [] : optionValues(inv.args, values).map(copyDestination))
    : prefix
      ? inv.args
          .filter((w) => w.text.startsWith(prefix))
          .map((w) => ({ ...w, text: w.text.slice(prefix.length) }))
      : (inv.pathOperands ?? namedOperands(rule, inv));
  const all = pattern ? captured(chosen, patternOf(pattern), names) : chosen;
  const split = last || sources ? splitDestination(inv, all) : undefined;
  const candidates = uploadTo && !fed ? uploadSources(all, patternOf(uploadTo)) : split ? (last ? split.destination.map(copyDestination) : split.sources) : all;
  for (const { word, held } of candidates.flatMap((w) => withHeld(w, !fed && byClass.secrets !== undefined))) {
    if (except && !word.dynamic && patternOf(except).test(word.text)) continue;
    const cls = secretsClass(word, inv, byClass) ?? classifyWord(word, paths);
    const fallback = fallbackClass(cls);
    const risk = byClass[cls] ?? (fallback ? byClass[fallback] : undefined);
    if (risk && (!best || riskRank(risk) > riskRank(best.risk))) best = { risk, word, cls, held };
  }
  if (!best) return undefined;
  const printed = isPrinted(best.word) ? best.word.printed : undefined;
  const target = best.cls === "unknown" ? "a path only known at run time" : best.cls === "environ" ? ENVIRONMENT_TARGET : printed ? (printed.subject ?? `the ${printed.what} ${printed.command} prints`) : best.word.text;
  // What a file holds is sent as its contents: "uploads the contents of the environment … to a gist".
  const sent = best.held && !rule.detail.includes("the contents of {target}") ? rule.detail.replace("{target}", "the contents of {target}") : rule.detail;
  const detail = printed ? sent.replace("the contents of {target}", target) : sent;
  return { category: rule.category, risk: best.risk, detail: detail.replace("{target}", target), subject: target };
}

/**
 * The `secrets` class for a word a rule that names it judges so (`paths.ts`): an environment file
 * (`.env`) anywhere, and what a command that prints a credential printed, unless it is put in a
 * request's header or user for the credential's own service (`curl -H "Authorization: Bearer $(gh
 * auth token)" https://api.github.com/…`), as it is meant to be used; a secret from the environment
 * (`$OPENAI_API_KEY`) also unless the request stays on this machine (wren serve's own key). `none` for
 * a printed credential no rule judges, which names no file; undefined for any other word.
 */
function secretsClass(word: Word, inv: Invocation, byClass: Partial<Record<PathClass, Risk>>): PathClass | undefined {
  if (isPrinted(word)) return byClass.secrets && !usedOnItsService(word, inv) && !(word.printed.variable && !goesElsewhere(inv.name, inv.args)) ? "secrets" : "none";
  return byClass.secrets && namesSecretsFile(word) ? "secrets" : undefined;
}

/**
 * A rule's target word and, for a rule that judges credentials sent away (`sends`: one that judges
 * the `secrets` class, with its files not `fed`, which have what they hold already) where the word
 * names a file the line wrote a credential to (`Word.held`, see `credential-files.ts`: `env > /tmp/e;
 * gh gist create /tmp/e`), what the file holds (`held`): the key files, dump of the environment or
 * printed credential the writing script read, judged as their contents sent. Rules that write,
 * move or delete the file judge its path alone (`cp README.md k` writes over what `k` held). A word
 * only known at run time names no such file (a variable holding a credential is its text, not a
 * file's name: `gh gist create "$k"`).
 */
function withHeld(word: Word, sends: boolean): { word: Word; held: boolean }[] {
  const contents = sends && !word.dynamic ? heldContents(word) : [];
  return [{ word, held: false }, ...contents.map((w) => ({ word: w, held: true }))];
}

/**
 * Whether a printed credential goes in a header or user of a request whose every URL is of its
 * service, and nowhere else; a secret from the environment also in such a URL (`?key=$GEMINI_API_KEY`).
 * A URL's host counts where it is written out, whatever comes after it (`https://api.github.com/$P`);
 * for a secret from the environment, also where the URL starts with a variable the environment gives
 * the service's base URL (`"$OPENAI_BASE_URL/models"`, see {@link startsAtServiceBase}).
 */
function usedOnItsService(word: PrintedWord, inv: Invocation): boolean {
  const { service, variable } = word.printed;
  const auth = authWords(inv.name, inv.args);
  const urls = requestUrls(inv.name, inv.args);
  if (!service || !word.from || !auth || !urls) return false;
  if (!auth.includes(word.from) && !(variable && urls.includes(word.from))) return false;
  return urls.length > 0 && urls.every((url) => {
    const host = urlHost(url.text);
    return (host !== undefined && service.test(host)) || (variable !== undefined && startsAtServiceBase(url, variable));
  });
}

/** A URL that is a variable's value followed by nothing that changes its host (see {@link startsAtServiceBase}). */
const AT_SERVICE_BASE = new RegExp(`^${RUN_TIME}([/?#]|$)`);

/**
 * Whether a URL is the base URL of the service of the secret `key`, as the user's environment gives
 * it (`Word.serviceBase`: a variable the line gives no value), followed by nothing that changes its
 * host (`/…`, `?…`, `#…`; not `.evil.io`, `@evil.io`).
 */
function startsAtServiceBase(url: Word, key: string): boolean {
  return url.serviceBase !== undefined && namesServiceBase(url.serviceBase, key) && AT_SERVICE_BASE.test(url.text);
}

/** The values given to these options: `-T FILE`, `--upload-file=FILE`, `-TFILE`. */
function optionValues(args: readonly Word[], options: readonly string[]): Word[] {
  const out: Word[] = [];
  args.forEach((w, i) => {
    if (w.dynamic) return;
    if (options.includes(w.text)) {
      const value = args[i + 1];
      if (value) out.push(value);
      return;
    }
    const joined = options.find((o) => (o.startsWith("--") ? w.text.startsWith(`${o}=`) : o.length === 2 && w.text.startsWith(o) && w.text.length > 2));
    if (joined) out.push({ ...w, text: w.text.slice(joined.length + (joined.startsWith("--") ? 1 : 0)) });
  });
  return out;
}

/**
 * Whether one of the options is given and the last one's value is only known at run time or does
 * not match `not` (with `orNone`, or none is given).
 */
function lastValueDiffers(args: readonly Word[], { options, not, orNone = false }: NonNullable<Rule["lastValue"]>): boolean {
  const last = optionValues(args, options).at(-1);
  return last === undefined ? orNone : differs(last, not);
}

/** Whether some value given to one of the options is only known at run time or does not match `not`. */
function someValueDiffers(args: readonly Word[], { options, not }: NonNullable<Rule["someValue"]>): boolean {
  return optionValues(args, options).some((value) => differs(value, not));
}

function differs(value: Word, not: string): boolean {
  return value.dynamic || !patternOf(not).test(value.text);
}

/**
 * Whether a `config set` writes a key matching `key` with a value only known at run time or not
 * matching `not`. npm's `config set` reads its operands after `set` as pairs, `key value` or
 * `key=value`, several in one command, and keeps the last value for a key; an empty one deletes the
 * setting. No other rule field reads operands as pairs, so this reader is here, for the rules that
 * name what is set (pnpm's and yarn 1's one `key value` pair reads alike). A word only known at run
 * time where a key goes may hold `key=value` or a key alone, so the words after it are read as
 * starting pairs of their own, and what it sets as no key a rule names.
 */
function settingDiffers(args: readonly Word[], { key, not, valueOptions }: NonNullable<Rule["settings"]>): boolean {
  const letters = shortLetters(valueOptions);
  const words = walkOptions(args, (text) => {
    const [option, value] = splitOption(text, letters);
    return value === undefined && valueOptions.includes(option);
  });
  const set = words.findIndex((w) => !w.dynamic && w.text === "set");
  if (set < 0) return false;
  const pairs = words.slice(set + 1);
  const written = new Map<string, Word>();
  for (let i = 0; i < pairs.length; i++) {
    const w = pairs[i];
    if (!w) break;
    const eq = w.text.indexOf("=");
    const name = (eq < 0 ? w.text : w.text.slice(0, eq)).trim();
    if (name.includes(RUN_TIME)) continue;
    const value = eq >= 0 ? { ...w, text: w.text.slice(eq + 1) } : pairs[++i];
    if (value) written.set(name, { ...value, text: value.text.trim() });
    else written.delete(name);
  }
  return [...written].some(([name, value]) => patternOf(key).test(name) && (value.dynamic || value.text !== "") && differs(value, not));
}

/**
 * The part of each word a pattern's first group captures; words it does not match are dropped. A
 * glob that matches once each name in it that may expand to one of `names` is read as that name
 * (`.g*` as `.git`) is kept whole, as written.
 */
function captured(words: readonly Word[], re: RegExp, names: readonly string[] = []): Word[] {
  return words.flatMap((w) => {
    const part = re.exec(w.text)?.[1];
    if (part !== undefined) return [{ ...w, text: part }];
    if (!w.glob || w.dynamic || names.length === 0) return [];
    const named = w.text.replace(/[^\\/]+/g, (name) => (/[*?[]/.test(name) ? (names.find((n) => globMayName(name, n)) ?? name) : name));
    return named !== w.text && re.test(named) ? [w] : [];
  });
}

/** The commands whose `-t DIR` (`--target-directory`) names the destination, as GNU coreutils read it (rsync's `-t` keeps times). */
const TARGET_DIRECTORY = new Set(["cp", "mv", "install", "ln"]);

/**
 * A copy's or a move's operands: its sources, and its destination (the last operand, or the folder
 * `-t DIR` names; in PowerShell the value of `-Destination`, abbreviated or not, and none, the
 * working directory, after a lone source).
 */
function splitDestination(inv: Invocation, all: Word[]): { sources: Word[]; destination: Word[] } {
  if (inv.powershell) {
    const at = inv.args.findIndex((w) => w.param === true && w.text.length >= 3 && "-destination".startsWith(w.text.toLowerCase()));
    const dir = at >= 0 ? inv.args[at + 1] : undefined;
    if (dir) return { sources: all.filter((w) => w !== dir), destination: [dir] };
    if (all.length < 2) return { sources: all, destination: [] };
  }
  if (TARGET_DIRECTORY.has(inv.name)) {
    const dir = targetDirectory(inv.args);
    if (dir) return { sources: all.filter((w) => w !== dir), destination: [dir] };
  }
  return { sources: all.slice(0, -1), destination: all.slice(-1) };
}

/** What {@link namedOperands} reads: the words a rule names, and how its targets are read. */
type OperandReading = Pick<Rule, "subcommand" | "action" | "args" | "argSets"> & {
  targets?: Pick<NonNullable<Rule["targets"]>, "skip" | "skipOperands" | "leading" | "optionalValues">;
};

/**
 * The files a command edits in place (`sed -i`, `gsed -ie`, `perl -pi`), read as `IN_PLACE_EDITS`
 * says, as a rule's targets are: none where it edits nothing in place. `path-writes.ts` judges them.
 */
export function editedInPlace(inv: Invocation): Word[] {
  const edit = editsInPlace(inv);
  if (!edit || inv.powershell) return [];
  return namedOperands(edit, edit.emptySuffix ? { name: inv.name, args: withoutEmptySuffix(inv.args), powershell: false } : inv);
}

/** The words less BSD sed's empty backup suffix: a literal empty word right after `-i` or a group ending in it (`-Ei ''`). */
function withoutEmptySuffix(args: readonly Word[]): Word[] {
  const out: Word[] = [];
  for (let i = 0; i < args.length; i++) {
    const w = args[i]!;
    out.push(w);
    if (w.dynamic) continue;
    if (w.text === "--") return out.concat(args.slice(i + 1));
    const next = args[i + 1];
    if (/^-[A-Za-z]*i$/.test(w.text) && next && !next.dynamic && next.text === "") i++;
  }
  return out;
}

/** How the command edits files in place (`IN_PLACE_EDITS`), where one of its options says it does (`-i.bak`, `-pi`, `--in-pl`). */
export function editsInPlace(inv: Invocation): InPlaceEdit | undefined {
  const edit = IN_PLACE_EDITS.find((e) => e.commands.includes(inv.name));
  return edit?.flags.some((f) => givenOrCutShort(inv.args, f, edit.targets.optionalValues ?? "")) ? edit : undefined;
}

/** Operands less the leading words the rule names (`gh gist create`, `aws s3 cp`), which are no paths. */
function pastCommandWords(rule: OperandReading, words: Word[]): Word[] {
  const named = new Set([...(rule.subcommand ?? []), ...(rule.action ?? []), ...(rule.args ?? []), ...(rule.argSets ?? []).flat()]);
  const start = words.findIndex((w) => w.dynamic || !named.has(w.text));
  return start < 0 ? [] : words.slice(start);
}

/**
 * The operands a rule's targets are read from: past the options and the values of `skip`'s, the
 * words the rule names, the first `skipOperands`, and `leading`'s operand.
 */
function namedOperands(rule: OperandReading, inv: Invocation): Word[] {
  const { skip, skipOperands = 0, leading, optionalValues } = rule.targets ?? {};
  const words = pastCommandWords(rule, operands(inv, skip, optionalValues)).slice(skipOperands);
  return leading ? pastLeading(inv, words, leading, optionalValues) : words;
}

/** `words` less the operand that is no file (`targets.leading`): chmod's mode, sed's script. */
function pastLeading(inv: Invocation, words: Word[], { unless = [], modeLike }: NonNullable<NonNullable<Rule["targets"]>["leading"]>, optionalValues = ""): Word[] {
  if (unless.some((option) => givenOrCutShort(inv.args, option, optionalValues))) return words;
  if (modeLike) {
    const end = inv.args.findIndex((w) => !w.dynamic && w.text === "--");
    const modes = (end < 0 ? inv.args : inv.args.slice(0, end)).filter((w) => !w.dynamic && patternOf(modeLike).test(w.text));
    if (modes.length > 0) return words.filter((w) => !modes.includes(w));
  }
  // A bare word may split into several, the owner or mode and a file, unless it holds no path (`$(whoami)`, `$USER`).
  const first = words[0];
  return first && (!first.bare || first.noPath) ? words.slice(1) : words;
}

/**
 * Whether `option` is given, as {@link hasFlag} reads it, or a long one cut short (`--ref=F`, as
 * getopt_long reads an abbreviation): counted even where it may abbreviate others, so that in doubt
 * every operand is read as a file. Letters after one of `optionalValues` are its value (`sed -ie`: no `-e`).
 */
function givenOrCutShort(args: readonly Word[], option: string, optionalValues: string): boolean {
  if (hasFlag(optionalValues ? args.map((w) => upToOptionalValue(w, optionalValues)) : args, option)) return true;
  if (!option.startsWith("--")) return false;
  for (const w of args) {
    if (w.dynamic) continue;
    if (w.text === "--") return false;
    const name = w.text.split("=")[0] ?? "";
    if (name.length > 2 && name.startsWith("--") && option.startsWith(name)) return true;
  }
  return false;
}

/** A group of short options up to the first of `letters`, whose value the rest of the word is (`-pie` as `-pi`). */
function upToOptionalValue(word: Word, letters: string): Word {
  if (word.dynamic || !/^-[^-]/.test(word.text)) return word;
  const at = [...word.text.slice(1)].findIndex((letter) => letters.includes(letter));
  return at < 0 ? word : { ...word, text: word.text.slice(0, at + 2) };
}

/**
 * What an upload sends (`targets.uploadTo`): the operands before the last one naming a remote place
 * (`aws s3 cp ~/.ssh/id_rsa s3://b/`), or starting with a value only known at run time, which may
 * name one. Cloud CLIs copy either way: a local path after the remote place is where a download
 * lands (`aws s3 cp s3://b/k ~/.ssh/`), and with no remote place the copy stays on the machine.
 */
function uploadSources(words: Word[], remote: RegExp): Word[] {
  const end = words.findLastIndex((w) => remote.test(w.text) || (w.dynamic && w.text.startsWith(RUN_TIME)));
  return words.slice(0, Math.max(end, 0));
}

/** For `targets.stdinDash`: whether `-` is among what the command sends, or, with `orNone`, it names nothing. */
function sendsStdin(rule: Rule, inv: Invocation): boolean {
  const { uploadTo, stdinDash } = rule.targets ?? {};
  const named = namedOperands(rule, inv);
  const sent = uploadTo ? uploadSources(named, patternOf(uploadTo)) : named;
  return sent.some((w) => !w.dynamic && w.text === "-") || (stdinDash === "orNone" && named.length === 0);
}

/** Compiled once per pattern: rules are static data, and this runs before every command. */
const PATTERNS = new Map<string, RegExp>();
function patternOf(source: string): RegExp {
  let re = PATTERNS.get(source);
  if (!re) {
    re = new RegExp(source);
    PATTERNS.set(source, re);
  }
  return re;
}

function baseName(text: string): string {
  return text.replace(/[\\/]+$/, "").split(/[\\/]/).pop() ?? text;
}
