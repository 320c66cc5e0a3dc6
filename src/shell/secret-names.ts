import type { Script } from "./ir.js";
import { literalWord, single } from "./ir.js";
import type { PrintedCredential } from "./printed-credentials.js";

/**
 * Environment variables whose name marks them a secret (`OPENAI_API_KEY`, `GITHUB_TOKEN`,
 * `AWS_SECRET_ACCESS_KEY`, `DATABASE_URL`): a line that uses one it does not assign sends what the
 * environment holds, as `printenv NAME` prints it. The evaluator carries such a use as a held
 * `printenv NAME` (`Word.held`), which `printed-credentials.ts` reads as a command that prints a
 * credential, so that the same rules judge where it goes. Names are read as environment variables
 * are written, in capitals; the rules are data, checked in order: the first that matches decides.
 */
const NAME_RULES: readonly { name: RegExp; what: string | null }[] = [
  // Connection strings that hold their password.
  { name: /^([A-Z0-9]+_)?DATABASE_URL$/, what: "a database URL and its password" },
  // Names that end like a secret's but hold an ID, a public half, a place or a setting.
  { name: /_KEY_ID$|_PUBLIC_KEY$|^GOOGLE_APPLICATION_CREDENTIALS$/, what: null },
  { name: /(^|_)API_?KEY$/, what: "an API key" },
  { name: /(^|_)TOKEN$/, what: "a token" },
  { name: /(^|_)PRIVATE_KEY$/, what: "a private key" },
  { name: /(^|_)SECRET(_KEY|_ACCESS_KEY|_KEY_BASE)?$/, what: "a secret" },
  { name: /(^|_)ACCESS_KEY$/, what: "an access key" },
  { name: /(^|_)PASS(WORD|WD)$|^PGPASSWORD$|^MYSQL_PWD$/, what: "a password" },
  { name: /(^|_)CREDENTIALS$/, what: "credentials" },
];

/**
 * The service a secret is for, by its name's prefix: in a header (or the URL) of a request to these
 * hosts it is used as it is meant to be. A name whose service is not here has none. A variable with
 * the same prefix that names a base URL (`OPENAI_BASE_URL`, see {@link BASE_URL}), or one of `bases`
 * (the service's own CI variables), says where the user has the service: see {@link namesServiceBase}.
 */
const SERVICES: readonly { prefixes: readonly string[]; hosts: RegExp; bases?: readonly string[] }[] = [
  { prefixes: ["OPENAI_"], hosts: /(^|\.)openai\.com$/ },
  { prefixes: ["ANTHROPIC_"], hosts: /(^|\.)anthropic\.com$/ },
  { prefixes: ["GITHUB_", "GH_"], hosts: /(^|\.)(github\.com|githubusercontent\.com|ghcr\.io)$/ },
  // GitLab CI gives each job its instance's API and server URLs.
  { prefixes: ["GITLAB_"], hosts: /(^|\.)gitlab\.com$/, bases: ["CI_API_V4_URL", "CI_SERVER_URL"] },
  { prefixes: ["HF_", "HUGGING_FACE_", "HUGGINGFACE_"], hosts: /(^|\.)(huggingface\.co|hf\.co)$/ },
  { prefixes: ["NPM_"], hosts: /(^|\.)npmjs\.(org|com)$/ },
  { prefixes: ["GEMINI_"], hosts: /^generativelanguage\.googleapis\.com$/ },
  { prefixes: ["GOOGLE_"], hosts: /(^|\.)googleapis\.com$/ },
  { prefixes: ["OPENROUTER_"], hosts: /(^|\.)openrouter\.ai$/ },
  { prefixes: ["MISTRAL_"], hosts: /(^|\.)mistral\.ai$/ },
  { prefixes: ["GROQ_"], hosts: /(^|\.)groq\.com$/ },
  { prefixes: ["TOGETHER_"], hosts: /(^|\.)together\.(xyz|ai)$/ },
  { prefixes: ["DEEPSEEK_"], hosts: /(^|\.)deepseek\.com$/ },
  { prefixes: ["XAI_"], hosts: /(^|\.)x\.ai$/ },
  { prefixes: ["COHERE_"], hosts: /(^|\.)cohere\.(com|ai)$/ },
  { prefixes: ["FIREWORKS_"], hosts: /(^|\.)fireworks\.ai$/ },
  { prefixes: ["PERPLEXITY_"], hosts: /(^|\.)perplexity\.ai$/ },
  { prefixes: ["REPLICATE_"], hosts: /(^|\.)replicate\.com$/ },
  { prefixes: ["STRIPE_"], hosts: /(^|\.)stripe\.com$/ },
  { prefixes: ["CLOUDFLARE_", "CF_"], hosts: /(^|\.)cloudflare\.com$/ },
  { prefixes: ["SLACK_"], hosts: /(^|\.)slack\.com$/ },
  { prefixes: ["VERCEL_"], hosts: /(^|\.)vercel\.com$/ },
  { prefixes: ["DIGITALOCEAN_"], hosts: /(^|\.)digitalocean\.com$/ },
  { prefixes: ["HEROKU_"], hosts: /(^|\.)heroku\.com$/ },
  { prefixes: ["OLLAMA_"], hosts: /(^|\.)ollama\.com$/ },
];

