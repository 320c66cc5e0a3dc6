/**
 * Secrets kept out of training data. No npm library offers a maintained pattern table usable as
 * plain data (the well-known scanners, gitleaks and trufflehog, are Go programs), so this is a
 * small table of the formats wren's users paste most, after gitleaks' rules. Each match becomes
 * `[REDACTED:<kind>]`.
 */
const PATTERNS: ReadonlyArray<readonly [kind: string, pattern: RegExp]> = [
  ["private-key", /-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----[\s\S]*?(?:-----END [A-Z0-9 ]*PRIVATE KEY-----|$)/g],
  ["anthropic-key", /\bsk-ant-[A-Za-z0-9_-]{20,}/g],
  ["openai-key", /\bsk-(?:proj-|svcacct-)?[A-Za-z0-9_-]{20,}/g],
  ["stripe-key", /\b(?:sk|rk)_(?:live|test)_[A-Za-z0-9]{16,}/g],
  ["gitlab-token", /\bglpat-[A-Za-z0-9_-]{20,}/g],
  ["npm-token", /\bnpm_[A-Za-z0-9]{36}\b/g],
  ["github-token", /\b(?:gh[pousr]_[A-Za-z0-9]{30,}|github_pat_[A-Za-z0-9_]{40,})/g],
  ["aws-access-key", /\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/g],
  ["google-api-key", /\bAIza[0-9A-Za-z_-]{35}\b/g],
  ["slack-token", /\bxox[abposr]-[A-Za-z0-9-]{10,}/g],
  ["huggingface-token", /\bhf_[A-Za-z0-9]{30,}/g],
  ["jwt", /\beyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}/g],
  ["bearer-token", /\b(Bearer\s+)[A-Za-z0-9._~+/-]{16,}=*/g],
  // The password of `scheme://user:password@host` (database URLs, git remotes with a token).
  ["url-credentials", /\b([a-z][a-z0-9+.-]*:\/\/[^\s:/@]+:)[^\s/@]+(?=@)/gi],
];

/** `name = "value"` / `name: 'value'` where the name says it is secret: the quoted value goes. */
const QUOTED_SECRET = /\b([A-Za-z0-9_.-]*(?:api[_-]?key|secret|token|passw(?:or)?d|credential|private[_-]?key)[A-Za-z0-9_.-]*["']?\s*[:=]\s*)(["'])([^"'\n]{6,})\2/gi;
/** `NAME=value` in the upper-case style of environment variables (code such as `token = getToken()` stays). */
const ENV_SECRET = /\b([A-Z0-9_]*(?:API_?KEY|SECRET|TOKEN|PASSW(?:OR)?D|CREDENTIAL|PRIVATE_?KEY)[A-Z0-9_]*\s*[:=]\s*)([^\s"'`,;]{6,})/g;

/** Replaces every secret the table recognises. */
export function redactSecrets(text: string): { text: string; count: number } {
  let count = 0;
  let out = text;
  for (const [kind, pattern] of PATTERNS) {
    out = out.replace(pattern, (...match: string[]) => {
      count++;
      // The bearer and URL patterns keep what comes before the secret (group 1).
      return kind === "bearer-token" || kind === "url-credentials" ? `${match[1] ?? ""}[REDACTED:${kind}]` : `[REDACTED:${kind}]`;
    });
  }
  out = out.replace(QUOTED_SECRET, (whole: string, head: string, quote: string, value: string) => {
    if (value.startsWith("[REDACTED")) return whole;
    count++;
    return `${head}${quote}[REDACTED:secret]${quote}`;
  });
  out = out.replace(ENV_SECRET, (whole: string, head: string, value: string) => {
    if (value.startsWith("[REDACTED")) return whole;
    count++;
    return `${head}[REDACTED:secret]`;
  });
  return { text: out, count };
}

/** Every value of a `.env` file (`NAME=value` lines), whatever its name. */
export function redactEnvFile(text: string): { text: string; count: number } {
  let count = 0;
  const out = text.replace(/^(\s*(?:export\s+)?[A-Za-z_][A-Za-z0-9_]*\s*=\s*)(.+)$/gm, (_whole: string, head: string) => {
    count++;
    return `${head}[REDACTED:env]`;
  });
  return { text: out, count };
}
