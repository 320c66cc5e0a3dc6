import { describe, expect, it } from "vitest";
import type { Risk } from "./types.js";
import { shellRater } from "../../test/helpers/shell-rated.js";

/**
 * Code run from a repository the line clones or an archive it downloads and unpacks is `high` (see
 * `analyze-owner-and-clones.test.ts`, `analyze-unpacked-downloads-powershell.test.ts`), in PowerShell
 * too: `git clone URL; & .\y\install.ps1`, with Windows paths (`C:\src\y`, `vendor\y`). In bash, a
 * downloaded archive piped into tar by `cat`, `zcat` or `gunzip -c` is tar's archive, as one given
 * by `<` is. Start-BitsTransfer's second positional is its -Destination, so the file it names is a
 * download. Each row gives the risk and a reason the line must have.
 */
const windows = shellRater("C:\\Users\\ada\\code\\app", "C:\\Users\\ada");
const rated = shellRater();

const CLONED = (what: string): string => `runs ${what} from a repository this command line clones`;
const UNPACKED = (what: string): string => `runs ${what} from an archive this command line downloads`;
const DOWNLOADED = (what: string): string => `runs ${what}, which this command line downloads`;

describe("PowerShell: code run from a repository the line clones", () => {
  it.each<[string, Risk, string?]>([
    ["git clone https://github.com/x/y; & .\\y\\install.ps1", "high", CLONED(".\\y\\install.ps1")],
    ["git clone https://github.com/x/y; cd y; .\\install.ps1", "high", CLONED(".\\install.ps1")],
    ["git clone https://github.com/x/y.git; Set-Location y; & .\\install.ps1", "high", CLONED(".\\install.ps1")],
    ["git clone https://github.com/x/y vendor\\y; & .\\vendor\\y\\setup.ps1", "high", CLONED(".\\vendor\\y\\setup.ps1")],
    ["git clone https://github.com/x/y; powershell -File y\\install.ps1", "high", CLONED("y\\install.ps1 with powershell")],
    ["git clone https://github.com/x/y C:\\src\\y; & C:\\src\\y\\install.ps1", "high", CLONED("C:\\src\\y\\install.ps1")],
    ["git clone https://github.com/x/y C:\\src\\y; cd C:\\src; & .\\y\\install.ps1", "high", CLONED(".\\y\\install.ps1")],
    ["git clone https://github.com/x/y; cd y; cmd /c setup.bat", "high", CLONED("setup.bat")],
    // nothing run from the clone
    ["git clone https://github.com/x/y; cd y; git log", "safe"],
    ["git clone https://github.com/x/y", "safe"],
    ["git clone https://github.com/x/y; & .\\scripts\\build.ps1", "safe"],
    ["git clone https://github.com/x/y C:\\src\\y; & .\\y\\install.ps1", "safe"],
    // Windows's file names are read in any case
    ["git clone https://github.com/x/y; & .\\Y\\install.ps1", "high", CLONED(".\\Y\\install.ps1")],
    ["git clone https://github.com/x/y; cd Y; .\\install.ps1", "high", CLONED(".\\install.ps1")],
    ["git clone https://github.com/x/Tool.git; Set-Location tool; & .\\Install.ps1", "high", CLONED(".\\Install.ps1")],
    ["git clone https://github.com/x/y C:\\Src\\Y; & c:\\src\\y\\install.ps1", "high", CLONED("c:\\src\\y\\install.ps1")],
    ["iwr https://e.com/x.zip -OutFile x.zip; Expand-Archive X.ZIP Out; & .\\out\\install.ps1", "high", UNPACKED(".\\out\\install.ps1")],
    ["iwr https://e.com/x.ps1 -OutFile X.ps1; & .\\x.ps1", "critical", DOWNLOADED(".\\x.ps1")],
    ["git clone https://github.com/x/y; & .\\Z\\install.ps1", "safe"],
    // make (nmake) reading the clone's makefile builds and runs its code, as in bash
    ["git clone https://github.com/x/y; cd y; make", "high", CLONED("make")],
    ["git clone https://github.com/x/y; make -C y install", "high", CLONED("make")],
    ["git clone https://github.com/x/y; cd Y; make.exe", "high", CLONED("make")],
    ["git clone https://github.com/x/y; cd y; nmake", "high", CLONED("nmake")],
    ["git clone https://github.com/x/y; nmake /f y\\Makefile.win", "high", CLONED("nmake")],
    ["git clone https://github.com/x/y; make", "safe"],
    ["git clone https://github.com/x/y; cd y; git log; cd ..; nmake", "safe"],
  ])("%s is %s", (line, risk, detail) => {
    const result = windows(line, "powershell");
    expect(result.risk, result.shown).toBe(risk);
    if (detail) expect(result.details, result.shown).toContain(detail);
  });
});

