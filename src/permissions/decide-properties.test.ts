import path from "node:path";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCommandAnalyzer, type CommandAnalyzer } from "./command-parts.js";
import { decide } from "./decide.js";
import type { PermissionDecision, PermissionMode, PermissionRequest, PermissionRule } from "./types.js";

const root = path.resolve("/work/proj");
const home = path.resolve("/home/u");

const COMMANDS = [
  "npm test", "git status", "ls -la", "rm -rf build", "echo hi > out.txt", "cat a.txt", "grep -r x src",
  "git push --force origin main", "curl -fsSL https://x.sh/i", "sh", "rm -rf ~", "echo $(whoami)", "sudo npm test",
  "echo x > /tmp/y", "npm run $S", "cd /etc", "echo (", "chmod -R 777 /", "git reset --hard", "env A=1 rm notes.txt",
];
const SEPARATORS = [" && ", " ; ", " | ", " || "];
const PATTERNS = [
  "Bash", "Bash(npm test)", "Bash(git *)", "Bash(rm *)", "Bash(echo *)", "Bash(ls:*)", "Bash(sh)", "Bash(curl *)",
  "Bash(git push --force origin main)", "Bash(cat *)", "Bash(whoami)", "Edit", "Edit(src/**)", "Read(**/.env)",
  "Read", "Read(~/notes/**)", "WebFetch(domain:docs.rs)", "WebFetch", "Write(docs/**)", "mcp__fs", "mcp__gh__issue",
];
const PATHS = ["src/a.ts", ".env", "docs/x.md", "../outside.txt", "/etc/hosts", "~/notes/a.md", "~/.ssh/id_ed25519", ".wren/settings.toml"];

const command = fc.array(fc.constantFrom(...COMMANDS), { minLength: 1, maxLength: 3 }).chain((parts) =>
  fc.array(fc.constantFrom(...SEPARATORS), { minLength: parts.length - 1, maxLength: parts.length - 1 }).map((seps) => parts.map((p, i) => (i === 0 ? p : `${seps[i - 1] ?? " ; "}${p}`)).join("")),
);
const place = (p: string): string => (p.startsWith("~/") ? path.join(home, p.slice(2)) : path.resolve(root, p));
const request: fc.Arbitrary<PermissionRequest> = fc.oneof(
  command.map((c) => ({ tool: "Bash", effect: "execute" as const, command: c })),
  fc.tuple(fc.constantFrom("Read", "Grep", "Glob"), fc.constantFrom(...PATHS)).map(([tool, p]) => ({ tool, effect: "read" as const, paths: [place(p)] })),
  fc.tuple(fc.constantFrom("Edit", "Write"), fc.constantFrom(...PATHS)).map(([tool, p]) => ({ tool, effect: "write" as const, paths: [place(p)] })),
  fc.constantFrom("https://docs.rs/x", "https://api.docs.rs/y", "https://example.com/").map((url) => ({ tool: "WebFetch", effect: "network" as const, url })),
  fc.tuple(fc.constantFrom("mcp__fs__write", "mcp__gh__issue"), fc.constantFrom("read" as const, "write" as const, "interact" as const), fc.option(fc.constantFrom(...PATHS), { nil: undefined })).map(
    ([tool, effect, p]): PermissionRequest => ({ tool, effect, ...(p ? { paths: [place(p)] } : {}) }),
  ),
);
const rule: fc.Arbitrary<PermissionRule> = fc.record({
  action: fc.constantFrom("allow" as const, "ask" as const, "deny" as const),
  pattern: fc.constantFrom(...PATTERNS),
  scope: fc.constantFrom("project" as const, "user" as const, "session" as const),
});
const mode = fc.constantFrom<PermissionMode>("default", "accept-edits", "plan", "bypass");

/** Fixed seed: the same cases on every run, so a failure reproduces. */
const RUNS = { seed: 20261130, numRuns: 300 };
const rank = { allow: 0, ask: 1, deny: 2 } as const;

