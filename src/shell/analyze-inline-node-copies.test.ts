import { describe, expect, it } from "vitest";
import { shellRater } from "../../test/helpers/shell-rated.js";

/**
 * Node's file copies and moves in inline code (`node -e`, `deno eval`, `bun -e`): `fs.copyFileSync`,
 * `fs.cpSync` (`cp -r` with `{recursive: true}`), `fs.renameSync`, their callback and promise forms
 * (`fs.copyFile`, `fs.cp`, `fs.rename`, `fs.promises.copyFile`, `require('fs/promises').rename`) and
 * Deno's `Deno.copyFile`/`Deno.rename` are the `cp` and `mv` of their paths, as Python's `shutil.copy`
 * and `os.rename` are; a path only known at run time is a write to a file named at run time.
 */
const rate = shellRater();

describe("node copies and moves in inline code", () => {
  it.each([
    [`node -e "require('fs').copyFileSync('x', '/etc/hosts')"`, "cp x /etc/hosts"],
    [`node -e "const fs = require('fs'); fs.copyFileSync('x', '/etc/hosts')"`, "cp x /etc/hosts"],
    [`node -e "require('node:fs').copyFileSync('x', '/etc/hosts', fs.constants.COPYFILE_EXCL)"`, "cp x /etc/hosts"],
    [`node -e "fs.copyFile('x', '/etc/hosts', () => {})"`, "cp x /etc/hosts"],
    [`node -e "require('fs').promises.copyFile('x', '/etc/hosts')"`, "cp x /etc/hosts"],
    [`node -e "require('fs/promises').copyFile('x', '/etc/hosts')"`, "cp x /etc/hosts"],
    [`node -e "import('node:fs/promises').then((f) => f.copyFile('x', '/etc/hosts'))"`, "cp x /etc/hosts"],
    [`node -e "fs.cpSync('x', '/etc/hosts')"`, "cp x /etc/hosts"],
    [`node -e "fs.cpSync('x', '/etc', {recursive: true})"`, "cp -r x /etc"],
    [`node -e "fs.cp('x', '/etc', { recursive: true }, () => {})"`, "cp -r x /etc"],
    [`node -e "fs.promises.cp('x', '/etc', {force: true, recursive: true})"`, "cp -r x /etc"],
    [`node -e "fs.renameSync('/etc/passwd', 'x')"`, "mv /etc/passwd x"],
    [`node -e "require('fs').renameSync('x', '/etc/hosts')"`, "mv x /etc/hosts"],
    [`node -e "fs.rename('/etc/passwd', 'x', (e) => {})"`, "mv /etc/passwd x"],
    [`node -e "require('fs').promises.rename('/etc/passwd', 'x')"`, "mv /etc/passwd x"],
    [`node -e "require('fs/promises').rename('/etc/passwd', 'x')"`, "mv /etc/passwd x"],
    [`deno eval "Deno.copyFileSync('x', '/etc/hosts')"`, "cp x /etc/hosts"],
    [`deno eval "await Deno.rename('/etc/passwd', 'x')"`, "mv /etc/passwd x"],
    [`bun -e "require('fs').renameSync('/etc/passwd', 'x')"`, "mv /etc/passwd x"],
    // The home, by the language's own names for it.
    [`node -e "fs.copyFileSync('x', path.join(os.homedir(), '.bashrc'))"`, "cp x ~/.bashrc"],
    [`node -e "fs.renameSync(os.homedir() + '/.bashrc', 'x')"`, "mv ~/.bashrc x"],
    [`node -e "fs.cpSync('x', process.env.HOME, {recursive: true})"`, "cp -r x ~"],
  ])("%s is rated as %s", (command, shell) => {
    const r = rate(command);
    const s = rate(shell);
    expect(r.risk, r.shown).toBe(s.risk);
    expect(r.details, r.shown).toEqual(s.details);
  });

  it.each([
    `node -e "fs.copyFileSync(a, b)"`,
    `node -e "fs.copyFileSync('x', process.argv[1])"`,
    `node -e "fs.cpSync(a, b, {recursive: true})"`,
    `node -e "fs.renameSync(a, b)"`,
    `node -e "fs.promises.rename(a, b)"`,
    `node -e "fs.copyFileSync(a, '/tmp/' + name)"`,
  ])("%s writes to a file named at run time", (command) => {
    const r = rate(command);
    expect(r.risk, r.shown).toBe("moderate");
    expect(r.details, r.shown).toContain("writes to a file named at run time");
  });

  it("a move from a system file to a place named at run time takes the file away", () => {
    const r = rate(`node -e "fs.renameSync('/etc/passwd', process.argv[1])"`);
    expect(r.risk, r.shown).toBe("critical");
    expect(r.details, r.shown).toContain("writes to a file named at run time");
  });

  it.each([
    `node -e "fs.copyFileSync('a.txt', 'b.txt')"`,
    `node -e "fs.renameSync('a.txt', 'build/a.txt')"`,
    `node -e "fs.cpSync('src', 'dist', {recursive: true})"`,
    `node -e "require('fs/promises').copyFile('a.txt', 'b.txt')"`,
    `node -e "console.log(fs.readFileSync('/etc/hosts', 'utf8'))"`,
    `node -e "console.log(fs.existsSync('/etc/hosts'))"`,
  ])("%s has no finding", (command) => {
    const r = rate(command);
    expect(r.risk, r.shown).toBe("safe");
  });
});