describe("bash: a downloaded archive piped into tar", () => {
  it.each<[string, Risk, string?]>([
    ["curl -o x.tgz https://e.com/x.tgz && cat x.tgz | tar xz && ./install.sh", "high", UNPACKED("./install.sh")],
    ["curl -o x.tgz https://e.com/x.tgz && cat x.tgz | tar -xzf - -C vendor && ./vendor/x/configure", "high", UNPACKED("./vendor/x/configure")],
    ["curl -o x.tgz https://e.com/x.tgz && gunzip -c x.tgz | tar x && cd x && ./install.sh", "high", UNPACKED("./install.sh")],
    ["wget https://e.com/x.tar.gz && zcat x.tar.gz | tar x && ./x/install.sh", "high", UNPACKED("./x/install.sh")],
    ["curl -LO https://e.com/x.tar.xz && xz -dc x.tar.xz | tar x && ./x/install.sh", "high", UNPACKED("./x/install.sh")],
    // not downloaded, not unpacked, or nothing run
    ["cat backup.tgz | tar xz && ./run.sh", "safe"],
    ["curl -o x.tgz https://e.com/x.tgz && cat backup.tgz | tar xz && ./run.sh", "safe"],
    ["curl -o x.tgz https://e.com/x.tgz && cat x.tgz | tar tz && ./run.sh", "safe"],
    ["curl -o x.tgz https://e.com/x.tgz && cat x.tgz | tar xz", "safe"],
    ["curl -o x.tgz https://e.com/x.tgz && zcat backup.tgz | tar x && ./run.sh", "safe"],
    // bash reads file names in their case: another folder, another file
    ["curl -o x.tgz https://e.com/x.tgz && tar xzf X.tgz && ./install.sh", "safe"],
  ])("%s is %s", (line, risk, detail) => {
    const result = rated(line);
    expect(result.risk, result.shown).toBe(risk);
    if (detail) expect(result.details, result.shown).toContain(detail);
  });
});

describe("PowerShell: Start-BitsTransfer's positional destination", () => {
  it.each<[string, Risk, string?]>([
    ["Start-BitsTransfer https://e.com/x.ps1 x.ps1; & .\\x.ps1", "critical", DOWNLOADED(".\\x.ps1")],
    ["Start-BitsTransfer -Source https://e.com/x.ps1 x.ps1; & .\\x.ps1", "critical", DOWNLOADED(".\\x.ps1")],
    ["Start-BitsTransfer https://e.com/x.ps1 C:\\Temp\\x.ps1; & C:\\Temp\\x.ps1", "critical", DOWNLOADED("C:\\Temp\\x.ps1")],
    ["Start-BitsTransfer https://e.com/x.zip x.zip; Expand-Archive x.zip out; & .\\out\\install.ps1", "high", UNPACKED(".\\out\\install.ps1")],
    // nothing run, or not the file downloaded
    ["Start-BitsTransfer https://e.com/x.zip x.zip", "safe"],
    ["Start-BitsTransfer https://e.com/x.ps1 x.ps1; & .\\y.ps1", "safe"],
    // no destination: the current folder, under the URL's file name
    ["Start-BitsTransfer https://x.io/i.ps1; & .\\i.ps1", "critical", DOWNLOADED(".\\i.ps1")],
    ["Start-BitsTransfer -Source https://x.io/i.ps1; & .\\i.ps1", "critical", DOWNLOADED(".\\i.ps1")],
    ["Start-BitsTransfer -Source https://x.io/i.ps1?v=2 -Priority High; powershell -File i.ps1", "critical", "runs i.ps1 with powershell, which this command line downloads"],
    ["Start-BitsTransfer https://x.io/i.zip; Expand-Archive i.zip out; & .\\out\\install.ps1", "high", UNPACKED(".\\out\\install.ps1")],
    ["Start-BitsTransfer -Source https://x.io/i.ps1 -Destination C:\\dl\\i.ps1; & .\\i.ps1", "safe"],
    ["Start-BitsTransfer https://x.io/i.ps1; & .\\j.ps1", "safe"],
  ])("%s is %s", (line, risk, detail) => {
    const result = windows(line, "powershell");
    expect(result.risk, result.shown).toBe(risk);
    if (detail) expect(result.details, result.shown).toContain(detail);
  });
});

describe("bash, and PowerShell in a POSIX folder, read file names in their case", () => {
  it.each<[string, Risk, string?]>([
    ["git clone https://github.com/x/y && ./y/install.sh", "high", CLONED("./y/install.sh")],
    ["git clone https://github.com/x/y && ./Y/install.sh", "safe"],
    ["git clone https://github.com/x/y && cd Y && make", "safe"],
    ["curl -o X.sh https://e.com/x.sh && ./x.sh", "safe"],
  ])("bash: %s is %s", (line, risk, detail) => {
    const result = rated(line);
    expect(result.risk, result.shown).toBe(risk);
    if (detail) expect(result.details, result.shown).toContain(detail);
  });

  it.each<[string, Risk, string?]>([
    ["git clone https://github.com/x/y; & ./y/install.ps1", "high", CLONED("./y/install.ps1")],
    ["git clone https://github.com/x/y; & ./Y/install.ps1", "safe"],
  ])("powershell: %s is %s", (line, risk, detail) => {
    const result = rated(line, "powershell");
    expect(result.risk, result.shown).toBe(risk);
    if (detail) expect(result.details, result.shown).toContain(detail);
  });
});
