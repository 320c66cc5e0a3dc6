import { describe, expect, it } from "vitest";
import { shellRater } from "../../test/helpers/shell-rated.js";

/**
 * Inline code that names the home folder through its language's own expression (`process.env.HOME`,
 * `os.homedir()`, `Dir.home`, `os.path.expanduser('~')`, `$ENV{HOME}`) deletes the home as `rm -rf ~`
 * does, not a path only known at run time.
 */
const rate = shellRater();

describe("the home folder named by inline code", () => {
  it.each([
    `node -e "require('fs').rmSync(process.env.HOME, {recursive: true})"`,
    `node -e "require('fs').rmSync(process.env['HOME'], {recursive: true})"`,
    `node -e "const fs = require('fs'), os = require('os'); fs.rmSync(os.homedir(), {recursive:true, force:true})"`,
    `node -e "require('fs').rmSync(require('os').homedir(), {recursive: true})"`,
    `node -e "require('fs').rmSync(require('node:os').homedir(), {recursive: true})"`,
    `deno eval "Deno.removeSync(Deno.env.get('HOME'), {recursive: true})"`,
    `bun -e "require('fs').rmSync(Bun.env.HOME, {recursive: true})"`,
    `bun -e "require('fs').rmSync(process.env.HOME, {recursive: true})"`,
    `python3 -c "import shutil, os; shutil.rmtree(os.path.expanduser('~'))"`,
    `python3 -c "import shutil, pathlib; shutil.rmtree(pathlib.Path.home())"`,
    `python3 -c "from pathlib import Path; import shutil; shutil.rmtree(Path.home())"`,
    `python3 -c "import shutil,os; shutil.rmtree(os.environ['HOME'])"`,
    `python3 -c "import shutil,os; shutil.rmtree(os.getenv('HOME'))"`,
    `perl -e 'use File::Path; rmtree($ENV{HOME})'`,
    `perl -e 'use File::Path; rmtree($ENV{"HOME"})'`,
    `ruby -e "FileUtils.rm_rf(Dir.home)"`,
    `ruby -e 'FileUtils.rm_rf(ENV["HOME"])'`,
    `ruby -e 'FileUtils.rm_rf(File.expand_path("~"))'`,
  ])("%s deletes the home: critical, as rm -rf ~ is", (command) => {
    const r = rate(command);
    expect(r.risk, r.shown).toBe("critical");
    expect(r.details, r.shown).toContain("deletes /home/ada recursively");
  });

  it.each([
    `node -e "require('fs').rmSync(require('os').homedir() + '/.ssh', {recursive:true})"`,
    `node -e "require('fs').rmSync(process.env.HOME + '/.ssh', {recursive:true})"`,
    "node -e 'require(\"fs\").rmSync(`${require(\"os\").homedir()}/.ssh`, {recursive:true})'",
    `python3 -c "import shutil; from pathlib import Path; shutil.rmtree(Path.home() / '.ssh')"`,
    `python3 -c "import shutil; from pathlib import Path; shutil.rmtree(f'{Path.home()}/.ssh')"`,
    `python3 -c "import shutil, os; shutil.rmtree(os.path.expanduser('~/.ssh'))"`,
    `python3 -c "import shutil, os; shutil.rmtree(os.environ['HOME'] + '/.ssh')"`,
    `perl -e 'use File::Path; rmtree($ENV{HOME} . "/.ssh")'`,
    `perl -e 'use File::Path; rmtree("$ENV{HOME}/.ssh")'`,
    `ruby -e 'FileUtils.rm_rf(Dir.home + "/.ssh")'`,
    `ruby -e 'FileUtils.rm_rf("#{Dir.home}/.ssh")'`,
  ])("%s deletes the home's .ssh, as rm -rf ~/.ssh does", (command) => {
    const r = rate(command);
    expect(r.risk, r.shown).toBe(rate("rm -rf ~/.ssh").risk);
    expect(r.details, r.shown).toContain("deletes /home/ada/.ssh recursively");
  });

  it.each([
    `node -e "const fs = require('fs'), path = require('path'), os = require('os'); fs.rmSync(path.join(os.homedir(), '.ssh'), {recursive:true})"`,
    `node -e "require('fs').rmSync(require('path').join(require('os').homedir(), '.ssh'), {recursive:true})"`,
    `node -e "const fs = require('fs'), path = require('node:path'), os = require('os'); fs.rmSync(path.resolve(os.homedir(), '.ssh'), {recursive:true})"`,
    `node -e "require('fs').rmSync(require('path').join('/home/ada', '.ssh'), {recursive:true})"`,
    `node -e "require('fs').rmSync(require('path').resolve('/tmp', os.homedir(), '.ssh'), {recursive:true})"`,
    `node -e "require('fs').rmSync(require('os').homedir() + '/.ss' + 'h', {recursive:true})"`,
    `python3 -c "import shutil, os; shutil.rmtree(os.path.join(os.path.expanduser('~'), '.ssh'))"`,
    `python3 -c "import shutil, os; from pathlib import Path; shutil.rmtree(os.path.join(Path.home(), '.ssh'))"`,
    `python3 -c "import shutil, os; shutil.rmtree(os.path.join('/tmp', os.environ['HOME'], '.ssh'))"`,
    `python3 -c "import shutil, os; shutil.rmtree(os.path.join('/home', 'ada/', '.ssh'))"`,
    `ruby -e 'FileUtils.rm_rf(File.join(Dir.home, ".ssh"))'`,
    `perl -e 'use File::Path; rmtree($ENV{HOME} . "/.s" . "sh")'`,
  ])("%s joins the home's .ssh, as rm -rf ~/.ssh deletes", (command) => {
    const r = rate(command);
    expect(r.risk, r.shown).toBe(rate("rm -rf ~/.ssh").risk);
    expect(r.details, r.shown).toContain("deletes /home/ada/.ssh recursively");
  });

  it.each([
    [`python3 -c "import shutil, os; shutil.rmtree(os.path.join('/etc', 'x'))"`, "rm -rf /etc/x", "deletes /etc/x recursively"],
    [`node -e "require('fs').rmSync('/et' + 'c', {recursive:true})"`, "rm -rf /etc", "deletes /etc recursively"],
    [`python3 -c "import os; open(os.path.expanduser('~/.bashrc'), 'w').write('x')"`, "echo x > ~/.bashrc", "overwrites /home/ada/.bashrc"],
    [`python3 -c "import os; open(os.path.join(os.path.expanduser('~'), '.bashrc'), 'a').write('x')"`, "echo x > ~/.bashrc", "overwrites /home/ada/.bashrc"],
    [`node -e "require('child_process').execSync('rm -rf ' + '/')"`, "rm -rf /", "deletes / recursively"],
    [`perl -e 'system("rm -rf " . "/")'`, "rm -rf /", "deletes / recursively"],
    [`python3 -c "import shutil; from pathlib import Path; shutil.rmtree(Path.home() / '/etc')"`, "rm -rf /etc", "deletes /etc recursively"],
  ])("%s is judged as %s", (command, same, detail) => {
    const r = rate(command);
    expect(r.risk, r.shown).toBe(rate(same).risk);
    expect(r.details, r.shown).toContain(detail);
  });

  it.each([
    `node -e "require('fs').rmSync(path.join(os.homedir(), dir), {recursive:true})"`,
    `node -e "require('fs').rmSync(path.join('/srv', os.homedir()), {recursive:true})"`,
    `node -e "require('fs').rmSync(path.join(os.homedir(), '.ssh') + dir, {recursive:true})"`,
    `node -e "require('fs').rmSync(os.homedir() + '/a' + dir, {recursive:true})"`,
    `node -e "require('fs').rmSync(path.join(os.homedir(), '.ssh')[0], {recursive:true})"`,
    `python3 -c "import shutil, os; shutil.rmtree(os.path.join(os.path.expanduser('~'), name))"`,
    `python3 -c "import shutil, os; shutil.rmtree(os.path.join(*parts))"`,
    `ruby -e 'FileUtils.rm_rf(File.join(Dir.home, name))'`,
    `ruby -e 'FileUtils.rm_rf(File.join("/srv", Dir.home))'`,
  ])("%s joins a part only known at run time", (command) => {
    const r = rate(command);
    expect(r.details, r.shown).toContain("deletes a path only known at run time recursively");
  });

  it.each([
    `node -e "require('fs').rmSync(process.env.BUILD_DIR, {recursive: true})"`,
    `node -e "require('fs').rmSync(process.env.HOMEDIR, {recursive: true})"`,
    `node -e "require('fs').rmSync(process.env.HOME + dir, {recursive: true})"`,
    `python3 -c "import shutil,os; shutil.rmtree(os.environ['OUT'])"`,
    `ruby -e "FileUtils.rm_rf(Dir.home + name)"`,
    `perl -e 'use File::Path; rmtree($ENV{TMPDIR})'`,
  ])("%s deletes a path only known at run time, as before", (command) => {
    const r = rate(command);
    expect(r.details, r.shown).toContain("deletes a path only known at run time recursively");
  });

  it("a literal '~' is a folder of that name to Python, not the home", () => {
    const r = rate(`python3 -c "import shutil; shutil.rmtree('~')"`);
    expect(r.details, r.shown).toContain("deletes ~ recursively");
  });
});

describe("a HOME the line gives the interpreter", () => {
  it.each([
    `HOME=/ node -e "require('fs').rmSync(process.env.HOME + 'etc', {recursive: true})"`,
    `export HOME=/; node -e "require('fs').rmSync(process.env.HOME + 'etc', {recursive: true})"`,
    `env HOME=/ python3 -c "import shutil,os; shutil.rmtree(os.environ['HOME'] + 'etc')"`,
  ])("%s is not the user's home: a path only known at run time", (command) => {
    const r = rate(command);
    expect(r.details, r.shown).not.toContain("deletes /home/adaetc recursively");
    expect(["high", "critical"], r.shown).toContain(r.risk);
  });
});
