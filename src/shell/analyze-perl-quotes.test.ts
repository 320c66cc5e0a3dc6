import { beforeAll, describe, expect, it } from "vitest";
import { createShellAnalyzer, type ShellAnalyzer } from "./analyze.js";

/** Perl's quote operators (`q{…}`, `qq(…)`) are string literals as `'…'` and `"…"` are. */
let analyzer: ShellAnalyzer;
beforeAll(async () => {
  analyzer = await createShellAnalyzer();
});

describe("perl q{} and qq{} strings", () => {
  it.each([
    'perl -e "system(q{rm -rf /})"',
    "perl -e 'system(qq{rm -rf /})'",
    "perl -e 'system q(rm -rf /)'",
    "perl -e 'system(q[rm -rf /])'",
    "perl -e 'system(q!rm -rf /!)'",
    "perl -e 'exec qq{rm -rf /}'",
  ])("%s is read as rm -rf /: critical", (command) => {
    expect(analyzer.analyze(command, { shell: "bash", cwd: "/home/ada/code/app", home: "/home/ada" }).risk).toBe("critical");
  });

  it("perl -e 'system(q{ls -la})' runs ls: safe", () => {
    expect(analyzer.analyze("perl -e 'system(q{ls -la})'", { shell: "bash", cwd: "/home/ada/code/app", home: "/home/ada" }).risk).toBe("safe");
  });
});

describe("a perl quote joined with a variable", () => {
  it("perl -e 'system(q{rm -rf } . $ENV{D})' deletes a path only known at run time: high", () => {
    expect(analyzer.analyze("perl -e 'system(q{rm -rf } . $ENV{D})'", { shell: "bash", cwd: "/home/ada/code/app", home: "/home/ada" }).risk).toBe("high");
  });
});
