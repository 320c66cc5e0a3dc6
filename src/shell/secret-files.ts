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

/**
 * The folder part of a finder's stand-in for the files it picks by a pattern on their names
 * (`find / -name '*.key'` hands on `/…/*.key`; `credential-files.ts`): some folders, unknown, under its start.
 */
export const FOUND = "…";

/** Names of private keys and credential files, and names a pattern that picks only those does not match. */
const KEY_FILES = ["id_rsa", "id_ecdsa", "id_ed25519", "id_dsa", "server.key", "server.pem", "cert.p12", "cert.pfx", "key.ppk", "credentials", ".env", ".env.local"];
const ORDINARY_FILES = ["notes.txt", "index.js", "README.md", "data.json", "app.log", "main.go"];

/**
 * Whether a pattern on file names (`find -name`, in any case) picks key files or environment files
 * and nothing else: `*.key`, `*.pem`, `id_*`, `id_rsa`, `credentials`, `.env*`; not `*` or `*.log`.
 */
export function selectsKeyFiles(pattern: string): boolean {
  const glob = pattern.toLowerCase();
  const picks = (name: string): boolean => globMayName(glob, name.toLowerCase());
  return !TEMPLATE.test(pattern) && KEY_FILES.some(picks) && !ORDINARY_FILES.some(picks);
}

/** Whether a word names an environment file (a glob that may name `.env`, as `.env*` does, too), or is a finder's stand-in for key files. */
export function namesSecretsFile(word: Word): boolean {
  if (word.dynamic) return false;
  const parts = word.text.replace(/[\\/]+$/, "").split(/[\\/]/);
  const base = parts.pop() ?? "";
  if (TEMPLATE.test(base)) return false;
  if (parts.at(-1) === FOUND) return selectsKeyFiles(base);
  return word.glob ? globMayName(base, ".env") : ENV_FILE.test(base);
}