describe("decide: properties over generated calls, rules and modes", () => {
  let commands: CommandAnalyzer;
  let judge: (r: PermissionRequest, rules: PermissionRule[], m: PermissionMode, interactive?: boolean) => PermissionDecision;
  beforeAll(async () => {
    commands = await createCommandAnalyzer();
    judge = (r, rules, m, interactive = true) => decide(r, { rules, mode: m, projectRoot: root, home, interactive, commands });
  });
  afterAll(() => commands.dispose());

  it("never allows a critical command, and asks for it only with a typed yes", () => {
    let checked = 0;
    fc.assert(
      fc.property(command, fc.array(rule, { maxLength: 6 }), mode, (c, rules, m) => {
        const r: PermissionRequest = { tool: "Bash", effect: "execute", command: c };
        if (commands.breakdown(c, { cwd: root, home }).risk !== "critical") return;
        checked++;
        const d = judge(r, rules, m);
        expect(d.action).not.toBe("allow");
        if (d.action === "ask") expect(d.confirm).toBe("typed-yes");
      }),
      RUNS,
    );
    // The generator must reach the property, or it proves nothing.
    expect(checked).toBeGreaterThan(30);
  });

  it("never asks when no one can be asked", () => {
    fc.assert(
      fc.property(request, fc.array(rule, { maxLength: 6 }), mode, (r, rules, m) => {
        expect(judge(r, rules, m, false).action).not.toBe("ask");
      }),
      RUNS,
    );
  });

  it("a deny rule never makes a call more permitted", () => {
    fc.assert(
      fc.property(request, fc.array(rule, { maxLength: 6 }), fc.constantFrom(...PATTERNS), mode, (r, rules, denied, m) => {
        const before = judge(r, rules, m);
        const after = judge(r, [...rules, { action: "deny", pattern: denied, scope: "user" }], m);
        expect(rank[after.action]).toBeGreaterThanOrEqual(rank[before.action]);
      }),
      RUNS,
    );
  });

  it("a file written outside the project, by redirection or by argument, always asks outside bypass mode", () => {
    const outside = ["../outside.txt", "/tmp/x", "~/notes/a.md"];
    const writers = [(p: string) => `echo x > ${p}`, (p: string) => `cp a ${p}`, (p: string) => `mv a ${p}`, (p: string) => `echo x | tee ${p}`, (p: string) => `sed -i s/a/b/ ${p}`, (p: string) => `touch ${p}`, (p: string) => `rm ${p}`];
    fc.assert(
      fc.property(fc.constantFrom(...writers), fc.constantFrom(...outside), fc.array(rule, { maxLength: 3 }), mode.filter((m) => m !== "bypass"), (writer, p, rules, m) => {
        const line = writer(p);
        const exact: PermissionRule = { action: "allow", pattern: `Bash(${line.split(" | ").pop() ?? line})`, scope: "project" };
        expect(judge({ tool: "Bash", effect: "execute", command: line }, [...rules, exact, { action: "allow", pattern: "Bash", scope: "project" }], m).action).not.toBe("allow");
      }),
      RUNS,
    );
  });

  it("the suggested rules allow the call that asked", () => {
    let checked = 0;
    fc.assert(
      fc.property(request, fc.array(rule, { maxLength: 4 }), fc.constantFrom<PermissionMode>("default", "accept-edits"), (r, rules, m) => {
        const asked = judge(r, rules, m);
        if (asked.action !== "ask" || (asked.suggestions ?? []).length === 0) return;
        checked++;
        const remembered = (asked.suggestions ?? []).map((pattern): PermissionRule => ({ action: "allow", pattern, scope: "session" }));
        expect(judge(r, [...rules, ...remembered], m).action).toBe("allow");
      }),
      RUNS,
    );
    expect(checked).toBeGreaterThan(30);
  });

  it("plan mode never lets a write or a command run", () => {
    fc.assert(
      fc.property(request, fc.array(rule, { maxLength: 6 }), (r, rules) => {
        if (r.effect === "write" || r.effect === "execute") expect(judge(r, rules, "plan").action).toBe("deny");
      }),
      RUNS,
    );
  });
});
