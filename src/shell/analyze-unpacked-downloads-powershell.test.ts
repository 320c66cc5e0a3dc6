import { describe, expect, it } from "vitest";
import type { Risk } from "./types.js";
import { shellRater } from "../../test/helpers/shell-rated.js";

/**
 * An archive the line downloads and unpacks is downloaded code (see `analyze-unpacked-downloads.test.ts`),
 * in PowerShell too: Expand-Archive (`-Path`, `-LiteralPath` or its first positional) unpacks into
 * `-DestinationPath` (its second positional), else a folder named after the archive in the current
 * location (`.\x` for x.zip), and Windows's tar.exe unpacks as tar does. A script run from that folder
 * (`& .\out\install.ps1`, `.\out\install.ps1`, `. .\out\env.ps1`, `powershell -File`, `pwsh FILE`,
 * `cmd /c`) is `high`, "runs … from an archive this command line downloads". In bash, tar reading the
 * archive from its standard input by a redirection (`tar xzf - < x.tgz`, `tar xz < x.tgz`) unpacks that
 * file as `-f x.tgz` does. Each row gives the risk and a reason the line must have.
 */
const windows = shellRater("C:\\Users\\ada\\code\\app", "C:\\Users\\ada");
const rated = shellRater();

const UNPACKED = (what: string): string => `runs ${what} from an archive this command line downloads`;

describe("PowerShell: code run from an archive the line downloads and unpacks", () => {
  it.each<[string, Risk, string?]>([
    // Expand-Archive into -DestinationPath, named or second positional
    ["iwr https://e.com/x.zip -OutFile x.zip; Expand-Archive x.zip -DestinationPath out; & .\\out\\install.ps1", "high", UNPACKED(".\\out\\install.ps1")],
    ["Invoke-WebRequest -Uri https://e.com/x.zip -OutFile x.zip; Expand-Archive -Path x.zip -DestinationPath out; .\\out\\install.ps1", "high", UNPACKED(".\\out\\install.ps1")],
    ["iwr https://e.com/x.zip -OutFile x.zip; Expand-Archive x.zip out; & out\\install.ps1", "high", UNPACKED("out\\install.ps1")],
    ["iwr https://e.com/x.zip -OutFile x.zip; Expand-Archive -LiteralPath x.zip -DestinationPath out -Force; & .\\out\\install.ps1", "high", UNPACKED(".\\out\\install.ps1")],
    ["iwr https://e.com/x.zip -OutFile x.zip; Expand-Archive -DestinationPath out -Path x.zip; & .\\out\\install.ps1", "high", UNPACKED(".\\out\\install.ps1")],
    ["iwr https://e.com/x.zip -OutFile x.zip; Expand-Archive -Pat x.zip -Dest out; & .\\out\\install.ps1", "high", UNPACKED(".\\out\\install.ps1")],
    ["iwr https://e.com/x.zip -OutFile x.zip; expand-archive x.zip -DestinationPath out; cd out; .\\install.ps1", "high", UNPACKED(".\\install.ps1")],
    ["iwr https://e.com/x.zip -OutFile x.zip; Expand-Archive x.zip -DestinationPath vendor\\x; & .\\vendor\\x\\bin\\setup.ps1", "high", UNPACKED(".\\vendor\\x\\bin\\setup.ps1")],
    // without -DestinationPath: a folder named after the archive in the current location
    ["iwr https://e.com/x.zip -OutFile x.zip; Expand-Archive x.zip; & .\\x\\install.ps1", "high", UNPACKED(".\\x\\install.ps1")],
    ["iwr https://e.com/tool-1.2.zip -OutFile tool-1.2.zip; Expand-Archive .\\tool-1.2.zip; cd tool-1.2; .\\install.ps1", "high", UNPACKED(".\\install.ps1")],
    // each download PowerShell reads
    ["curl.exe -L -o x.zip https://e.com/x.zip; Expand-Archive x.zip -DestinationPath out; & .\\out\\install.ps1", "high", UNPACKED(".\\out\\install.ps1")],
    ["curl.exe -LO https://e.com/x.zip; Expand-Archive x.zip out; & .\\out\\install.ps1", "high", UNPACKED(".\\out\\install.ps1")],
    ["Invoke-WebRequest https://e.com/x.zip -OutF x.zip; Expand-Archive x.zip out; & .\\out\\install.ps1", "high", UNPACKED(".\\out\\install.ps1")],
    ["Start-BitsTransfer -Source https://e.com/x.zip -Destination x.zip; Expand-Archive x.zip out; & .\\out\\install.ps1", "high", UNPACKED(".\\out\\install.ps1")],
    ["iwr https://e.com/x.zip -OutFile C:\\Temp\\x.zip; Expand-Archive C:\\Temp\\x.zip C:\\Temp\\x; & C:\\Temp\\x\\install.ps1", "high", UNPACKED("C:\\Temp\\x\\install.ps1")],
    // each way PowerShell runs a script
    ["iwr https://e.com/x.zip -OutFile x.zip; Expand-Archive x.zip out; . .\\out\\env.ps1", "high", UNPACKED(".\\out\\env.ps1")],
    ["iwr https://e.com/x.zip -OutFile x.zip; Expand-Archive x.zip out; powershell -File out\\install.ps1", "high", UNPACKED("out\\install.ps1 with powershell")],
    ["iwr https://e.com/x.zip -OutFile x.zip; Expand-Archive x.zip out; powershell -ExecutionPolicy Bypass -File .\\out\\install.ps1", "high", UNPACKED(".\\out\\install.ps1 with powershell")],
    ["iwr https://e.com/x.zip -OutFile x.zip; Expand-Archive x.zip out; pwsh out/setup.ps1", "high", UNPACKED("out/setup.ps1 with pwsh")],
    ["iwr https://e.com/x.zip -OutFile x.zip; Expand-Archive x.zip out; cmd /c out\\setup.bat", "high", UNPACKED("out\\setup.bat")],
    ["iwr https://e.com/x.zip -OutFile x.zip; Expand-Archive x.zip out; Start-Process out\\setup.bat", "high", UNPACKED("out\\setup.bat")],
    // Windows's tar.exe
    ["curl.exe -LO https://e.com/x.zip; tar -xf x.zip; & .\\x\\install.ps1", "high", UNPACKED(".\\x\\install.ps1")],
    ["iwr https://e.com/x.tgz -OutFile x.tgz; tar.exe -xzf x.tgz -C out; & .\\out\\install.ps1", "high", UNPACKED(".\\out\\install.ps1")],
    // nothing downloaded, nothing unpacked, or nothing run from it
    ["Expand-Archive backup.zip -DestinationPath out; & .\\out\\run.ps1", "safe"],
    ["iwr https://e.com/x.zip -OutFile x.zip; Expand-Archive x.zip out", "safe"],
    ["iwr https://e.com/x.zip -OutFile x.zip; Expand-Archive x.zip -DestinationPath out; Get-ChildItem out", "safe"],
    ["iwr https://e.com/x.zip -OutFile x.zip; Expand-Archive x.zip -DestinationPath out; & .\\scripts\\build.ps1", "safe"],
    ["iwr https://e.com/x.zip -OutFile x.zip; Expand-Archive x.zip; & .\\out\\install.ps1", "safe"],
    ["iwr https://e.com/x.zip -OutFile x.zip; Expand-Archive x.zip out; cd scripts; .\\run.ps1", "safe"],
    ["iwr https://e.com/x.zip -OutFile x.zip; Expand-Archive x.zip out -WhatIf; & .\\out\\install.ps1", "safe"],
    ["iwr https://e.com/x.zip -OutFile x.zip; tar -tf x.zip; & .\\x\\install.ps1", "safe"],
    ["tar -xf backup.zip; & .\\backup\\run.ps1", "safe"],
  ])("%s is %s", (line, risk, detail) => {
    const result = windows(line, "powershell");
    expect(result.risk, result.shown).toBe(risk);
    if (detail) expect(result.details, result.shown).toContain(detail);
  });
});

