import { describe, expect, it } from "vitest";
import { WrenError } from "../shared/errors.js";
import { compileCommandPattern, literalCommandPattern } from "./command-pattern.js";
import { deniedBy } from "./denied-path.js";
import { compareSpecificity, parseRulePattern } from "./rule-syntax.js";

describe("parseRulePattern", () => {
  it.each([
    ["Read", "tool", "any"],
    ["Bash(npm test)", "tool", "command"],
    ["Bash(*)", "tool", "any"],
    ["Edit(src/**)", "tool", "path"],
    ["Read(~/notes/*.md)", "tool", "path"],
    ["WebFetch(domain:docs.rs)", "tool", "domain"],
    ["mcp__github", "mcp-server", "any"],
    ["mcp__github__*", "mcp-server", "any"],
    ["mcp__github__create_issue", "tool", "any"],
  ])("%s", (pattern, tool, specifier) => {
    const parsed = parseRulePattern(pattern);
    expect(parsed.tool.kind).toBe(tool);
    expect(parsed.specifier.kind).toBe(specifier);
  });

  it.each([
    ["Bash(", /must end with \)/],
    ["Bash()", /parentheses are empty/],
    ["Ba sh", /not a tool name/],
    ["", /not a tool name/],
    ["WebFetch(docs.rs)", /WebFetch rules name a domain/],
    ["WebFetch(domain:*)", /not a host name/],
    ["mcp__", /names a server/],
    ["mcp__github__x(foo)", /MCP rules take no specifier/],
    ['Bash(echo "unclosed)', /quote " is not closed/],
    ["bash(npm test)", /case-sensitive: write Bash/],
    ["webfetch(domain:docs.rs)", /case-sensitive: write WebFetch/],
  ])("refuses %j with a clear bad_request", (pattern, why) => {
    let caught: unknown;
    try {
      parseRulePattern(pattern);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(WrenError);
    const error = caught as WrenError;
    expect(error.code).toBe("bad_request");
    expect(error.message).toMatch(why);
    expect(error.message).toContain(`"${pattern}"`);
    expect(error.hint).toMatch(/Bash\(npm test\)/);
  });

  it("ranks specific rules above general ones", () => {
    const order = ["Bash", "Bash(git *)", "Bash(git push *)", "Bash(git push origin main)"].map((p) => parseRulePattern(p));
    for (let i = 1; i < order.length; i++) expect(compareSpecificity(order[i]!, order[i - 1]!)).toBeGreaterThan(0);
    expect(compareSpecificity(parseRulePattern("mcp__a__b"), parseRulePattern("mcp__a"))).toBeGreaterThan(0);
    expect(compareSpecificity(parseRulePattern("WebFetch(domain:a.b)"), parseRulePattern("WebFetch(domain:*.a.b)"))).toBeGreaterThan(0);
  });
});

describe("command patterns", () => {
  it.each([
    ["npm test", "npm test", true],
    ["npm test", "npm test --watch", false],
    ["npm test *", "npm test", true],
    ["npm test:*", "npm test --watch", true],
    ["npm run test:*", "npm run test:unit", false],
    ["npm run test:*", "npm run test", true],
    ["git * --dry-run", "git push --dry-run", true],
    ["git * --dry-run", "git push", false],
    ["* --version", "node --version", true],
    ["ls \\*", "ls *", true],
    ["ls \\*", "ls a", false],
    ["echo 'a b'", "echo a b", true],
    ["git *", "git \u0000", true],
    ["git status", "git \u0000", false],
  ])("%j against %j → %s", (pattern, text, matches) => {
    expect(compileCommandPattern(pattern).test(text)).toBe(matches);
  });

  it("does not backtrack without end on many stars", () => {
    const pattern = compileCommandPattern("a* * * * * * * * * * * * b");
    expect(pattern.test("a ".repeat(5000))).toBe(false);
    expect(pattern.test(`${"a ".repeat(20)}b`)).toBe(true);
  });

  it.each(["npm test", "ls *.ts", "echo 'quoted' \"x\"", "printf a\\tb", "git commit -m wip\nmore"])("a suggested pattern for %j matches exactly that command", (text) => {
    const compiled = compileCommandPattern(literalCommandPattern(text));
    expect(compiled.exact).toBe(true);
    expect(compiled.test(text)).toBe(true);
    expect(compiled.test(`${text} x`)).toBe(false);
  });
});

describe("deniedBy", () => {
  const options = {
    projectRoot: "/p",
    home: "/h",
    rules: [
      { action: "deny" as const, pattern: "Read(**/.env)", scope: "project" as const },
      { action: "allow" as const, pattern: "Read(src/**)", scope: "project" as const },
      { action: "deny" as const, pattern: "Grep(~/.ssh)", scope: "user" as const },
    ],
  };
  it("names the deny rule that keeps a search away from a file", () => {
    expect(deniedBy("Grep", "/p/src/.env", options)?.pattern).toBe("Read(**/.env)");
    expect(deniedBy("Glob", "/p/.env", options)?.pattern).toBe("Read(**/.env)");
    expect(deniedBy("Grep", "/h/.ssh/id_ed25519", options)?.pattern).toBe("Grep(~/.ssh)");
    expect(deniedBy("Glob", "/h/.ssh/id_ed25519", options)).toBeUndefined();
    expect(deniedBy("Grep", "/p/src/a.ts", options)).toBeUndefined();
  });
});
