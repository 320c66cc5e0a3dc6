import { beforeAll, describe, expect, it } from "vitest";
import { createShellAnalyzer, type ShellAnalyzer } from "./analyze.js";
import type { Risk } from "./types.js";

/** What mv and cp do to each operand is said as it is: a source is taken away, a destination replaced. */
const cwd = "/home/ada/code/app";
const home = "/home/ada";

let analyzer: ShellAnalyzer;
beforeAll(async () => {
  analyzer = await createShellAnalyzer();
});

function said(command: string): { risk: Risk; details: string[] } {
  const result = analyzer.analyze(command, { shell: "bash", cwd, home });
  return { risk: result.risk, details: result.reasons.map((r) => r.detail) };
}

describe("mv and cp destinations", () => {
  it.each<[string, Risk, RegExp]>([
    ["mv x /etc/hosts", "critical", /moves files onto \/etc\/hosts, replacing it or what it holds/],
    ["mv x /dev/null", "high", /moves files onto \/dev\/null/],
    ["mv -t /etc x", "critical", /moves files onto \/etc, replacing it or what it holds/],
    ["mv --target-directory=/etc x", "critical", /moves files onto \/etc/],
    ["cp x /etc/hosts", "critical", /overwrites the system file \/etc\/hosts/],
    ["mv x ~/.ssh/authorized_keys", "high", /replaces \/home\/ada\/\.ssh\/authorized_keys, or files in it/],
  ])("%s says its destination is replaced, not moved away", (command, risk, wording) => {
    const { risk: got, details } = said(command);
    expect(got).toBe(risk);
    expect(details.join("; ")).toMatch(wording);
    expect(details.join("; ")).not.toMatch(/away/);
  });

  it.each<[string, Risk, RegExp]>([
    ["mv /etc/hosts x", "critical", /moves \/etc\/hosts away/],
    ["mv ~/.ssh/id_ed25519 x", "high", /moves \/home\/ada\/\.ssh\/id_ed25519 away/],
    ["mv -t build /etc/hosts", "critical", /moves \/etc\/hosts away/],
    ["mv / /dev/null", "critical", /moves \/ away/],
  ])("%s says its source is moved away", (command, risk, wording) => {
    const { risk: got, details } = said(command);
    expect(got).toBe(risk);
    expect(details.join("; ")).toMatch(wording);
  });

  it("cp -t names the device it writes over, not its last operand", () => {
    expect(said("cp -t /dev/sda x").details.join("; ")).toMatch(/writes over the device \/dev\/sda/);
  });
});