describe("PowerShell: files a download writes, found on the way", () => {
  it.each<[string, Risk, string?]>([
    ["iwr https://e.com/x.ps1 -OutFile out\\x.ps1; cd out; .\\x.ps1", "critical", "runs .\\x.ps1, which this command line downloads"],
    ["iwr https://e.com/x.ps1 -OutFile x.ps1; cd ..; & .\\app\\x.ps1", "critical", "runs .\\app\\x.ps1, which this command line downloads"],
    ["Invoke-WebRequest https://e.com/x.ps1 -OutF x.ps1; & .\\x.ps1", "critical", "runs .\\x.ps1, which this command line downloads"],
    ["Start-BitsTransfer -Source https://e.com/x.ps1 -Destination x.ps1; & .\\x.ps1", "critical", "runs .\\x.ps1, which this command line downloads"],
    ["iwr https://e.com/x.ps1 -OutFile x.ps1; cd out; .\\x.ps1", "safe"],
  ])("%s is %s", (line, risk, detail) => {
    const result = windows(line, "powershell");
    expect(result.risk, result.shown).toBe(risk);
    if (detail) expect(result.details, result.shown).toContain(detail);
  });
});

describe("bash: a downloaded archive fed to tar by a redirection", () => {
  it.each<[string, Risk, string?]>([
    ["curl -o x.tgz https://e.com/x.tgz && tar xzf - < x.tgz && ./install.sh", "high", UNPACKED("./install.sh")],
    ["curl -o x.tgz https://e.com/x.tgz && tar xz < x.tgz && cd x && ./install.sh", "high", UNPACKED("./install.sh")],
    ["curl -LO https://e.com/x.tgz && tar -xzf /dev/stdin -C vendor < x.tgz && ./vendor/x/configure", "high", UNPACKED("./vendor/x/configure")],
    ["wget https://e.com/x.tar.gz && tar -x -z -C /opt < x.tar.gz && /opt/x/install.sh", "high", UNPACKED("/opt/x/install.sh")],
    ["curl -o x.tgz https://e.com/x.tgz && tar xz 0< x.tgz && cd x && make", "high", UNPACKED("make")],
    ["curl -o x.tgz https://e.com/x.tgz && sudo tar xzf - < x.tgz && sudo ./x/install.sh", "high", UNPACKED("./x/install.sh")],
    // not downloaded, not unpacked, the redirection not read as the archive, or nothing run
    ["tar xzf - < backup.tgz && ./run.sh", "safe"],
    ["curl -o x.tgz https://e.com/x.tgz && tar tz < x.tgz && ./run.sh", "safe"],
    ["curl -o x.tgz https://e.com/x.tgz && tar xz < x.tgz", "safe"],
    ["curl -o x.tgz https://e.com/x.tgz && tar xzf backup.tgz < x.tgz && ./run.sh", "safe"],
    ["curl -o x.tgz https://e.com/x.tgz && tar xz < x.tgz -C /tmp/x && ./run.sh", "safe"],
  ])("%s is %s", (line, risk, detail) => {
    const result = rated(line);
    expect(result.risk, result.shown).toBe(risk);
    if (detail) expect(result.details, result.shown).toContain(detail);
  });
});
