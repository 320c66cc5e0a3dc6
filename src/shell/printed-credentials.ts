import type { Word } from "./ir.js";
import { literalWord } from "./ir.js";
import { environmentSecret } from "./secret-names.js";

/**
 * Commands that print a credential (`gh auth token`, `gcloud auth print-access-token`, `pass show
 * NAME`): what they print reaches a network tool as a key file's contents do (`data-flow.ts`), and
 * rules judge it as the `secrets` path class (`match-rule.ts`).
 */
export interface PrintedCredential {
  /** The command as a finding names it: `gh auth token`. */
  command: string;
  /** What it prints: a token, a password, a secret, credentials. */
  what: string;
  /**
   * The hosts of the service the credential is for (`api.github.com` for gh's token): put in a
   * request's header or user there, it is used as it is meant to be. Undefined where that service
   * is not known from the line (a vault's, a cluster's).
   */
  service?: RegExp;
  /** How a finding names it, where not "the WHAT COMMAND prints": `$OPENAI_API_KEY (an API key from the environment)`. */
  subject?: string;
  /**
   * The environment variable it is (`secret-names.ts`): sent to this machine it stays as the request
   * is, and in the URL of a request to its own service (`?key=$GEMINI_API_KEY`) it is used as meant.
   */
  variable?: string;
}

/**
 * What a command that prints a credential printed, among the files whose contents reach a command
 * (`ContentsFed`): `from` is the argument whose substitution printed it (`-H "…$(gh auth token)"`).
 */
export interface PrintedWord extends Word {
  printed: PrintedCredential;
  from?: Word;
}

interface Printer {
  /** The program's names; one ending in `*` is a prefix (`docker-credential-*`). */
  names: readonly string[];
  /** Operands that follow each other (`auth token`), after any global options and their values. */
  words: readonly string[];
  /** One of these options must be given (`security … -w` prints the password, without it only the item). */
  flags?: readonly string[];
  what: string;
  service?: RegExp;
}

const GITHUB = /(^|\.)(github\.com|githubusercontent\.com|ghcr\.io)$/;
const GITLAB = /(^|\.)gitlab\.com$/;
const GOOGLE_APIS = /(^|\.)googleapis\.com$/;
/** An identity token is made to call Cloud Run services and Cloud Functions. */
const GOOGLE_INVOKE = /(^|\.)(googleapis\.com|run\.app|cloudfunctions\.net)$/;
/** Azure's management, Graph, Key Vault and Storage endpoints; not the names its customers' servers get (`*.cloudapp.azure.com`, `*.azurewebsites.net`). */
const AZURE = /^(management\.azure\.com|management\.core\.windows\.net|graph\.microsoft\.com|[a-z0-9-]+\.vault\.azure\.net|[a-z0-9-]+\.(blob|queue|table|file|dfs)\.core\.windows\.net)$/;
/** A registry of Amazon ECR, private or public: what `aws ecr get-login-password` logs in to. */
const ECR = /^([0-9]+\.dkr\.ecr\.[a-z0-9-]+\.amazonaws\.com(\.cn)?|public\.ecr\.aws)$/;
const HEROKU = /(^|\.)heroku\.com$/;
const DIGITALOCEAN = /(^|\.)digitalocean\.com$/;
const FLY = /^(api\.fly\.io|registry\.fly\.io|api\.machines\.dev)$/;

const PRINTERS: readonly Printer[] = [
  { names: ["gh"], words: ["auth", "token"], what: "token", service: GITHUB },
  { names: ["gh"], words: ["auth", "status"], flags: ["-t", "--show-token"], what: "token", service: GITHUB },
  { names: ["glab"], words: ["auth", "status"], flags: ["-t", "--show-token"], what: "token", service: GITLAB },
  { names: ["gcloud"], words: ["auth", "print-access-token"], what: "token", service: GOOGLE_APIS },
  { names: ["gcloud"], words: ["auth", "application-default", "print-access-token"], what: "token", service: GOOGLE_APIS },
  { names: ["gcloud"], words: ["auth", "print-identity-token"], what: "token", service: GOOGLE_INVOKE },
  { names: ["az"], words: ["account", "get-access-token"], what: "token", service: AZURE },
  { names: ["aws"], words: ["configure", "export-credentials"], what: "credentials" },
  { names: ["aws"], words: ["sts", "get-session-token"], what: "credentials" },
  { names: ["aws"], words: ["ecr", "get-login-password"], what: "password", service: ECR },
  { names: ["aws"], words: ["ecr-public", "get-login-password"], what: "password", service: ECR },
  { names: ["docker-credential-*"], words: ["get"], what: "credentials" },
  { names: ["git"], words: ["credential", "fill"], what: "credentials" },
  { names: ["kubectl"], words: ["config", "view"], flags: ["--raw", "--flatten"], what: "credentials" },
  { names: ["op"], words: ["read"], what: "secret" },
  { names: ["pass"], words: ["show"], what: "secret" },
  { names: ["secret-tool"], words: ["lookup"], what: "secret" },
  { names: ["security"], words: ["find-generic-password"], flags: ["-w"], what: "password" },
  { names: ["security"], words: ["find-internet-password"], flags: ["-w"], what: "password" },
  { names: ["vault"], words: ["kv", "get"], what: "secret" },
  { names: ["vault"], words: ["read"], what: "secret" },
  { names: ["heroku"], words: ["auth:token"], what: "token", service: HEROKU },
  { names: ["doctl"], words: ["auth", "token"], what: "token", service: DIGITALOCEAN },
  { names: ["flyctl", "fly"], words: ["auth", "token"], what: "token", service: FLY },
];

