import { describe, expect, it } from "vitest";
import { shellRater } from "../../test/helpers/shell-rated.js";

/**
 * Ruby writes files with `File.write`, `File.binwrite`, `IO.write` and `File.open(path, mode)` when the
 * mode (second argument or `mode:`) has `w`, `a` or `+`. A literal, home or joined path is that path; any
 * other path is a file named at run time, as Python's `open(p, 'w')` is. Reading a file has no finding.
 */
const rate = shellRater();

describe("Ruby's file writes", () => {
  it.each([
    [`ruby -e 'File.write("/etc/hosts", "x")'`, "overwrites the system file /etc/hosts"],
    [`ruby -e 'File.binwrite("/etc/hosts", "x")'`, "overwrites the system file /etc/hosts"],
    [`ruby -e 'IO.write("/etc/hosts", data)'`, "overwrites the system file /etc/hosts"],
    [`ruby -e 'File.write "/etc/hosts", "x"'`, "overwrites the system file /etc/hosts"],
    [`ruby -e 'File.open("/etc/hosts", "w") { |f| f.puts 1 }'`, "overwrites the system file /etc/hosts"],
    [`ruby -e 'File.open("/etc/hosts", "a")'`, "overwrites the system file /etc/hosts"],
    [`ruby -e 'File.open("/etc/hosts", "w+")'`, "overwrites the system file /etc/hosts"],
    [`ruby -e 'File.open("/etc/hosts", "r+")'`, "overwrites the system file /etc/hosts"],
    [`ruby -e 'File.open("/etc/hosts", mode: "ab")'`, "overwrites the system file /etc/hosts"],
  ])("%s writes the literal path", (command, detail) => {
    const r = rate(command);
    expect(r.risk, r.shown).toBe(rate("echo x > /etc/hosts").risk);
    expect(r.details, r.shown).toContain(detail);
  });

  it.each([
    [`ruby -e 'File.write(File.join(Dir.home, ".bashrc"), "x")'`, `python3 -c "open(os.path.expanduser('~/.bashrc'), 'w')"`],
    [`ruby -e 'File.open("#{Dir.home}/.bashrc", "a")'`, `python3 -c "open(os.path.expanduser('~/.bashrc'), 'a')"`],
  ])("%s writes in the home as Python's open does", (command, python) => {
    const r = rate(command);
    const p = rate(python);
    expect(r.risk, r.shown).toBe(p.risk);
    expect(r.details, r.shown).toEqual(p.details);
  });

  it.each([
    `ruby -e 'File.write(ARGV[0], "x")'`,
    `ruby -e 'File.binwrite(p, b)'`,
    `ruby -e 'IO.write(name + ".txt", "x")'`,
    `ruby -e 'File.open(ARGV[0], "w") { |f| f << 1 }'`,
    `ruby -e 'File.open(p, mode: "a")'`,
  ])("%s writes to a file named at run time, as Python's open(p, 'w') does", (command) => {
    const r = rate(command);
    const python = rate(`python3 -c "open(p, 'w')"`);
    expect(r.risk, r.shown).toBe(python.risk);
    expect(r.details, r.shown).toContain("writes to a file named at run time");
  });

  it.each([
    `ruby -e 'puts File.open("/etc/hosts").read'`,
    `ruby -e 'puts File.open("/etc/hosts", "r").read'`,
    `ruby -e 'puts File.open(p, "rb").read'`,
    `ruby -e 'puts File.read("/etc/hosts")'`,
    `ruby -e 'File.open("/etc/hosts") { |f| puts f.read }'`,
  ])("%s only reads: no finding", (command) => {
    const r = rate(command);
    expect(r.risk, r.shown).toBe("safe");
  });
});
