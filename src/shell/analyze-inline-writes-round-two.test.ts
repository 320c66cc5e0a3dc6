import { describe, expect, it } from "vitest";
import { shellRater } from "../../test/helpers/shell-rated.js";

/**
 * More of the ways inline code writes, copies, moves and deletes files. A mode or flags only known at
 * run time (`open(path, sys.argv[2])`, `os.open(path, flags)`) may write, so it is rated as the write;
 * `os.open` and Ruby's `File.open` read flag constants (`os.O_WRONLY|os.O_CREAT`, `File::RDWR`);
 * `codecs.open` is `open`; copies and moves (`shutil.copy`, `shutil.move`, `os.rename`, `FileUtils.cp`,
 * `FileUtils.mv`) are `cp` and `mv` of their paths; Ruby calls without parentheses and a Python
 * `Path` kept in a name (`p = Path('/etc/hosts'); p.write_text(…)`) are read as well.
 */
const rate = shellRater();

describe("inline writes, round two", () => {
  it.each([
    // A mode only known at run time may write: rated as the write.
    `python3 -c "import sys; open('/etc/hosts', sys.argv[2])"`,
    `python3 -c "open('/etc/hosts', m).write('x')"`,
    `python3 -c "open('/etc/hosts', mode=m)"`,
    `python3 -c "from pathlib import Path; Path('/etc/hosts').open(m)"`,
    // codecs.open is open.
    `python3 -c "import codecs; codecs.open('/etc/hosts', 'w')"`,
    `python3 -c "import codecs; codecs.open('/etc/hosts', 'a', 'utf-8').write('x')"`,
    `python3 -c "import codecs; codecs.open('/etc/hosts', m)"`,
    // os.open with flags that write, or flags only known at run time.
    `python3 -c "import os; os.open('/etc/hosts', os.O_WRONLY|os.O_CREAT)"`,
    `python3 -c "import os; os.open('/etc/hosts', os.O_RDWR)"`,
    `python3 -c "import os; os.open('/etc/hosts', os.O_APPEND | os.O_WRONLY)"`,
    `python3 -c "import os; os.open('/etc/hosts', os.O_TRUNC)"`,
    `python3 -c "import os; os.open('/etc/hosts', flags=os.O_WRONLY)"`,
    `python3 -c "import os; os.open('/etc/hosts', flags)"`,
    // Copies and moves onto the file.
    `python3 -c "import shutil; shutil.copy('x', '/etc/hosts')"`,
    `python3 -c "import shutil; shutil.copy2(s, '/etc/hosts')"`,
    `python3 -c "import shutil; shutil.copyfile('x', '/etc/hosts')"`,
    `python3 -c "import shutil; shutil.move('x', '/etc/hosts')"`,
    `python3 -c "import os; os.replace(s, '/etc/hosts')"`,
    // Ruby: no parentheses, flag constants, a mode only known at run time, copies and moves.
    `ruby -e 'File.open "/etc/hosts", "w" do |f| f.puts "x" end'`,
    `ruby -e 'File.write "/etc/hosts", "x"'`,
    `ruby -e 'File.open("/etc/hosts", File::WRONLY|File::CREAT) { |f| f.puts "x" }'`,
    `ruby -e 'File.open("/etc/hosts", File::RDWR)'`,
    `ruby -e 'File.open("/etc/hosts", File::APPEND | File::WRONLY)'`,
    `ruby -e 'File.open("/etc/hosts", File::TRUNC)'`,
    `ruby -e 'File.new("/etc/hosts", File::CREAT|File::WRONLY, 0644)'`,
    `ruby -e 'File.open "/etc/hosts", File::WRONLY'`,
    `ruby -e 'File.open("/etc/hosts", m)'`,
    `ruby -e 'require "fileutils"; FileUtils.cp("x", "/etc/hosts")'`,
    `ruby -e 'require "fileutils"; FileUtils.mv "x", "/etc/hosts"'`,
    // A Path kept in a name.
    `python3 -c "from pathlib import Path; p = Path('/etc/hosts'); p.write_text('x')"`,
    `python3 -c "import pathlib; p = pathlib.Path('/etc', 'hosts'); p.open(mode='a')"`,
    `python3 -c "p = Path('/etc/hosts'); p.open('w')"`,
    "python3 <<'EOF'\nfrom pathlib import Path\nhosts = Path('/etc/hosts')\nhosts.write_bytes(b'x')\nEOF",
  ])("%s writes /etc/hosts as echo x > /etc/hosts does", (command) => {
    const r = rate(command);
    expect(r.risk, r.shown).toBe(rate("echo x > /etc/hosts").risk);
    expect(r.details, r.shown).toContain("overwrites the system file /etc/hosts");
  });

  it.each([
    [`python3 -c "import shutil; shutil.copytree('x', '/etc')"`, "cp -r x /etc"],
    [`python3 -c "import shutil; shutil.move('/etc/passwd', 'x')"`, "mv /etc/passwd x"],
    [`python3 -c "import os; os.rename('/etc/passwd', 'x')"`, "mv /etc/passwd x"],
    [`python3 -c "import shutil, os; shutil.copy('x', os.path.expanduser('~/.bashrc'))"`, "cp x ~/.bashrc"],
    [`python3 -c "import shutil, os; shutil.move(os.path.expanduser('~/.bashrc'), 'x')"`, "mv ~/.bashrc x"],
    [`ruby -e 'require "fileutils"; FileUtils.cp_r("x", "/etc")'`, "cp -r x /etc"],
    [`ruby -e 'require "fileutils"; FileUtils.mv("/etc/passwd", "x")'`, "mv /etc/passwd x"],
    [`ruby -e 'File.rename("/etc/passwd", "x")'`, "mv /etc/passwd x"],
    // Deletions: already read, kept as regression rows; Ruby and Perl without parentheses are new.
    [`python3 -c "import os; os.remove('/etc/passwd')"`, "rm -f /etc/passwd"],
    [`python3 -c "import os; os.unlink('/etc/passwd')"`, "rm -f /etc/passwd"],
    [`python3 -c "import shutil, os; shutil.rmtree(os.path.expanduser('~'))"`, "rm -rf ~"],
    [`ruby -e 'require "fileutils"; FileUtils.rm_rf(Dir.home)'`, "rm -rf ~"],
    [`ruby -e 'require "fileutils"; FileUtils.rm_rf Dir.home'`, "rm -rf ~"],
    [`ruby -e 'require "fileutils"; FileUtils.rm_r("/etc")'`, "rm -r /etc"],
    [`perl -e 'use File::Path; rmtree $ENV{HOME}'`, "rm -rf ~"],
    // The home: a Path kept in a name, and a mode only known at run time.
    [`python3 -c "from pathlib import Path; p = Path.home() / '.bashrc'; p.write_text('x')"`, "echo x > ~/.bashrc"],
    [`python3 -c "import os, sys; open(os.path.expanduser('~/.bashrc'), sys.argv[1])"`, "echo x > ~/.bashrc"],
  ])("%s is rated as %s", (command, shell) => {
    const r = rate(command);
    const s = rate(shell);
    expect(r.risk, r.shown).toBe(s.risk);
    expect(r.details, r.shown).toEqual(s.details);
  });

  it.each([
    `python3 -c "open(p, m)"`,
    `python3 -c "import codecs; codecs.open(p, 'w')"`,
    `python3 -c "import os; os.open(p, os.O_WRONLY)"`,
    `python3 -c "import shutil; shutil.copy(a, b)"`,
    `python3 -c "import shutil; shutil.move(a, b)"`,
    `python3 -c "import sys; from pathlib import Path; p = Path(sys.argv[1]); p.write_text('x')"`,
    `ruby -e 'File.open(p, File::WRONLY)'`,
    `ruby -e 'File.open(ARGV[0], m)'`,
  ])("%s writes to a file named at run time", (command) => {
    const r = rate(command);
    expect(r.risk, r.shown).toBe("moderate");
    expect(r.details, r.shown).toContain("writes to a file named at run time");
  });

  it.each([
    // What is rated today stays so.
    `python3 -c "open('out.txt','w').write('x')"`,
    `python3 -c "import json; print(json.load(open('package.json')))"`,
    `python3 -c "print(open(p).read())"`,
    `python3 -c "print(open(p, 'r').read())"`,
    `python3 -c "print(open(p, 'rb').read())"`,
    `python3 -c "print(open('/etc/hosts', encoding='utf-8').read())"`,
    `python3 -c "import codecs; print(codecs.open('/etc/hosts').read())"`,
    `python3 -c "import codecs; print(codecs.open('/etc/hosts', 'r', 'utf-8').read())"`,
    `python3 -c "import os; os.read(os.open('/etc/hosts', os.O_RDONLY), 10)"`,
    `python3 -c "import os; os.open(p, os.O_RDONLY | os.O_CLOEXEC)"`,
    `python3 -c "import os; os.open('out.txt', os.O_WRONLY|os.O_CREAT)"`,
    `python3 -c "import shutil; shutil.copy('a.txt', 'b.txt')"`,
    `python3 -c "import shutil; shutil.move('a.txt', 'build/a.txt')"`,
    `python3 -c "p = Path('/etc/hosts'); print(p.read_text())"`,
    `python3 -c "p = Path('/etc/hosts'); print(p.open().read())"`,
    `python3 -c "p = Path('/etc/hosts'); p = Path('out.txt'); p.write_text('x')"`,
    `python3 -c "p = Path('out.txt'); p.write_text('x')"`,
    `ruby -e 'puts File.read("/etc/hosts")'`,
    `ruby -e 'puts File.open("/etc/hosts").read'`,
    `ruby -e 'puts File.open "/etc/hosts"'`,
    `ruby -e 'File.open "/etc/hosts" do |f| puts f.read end'`,
    `ruby -e 'File.open("/etc/hosts", File::RDONLY) { |f| puts f.read }'`,
    `ruby -e 'File.open("/etc/hosts", "r:UTF-8") { |f| puts f.read }'`,
    `ruby -e 'File.open("/etc/hosts", encoding: "utf-8") { |f| puts f.read }'`,
    `ruby -e 'File.open(ARGV[0], &:read)'`,
  ])("%s has no finding", (command) => {
    const r = rate(command);
    expect(r.risk, r.shown).toBe("safe");
  });
});