/** The names the printers are known by, exact and as prefixes (`az*`): most commands are none, told at once. */
const PRINTER_NAMES: ReadonlySet<string> = new Set(PRINTERS.flatMap((p) => p.names.filter((n) => !n.endsWith("*"))));
const PRINTER_PREFIXES: readonly string[] = [...new Set(PRINTERS.flatMap((p) => p.names.filter((n) => n.endsWith("*")).map((n) => n.slice(0, -1))))];

/**
 * What `name args…` prints when it prints a credential, as a word among the files whose contents
 * reach a command, or undefined. `args` are the command's own, past its wrappers; `powershell` reads
 * `printenv`'s names as PowerShell does (see {@link printedVariable}).
 */
export function printedCredential(name: string, args: readonly Word[], powershell = false): PrintedWord | undefined {
  if (name === "printenv") return printenvSecret(args, powershell);
  if (!PRINTER_NAMES.has(name) && !PRINTER_PREFIXES.some((p) => name.startsWith(p))) return undefined;
  if (args.some((w) => w.dynamic)) return undefined;
  const texts = args.map((w) => w.text);
  const ops = texts.filter((t) => !t.startsWith("-"));
  for (const p of PRINTERS) {
    if (!p.names.some((n) => (n.endsWith("*") ? name.startsWith(n.slice(0, -1)) : name === n))) continue;
    if (!ops.some((_, i) => p.words.every((w, j) => ops[i + j] === w))) continue;
    if (p.flags && !p.flags.some((f) => texts.some((t) => t === f || (f.startsWith("--") && t.startsWith(`${f}=`))))) continue;
    const printed: PrintedCredential = { command: [name, ...p.words].join(" "), what: p.what, ...(p.service ? { service: p.service } : {}) };
    return { ...literalWord(`(what ${printed.command} prints)`), printed };
  }
  return undefined;
}

/**
 * What a variable of the environment whose name marks it a secret (`secret-names.ts`) holds, as a
 * word among the files whose contents reach a command: what `printenv NAME` prints. `powershell`
 * reads the name as PowerShell does, in any case (compared in capitals), and names it `$env:NAME`.
 */
export function printedVariable(name: string, powershell = false): PrintedWord | undefined {
  const secret = powershell ? environmentSecret(name.toUpperCase(), true) : environmentSecret(name);
  return secret ? { ...literalWord(`(what ${secret.command} prints)`), printed: secret } : undefined;
}

/**
 * `printenv OPENAI_API_KEY`: the first variable named whose name marks it a secret. A word only known
 * at run time leaves what it prints unknown, as for the printers above; in PowerShell, whose `$env:NAME`
 * the evaluator holds as `printenv NAME` (`Word.held`), it is passed over.
 */
function printenvSecret(args: readonly Word[], powershell: boolean): PrintedWord | undefined {
  if (!powershell && args.some((w) => w.dynamic)) return undefined;
  return args.filter((w) => !w.dynamic && !w.text.startsWith("-")).map((w) => printedVariable(w.text, powershell)).find((p) => p !== undefined);
}

export function isPrinted(word: Word): word is PrintedWord {
  return "printed" in word;
}

/** The host a URL names (`https://user@host:443/x`, `host/x`), in lower case, or undefined where it names none wren can be sure of. */
export function urlHost(url: string): string | undefined {
  const rest = url.replace(/^[A-Za-z][A-Za-z0-9+.-]*:\/\//, "");
  const authority = rest.split(/[/?#\\]/)[0] ?? "";
  const host = authority.slice(authority.lastIndexOf("@") + 1).replace(/:[0-9]*$/, "").replace(/\.$/, "").toLowerCase();
  return /^[a-z0-9-]+(\.[a-z0-9-]+)*$/.test(host) ? host : undefined;
}
