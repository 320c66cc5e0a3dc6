import { describe, expect, it } from "vitest";
import type { Word } from "../shell/ir.js";
import { argumentReads } from "./command-reads.js";

/**
 * Which options of rg, ag and ack take a value decides which word is the pattern and which are the
 * paths searched. The lists below come from each tool's own --help (ripgrep 13 and 14, ag 2.2,
 * ack 3.6), and were checked by running the tools: a value option followed by `5 foo d` searches
 * `d` for `foo`, a flag followed by it searches `foo` and `d` for `5`.
 */
const words = (...texts: string[]): Word[] => texts.map((text) => ({ text, dynamic: false, glob: false, subs: [] }));
/** What a search reads whole (rg, ag and ack search folders whole), as written. */
const searched = (line: string): string[] => {
  const reads = argumentReads(words(...line.split(" ")), false);
  return [...reads.files, ...reads.folders].map((w) => (w.dynamic ? "…" : w.text));
};

const RG_VALUES = [
  "-A", "-B", "-C", "-E", "-M", "-m", "-d", "-g", "-j", "-r", "-t", "-T",
  "--after-context", "--before-context", "--context", "--encoding", "--max-columns", "--max-count", "--max-depth", "--maxdepth",
  "--glob", "--iglob", "--threads", "--replace", "--type", "--type-not", "--type-add", "--type-clear", "--color", "--colors",
  "--context-separator", "--field-context-separator", "--field-match-separator", "--path-separator", "--engine", "--sort", "--sortr",
  "--pre", "--pre-glob", "--ignore-file", "--dfa-size-limit", "--regex-size-limit", "--max-filesize", "--max-bytes",
  "--hostname-bin", "--hyperlink-format", "--generate",
];
const RG_FLAGS = ["-i", "-s", "-S", "-F", "-L", "-U", "-P", "-p", "-u", "-uu", "-w", "-x", "-z", "-a", "-n", "-N", "-l", "-c", "-o", "-v", "-.", "--hidden", "--no-ignore", "--json", "--trim", "--max-columns-preview", "--multiline-dotall", "--sort-files", "--no-messages", "--pcre2", "--crlf", "--null-data", "--one-file-system"];
const AG_VALUES = ["-A", "-B", "-C", "-G", "-m", "-p", "-W", "--ackmate-dir-filter", "--color-line-number", "--color-match", "--color-path", "--depth", "--file-search-regex", "--ignore", "--ignore-dir", "--max-count", "--pager", "--path-to-ignore", "--width", "--workers"];
const AG_FLAGS = ["-a", "-c", "-D", "-f", "-F", "-H", "-i", "-l", "-L", "-o", "-Q", "-s", "-S", "-t", "-u", "-U", "-v", "-w", "-z", "-0", "--after", "--before", "--context", "--hidden", "--literal", "--nocolor", "--stats", "--vimgrep", "--one-device", "--search-binary"];
const ACK_VALUES = ["-A", "-B", "-m", "-t", "-T", "--after-context", "--before-context", "--max-count", "--type", "--ignore-dir", "--ignore-directory", "--noignore-dir", "--ignore-file", "--output", "--pager", "--type-set", "--type-add", "--type-del", "--range-start", "--range-end", "--color-filename", "--color-match", "--color-colno", "--color-lineno", "--ackrc"];
const ACK_FLAGS = ["-i", "-S", "-I", "-v", "-w", "-Q", "-o", "-1", "-H", "-h", "-l", "-L", "-c", "-s", "-r", "-R", "-n", "-k", "-P", "--passthru", "--print0", "--column", "--follow", "--nocolor", "--sort-files", "--noenv"];

describe("which options of rg, ag and ack take a value", () => {
  for (const [tool, values, flags] of [["rg", RG_VALUES, RG_FLAGS], ["ag", AG_VALUES, AG_FLAGS], ["ack", ACK_VALUES, ACK_FLAGS]] as const) {
    it.each(values)(`${tool} %s takes the next word as its value`, (option) => {
      expect(searched(`${tool} ${option} 5 KEY .env`)).toEqual([".env"]);
    });
    it.each(flags)(`${tool} %s takes no value`, (option) => {
      expect(searched(`${tool} ${option} KEY .env`)).toEqual([".env"]);
    });
    it(`${tool}: a value given with = or joined to a short option is not the next word`, () => {
      expect(searched(`${tool} ${values.find((v) => v.startsWith("--")) ?? ""}=5 KEY .env`)).toEqual([".env"]);
      expect(searched(`${tool} -m5 KEY .env`)).toEqual([".env"]);
    });
  }

  it("ack's -C, --context, -p and --proximate take a number only when one follows", () => {
    for (const option of ["-C", "--context", "-p", "--proximate"]) {
      expect(searched(`ack ${option} 3 KEY .env`), option).toEqual([".env"]);
      expect(searched(`ack ${option} KEY .env`), option).toEqual([".env"]);
    }
  });

  it("options that leave no pattern make every operand a path searched", () => {
    expect(searched("rg --files .env src")).toEqual([".env", "src"]);
    expect(searched("ag -g conf .env")).toEqual([".env"]);
    expect(searched("ag --filename-pattern conf .env")).toEqual([".env"]);
    expect(searched("ack -f .env")).toEqual([".env"]);
    expect(searched("ack -g conf .env")).toEqual([".env"]);
    expect(searched("ack --match KEY .env")).toEqual([".env"]);
    expect(searched("rg -e KEY .env")).toEqual([".env"]);
  });

  it("a file of patterns is read, and ack reading the files to search from a list may read any file", () => {
    expect(searched("rg -f .env src")).toEqual([".env", "src"]);
    expect(searched("grep -f .env notes.txt")).toEqual([".env", "notes.txt"]);
    expect(searched("ack --files-from list.txt KEY")).toEqual(expect.arrayContaining(["list.txt", "…"]));
    expect(searched("ack -x KEY")).toContain("…");
  });
});
