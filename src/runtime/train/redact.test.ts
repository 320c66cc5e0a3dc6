import { describe, expect, it } from "vitest";
import { redactEnvFile, redactSecrets } from "./redact.js";

describe("secret redaction for training data", () => {
  it.each([
    ["private-key", "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END OPENSSH PRIVATE KEY-----", "b3BlbnNz"],
    ["anthropic-key", "key sk-ant-api03-AbCdEfGhIjKlMnOpQrStUvWx here", "AbCdEfGh"],
    ["github-token", "ghp_0123456789abcdefghijABCDEFGHIJ012345", "0123456789abcdef"],
    ["aws-access-key", "AKIAIOSFODNN7EXAMPLE", "IOSFODNN"],
    ["google-api-key", "AIzaSyA-1234567890abcdefghijklmnopqrstu", "1234567890abc"],
    ["huggingface-token", "hf_abcdefghijklmnopqrstuvwxyzABCDEF", "abcdefghijkl"],
    ["jwt", "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U", "dozjgNry"],
    ["bearer-token", "Authorization: Bearer abc123def456ghi789jkl", "abc123def"],
    ["secret", 'DB_PASSWORD="correct-horse-battery"', "correct-horse"],
    ["secret", "GITHUB_TOKEN=abcdef123456", "abcdef123"],
    ["url-credentials", "DATABASE_URL=postgres://admin:hunter2-prod@db.internal:5432/app", "hunter2-prod"],
    ["url-credentials", "remote: https://oauth2:glpat123secretvalue@gitlab.com/me/repo.git", "glpat123secretvalue"],
    ["stripe-key", "STRIPE=sk_live_51HxAbCdEfGhIjKlMnOpQrSt", "51HxAbCdEf"],
    ["gitlab-token", "glpat-AbCdEfGhIjKlMnOpQrSt", "AbCdEfGhIj"],
    ["npm-token", "//registry.npmjs.org/:_authToken=npm_AbCdEfGhIjKlMnOpQrStUvWxYz0123456789", "AbCdEfGhIjKl"],
  ])("%s", (kind, text, secret) => {
    const r = redactSecrets(text);
    expect(r.text).not.toContain(secret);
    expect(r.text).toContain(`[REDACTED:${kind}]`);
    expect(r.count).toBeGreaterThan(0);
  });

  it("leaves ordinary code and prose alone", () => {
    const text = "const token = getToken();\nThe password field is required.\nsk-short";
    expect(redactSecrets(text)).toEqual({ text, count: 0 });
  });

  it("takes every value of a .env file, whatever its name", () => {
    expect(redactEnvFile("PORT=8080\n# comment\nexport NAME=wren\n")).toEqual({ text: "PORT=[REDACTED:env]\n# comment\nexport NAME=[REDACTED:env]\n", count: 2 });
  });
});
