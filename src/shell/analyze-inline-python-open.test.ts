import { describe, expect, it } from "vitest";
import { shellRater } from "../../test/helpers/shell-rated.js";

/**
 * Python's `open(path, mode)` writes when its mode has `w`, `a`, `x` or `+`, given as the second
 * argument or as `mode=`. A path wren cannot read is a file named at run time, as Node's
 * `fs.writeFileSync(name, …)` is, not harmless; reading a file stays without a finding.
 */
const rate = shellRater();

describe("Python's open() for writing", () => {
  it.each([
    `python3 -c "import sys; open(sys.argv[1], 'w').write('x')" ~/.bashrc`,
    `python3 -c "p=input(); open(p,'w')"`,
    `python3 -c "open(p, 'a').write('x')"`,
    `python3 -c "open(p, 'x')"`,
    `python3 -c "open(p, 'r+')"`,
    `python3 -c "open(p, 'rb+')"`,
    `python3 -c "open(p, 'w+b')"`,
    `python3 -c "open(p, mode='w')"`,
    `python3 -c "open(file=p, mode='a')"`,
    `python3 -c "open(mode='w', file=p)"`,
    `python3 -c "open(os.path.join(d, 'x'), 'w')"`,
    `python3 -c "open('/tmp/' + name, 'w')"`,
    `python3 -c "with open(f'{d}/out.txt', \\"w\\") as f: f.write('x')"`,
    "python3 <<'EOF'\nimport sys\nwith open(sys.argv[1], 'w') as f:\n    f.write('x')\nEOF",
    `python3 -c "Path(p).write_bytes(b)"`,
    `python3 -c "pathlib.Path(sys.argv[1]).write_text('x')"`,
    `python3 -c "Path(p).open('w').write('x')"`,
    `python3 -c "Path(p).open(mode='a')"`,
    `python3 -c "(Path(d) / 'x').write_text('x')"`,
    `python3 -c "io.open(p, 'w')"`,
  ])("%s writes to a file named at run time, as Node's writeFileSync(name) does", (command) => {
    const r = rate(command);
    const node = rate(`node -e "require('fs').writeFileSync(name, 'x')"`);
    expect(r.risk, r.shown).toBe(node.risk);
    expect(r.details, r.shown).toContain("writes to a file named at run time");
  });

  it.each([
    [`python3 -c "open('/etc/hosts', 'r+').write('x')"`, "overwrites the system file /etc/hosts"],
    [`python3 -c "open('/etc/hosts', 'x')"`, "overwrites the system file /etc/hosts"],
    [`python3 -c "open('/etc/hosts', mode='w')"`, "overwrites the system file /etc/hosts"],
    [`python3 -c "open(file='/etc/hosts', mode='a+')"`, "overwrites the system file /etc/hosts"],
    [`python3 -c "open(mode='w', file='/etc/hosts')"`, "overwrites the system file /etc/hosts"],
    [`python3 -c "open('/etc/hosts', 'w')"`, "overwrites the system file /etc/hosts"],
    [`python3 -c "import pathlib; pathlib.Path('/etc/hosts').write_text('x')"`, "overwrites the system file /etc/hosts"],
    [`python3 -c "Path('/etc/hosts').write_bytes(b'x')"`, "overwrites the system file /etc/hosts"],
    [`python3 -c "Path('/etc', 'hosts').write_text('x')"`, "overwrites the system file /etc/hosts"],
    [`python3 -c "Path('/etc/hosts').open('w').write('x')"`, "overwrites the system file /etc/hosts"],
    [`python3 -c "Path('/etc/hosts').open(mode='a')"`, "overwrites the system file /etc/hosts"],
    [`python3 -c "import io; io.open('/etc/hosts', 'w')"`, "overwrites the system file /etc/hosts"],
  ])("%s writes the literal path", (command, detail) => {
    const r = rate(command);
    expect(r.risk, r.shown).toBe(rate("echo x > /etc/hosts").risk);
    expect(r.details, r.shown).toContain(detail);
  });

  it.each([
    `python3 -c "print(open(p).read())"`,
    `python3 -c "print(open(p, 'r').read())"`,
    `python3 -c "print(open(p, 'rb').read())"`,
    `python3 -c "print(open(sys.argv[1], 'rt').read())"`,
    `python3 -c "print(open(p, mode='r').read())"`,
    `python3 -c "print(open(file=p).read())"`,
    `python3 -c "print(open('/etc/hosts').read())"`,
    `python3 -c "print(open('/etc/hosts', encoding='utf-8').read())"`,
    `python3 -c "print(Path('/etc/hosts').read_text())"`,
    `python3 -c "print(Path('/etc/hosts').open().read())"`,
    `python3 -c "print(Path(p).open('rb').read())"`,
    `python3 -c "print(io.open('/etc/hosts').read())"`,
  ])("%s only reads: no finding", (command) => {
    const r = rate(command);
    expect(r.risk, r.shown).toBe("safe");
  });

  it("(Path.home() / '.bashrc').write_text writes ~/.bashrc as open(expanduser('~/.bashrc'), 'w') does", () => {
    const r = rate(`python3 -c "(Path.home() / '.bashrc').write_text('x')"`);
    const open = rate(`python3 -c "open(os.path.expanduser('~/.bashrc'), 'w')"`);
    expect(r.risk, r.shown).toBe(open.risk);
    expect(r.details, r.shown).toEqual(open.details);
  });
});
