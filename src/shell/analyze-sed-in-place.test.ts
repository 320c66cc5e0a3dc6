import { describe, expect, it } from "vitest";
import type { Risk } from "./types.js";
import { shellRater } from "../../test/helpers/shell-rated.js";

/**
 * The files `sed -i`, `gsed -i` (GNU sed, as Homebrew installs it on macOS) and `perl -pi` edit in
 * place are read once, as getopt reads their words: `-i[SUFFIX]` takes the rest of its word as the
 * backup suffix (`-ie`: the suffix `e`, no `-e`, so the script is the first operand), `-e`/`-f`
 * (perl's `-e`/`-E`) give the script and leave every operand a file, `-f FILE` reads FILE, and a
 * long option may be cut short (`--in-pl`). Each file written is judged as `> FILE` is, once. Each
 * row gives the risk and a reason the line must have; a file is named in one reason at most.
 */
const rated = shellRater();

const PASSWD = "overwrites /etc/passwd, which controls who may log in or use root";
const HOSTS = "overwrites the system file /etc/hosts";
const BASHRC = "overwrites /home/ada/.bashrc";

const SED_ROWS: [string, Risk, string?][] = [
  ["sed -ie 's/a/b/' /etc/passwd", "critical", PASSWD],
  ["sed -i -e s/a/b/ /etc/passwd", "critical", PASSWD],
  ["sed -ie s/a/b/ /etc/passwd", "critical", PASSWD],
  ["sed -ie s/a/b/ /etc/hosts", "critical", HOSTS],
  ["sed -i.bak s/a/b/ /etc/passwd", "critical", PASSWD],
  ["sed --in-place=.bak -e s/a/b/ /etc/passwd", "critical", PASSWD],
  ["sed --in-pl=.bak s/a/b/ /etc/hosts", "critical", HOSTS],
  ["sed -n -i s/a/b/ /etc/passwd", "critical", PASSWD],
  ["sed -ni s/a/b/ /etc/hosts", "critical", HOSTS],
  ["sed -E -i -e s/a/b/ -e s/c/d/ /etc/passwd", "critical", PASSWD],
  ["sed -f script.sed -i /etc/hosts", "critical", HOSTS],
  ["sed -s -i -e s/a/b/ /etc/passwd /etc/hosts", "critical", HOSTS],
  ["sed -ie '/etc/d' ~/.bashrc", "high", BASHRC],
  ["sed -i -l 5 s/a/b/ /etc/passwd", "critical", PASSWD],
  // -f's file is read, not written; the script is no file
  ["sed -i -f /etc/passwd notes.txt", "moderate", "edits files in place"],
  ["sed -i -nf /etc/hosts notes.txt", "moderate", "edits files in place"],
  ["sed -i '/etc/d' notes.txt", "moderate", "edits files in place"],
  // as now
  ["sed -i 's/a/b/' notes.txt", "moderate", "edits files in place"],
  ["sed -n '1,5p' /etc/passwd", "safe"],
  ["sed 's/a/b/' /etc/passwd > out.txt", "safe"],
  ["sed -e 's/i/j/' /etc/hosts", "safe"],
];

const PERL_ROWS: [string, Risk, string?][] = [
  ["perl -pi -e s/a/b/ /etc/passwd", "critical", PASSWD],
  ["perl -pie s/a/b/ /etc/hosts", "critical", HOSTS],
  ["perl -pi.bak -e s/a/b/ /etc/passwd", "critical", PASSWD],
  ["perl -i -pe s/a/b/ /etc/hosts", "critical", HOSTS],
  ["perl -pi script.pl /etc/hosts", "critical", HOSTS],
  ["perl -MStorable -i -pe 1 /etc/hosts", "critical", HOSTS],
  ["perl -pi -e s/a/b/ ~/.bashrc", "high", BASHRC],
  ["perl -i -e 1 -I /etc notes.txt", "moderate", "edits files in place"],
  ["perl -pi /etc/x.pl notes.txt", "moderate", "edits files in place"],
  ["perl -pi -e s/a/b/ notes.txt", "moderate", "edits files in place"],
  ["perl -ne print /etc/passwd", "safe"],
];

/** The files a row's line names, each of which one reason at most may name. */
function filesNamed(line: string): string[] {
  return ["/etc/passwd", "/etc/hosts", "/home/ada/.bashrc", "notes.txt"].filter((f) => line.replace("~/", "/home/ada/").includes(f));
}

describe("files sed, gsed and perl edit in place", () => {
  it.each<[string, Risk, string?]>([...SED_ROWS, ...PERL_ROWS])("%s is %s", (line, risk, detail) => {
    const result = rated(line);
    expect(result.risk, result.shown).toBe(risk);
    if (detail) expect(result.details, result.shown).toContain(detail);
    for (const file of filesNamed(line)) {
      expect(result.details.filter((d) => d.includes(file)).length, `${file}: ${result.shown}`).toBeLessThanOrEqual(1);
    }
  });

  it.each(SED_ROWS.map(([line]) => [line.replace(/^sed /, "gsed "), line]))("%s is rated exactly as %s", (gnu, line) => {
    const a = rated(gnu);
    const b = rated(line);
    expect({ risk: a.risk, details: a.details }, `${a.shown} vs ${b.shown}`).toEqual({ risk: b.risk, details: b.details });
  });

  it.each([
    ["sed -i -f /etc/passwd notes.txt", "/etc/passwd"],
    ["sed -i -nf /etc/hosts notes.txt", "/etc/hosts"],
    ["perl -i -e 1 -I /etc notes.txt", "/etc"],
    ["sed -ie '/etc/d' ~/.bashrc", "/etc/d"],
  ])("%s names no %s", (line, file) => {
    const result = rated(line);
    expect(result.details.filter((d) => d.includes(`${file} `) || d.endsWith(file)), result.shown).toEqual([]);
  });
});