/** What follows a service's prefix in the name of a variable that holds its base URL or host: `_BASE_URL`, `_API_BASE`, `_HOST`, `_ENDPOINT`, `_URL`. */
const BASE_URL = /^(API_)?(BASE_URL|BASE|URL|HOST|ENDPOINT|SERVER_URL|GRAPHQL_URL)$/;

/** Whether a variable may name some service's base URL (see {@link namesServiceBase}). */
export function mayNameServiceBase(name: string): boolean {
  return !environmentSecret(name) && SERVICES.some((s) => s.bases?.includes(name) === true || s.prefixes.some((p) => name.startsWith(p) && BASE_URL.test(name.slice(p.length))));
}

/**
 * Whether `base` names the base URL of the service the secret `key` is for (`OPENAI_BASE_URL` and
 * `OPENAI_API_KEY`, `GITHUB_API_URL` and `GITHUB_TOKEN`, `CI_API_V4_URL` and `GITLAB_TOKEN`): where the
 * environment, not the line, gives it its value, the user has set both, and a request there is one to
 * the key's own service.
 */
export function namesServiceBase(base: string, key: string): boolean {
  const service = SERVICES.find((s) => s.prefixes.some((p) => key.startsWith(p)));
  if (!service || environmentSecret(base)) return false;
  return service.bases?.includes(base) === true || service.prefixes.some((p) => base.startsWith(p) && BASE_URL.test(base.slice(p.length)));
}

/**
 * What a variable whose name marks it a secret holds, as a command that prints it would print it;
 * undefined for any other name. `powershell` names it as PowerShell writes it (`$env:NAME`).
 */
export function environmentSecret(name: string, powershell = false): PrintedCredential | undefined {
  const what = NAME_RULES.find((r) => r.name.test(name))?.what;
  if (!what) return undefined;
  const service = SERVICES.find((s) => s.prefixes.some((p) => name.startsWith(p)))?.hosts;
  return { command: `printenv ${name}`, what, subject: `${powershell ? "$env:" : "$"}${name} (${what} from the environment)`, variable: name, ...(service ? { service } : {}) };
}

/**
 * What a use of a secret's variable the line does not assign holds: what `printenv NAME` prints.
 * Undefined for a name that marks no secret.
 */
export function environmentRead(name: string): Script | undefined {
  if (!environmentSecret(name)) return undefined;
  return { units: [single({ kind: "cmd", argv: [literalWord("printenv"), literalWord(name)], redirects: [] })] };
}
