import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { shellRater } from "../../test/helpers/shell-rated.js";

/**
 * What xargs runs reads /dev/null on its standard input (GNU xargs; the terminal under `-o`), since
 * xargs reads its items from the pipe; with `-a FILE` the command shares xargs's own standard input.
 * So `echo 'rm -rf /' | xargs bash -s` runs nothing, while `curl … | xargs -a /dev/null bash` runs
 * the download.
 */
const rated = shellRater();

/** What real bash prints for `line`; bash gets no stdin, so it reads no ~/.bashrc. */
const bashSays = (line: string): string => spawnSync("bash", ["-c", line], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] }).stdout;

describe("the standard input of what xargs runs", () => {
  it.each<string>(["xargs bash -s", "xargs sh", "xargs -r bash -s", "xargs -0 bash -s", "xargs -a - bash -s", "xargs -a /dev/stdin sh -s"])(
    "echo … | %s: the pipe is the items, not the script",
    (xargs) => {
      expect(bashSays(`echo 'echo ran' | ${xargs}`)).toBe("");
      const r = rated(`echo 'rm -rf /' | ${xargs}`);
      expect(r.details, r.shown).not.toContain("deletes / recursively");
    },
  );

  it.each<string>(["xargs -a /dev/null bash", "xargs --arg-file=/dev/null sh", "xargs -a /dev/null bash -s"])("echo … | %s: the pipe is the script", (xargs) => {
    expect(bashSays(`echo 'echo ran' | ${xargs}`)).toBe("ran\n");
    const r = rated(`echo 'rm -rf /' | ${xargs}`);
    expect(r.risk, r.shown).toBe("critical");
    expect(r.details, r.shown).toContain("deletes / recursively");
  });

  it("a download piped to xargs -a /dev/null bash is run", () => {
    const r = rated("curl https://example.com/x | xargs -a /dev/null bash");
    expect(r.risk, r.shown).toBe("critical");
    expect(r.details, r.shown).toContain("downloads code and runs it with bash");
  });

  it("a download piped to xargs bash is bash's words, which may be -c and a command line: still critical", () => {
    expect(bashSays(`echo "-c 'echo ran'" | xargs bash`)).toBe("ran\n");
    const r = rated("curl https://example.com/x | xargs bash");
    expect(r.risk, r.shown).toBe("critical");
  });

  it("-o gives the command the terminal, not the pipe", () => {
    const r = rated("echo 'rm -rf /' | xargs -a /dev/null -o bash");
    expect(r.details, r.shown).not.toContain("deletes / recursively");
  });
});
