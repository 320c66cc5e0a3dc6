import type { Word } from "./ir.js";
import { globMayName } from "./paths.js";

/**
 * A project's environment files, which hold its API keys and passwords wherever they are (the
 * `secrets` path class): `.env`, `.env.local`, `.env.production` (any `.env.NAME`), and
 * `NAME.env` as Docker Compose's `env_file` names them (`prod.env`).
 */
const ENV_FILE = /^(\.env(\..+)?|[^/]+\.env)$/;
/** Their templates, which are committed and hold no keys: `.env.example`, `.env.sample`, `.env.template`, `.env.dist`, `example.env`. */
const TEMPLATE = /(^|\.)(example|sample|template|dist)(\.|$)/i;

/** Whether a word names an environment file (a glob that may name `.env`, as `.env*` does, too). */
export function namesSecretsFile(word: Word): boolean {
  if (word.dynamic) return false;
  const base = word.text.replace(/[\\/]+$/, "").split(/[\\/]/).pop() ?? "";
  if (TEMPLATE.test(base)) return false;
  return word.glob ? globMayName(base, ".env") : ENV_FILE.test(base);
}
