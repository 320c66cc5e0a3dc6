import { describe, expect, it } from "vitest";
import { shellAnalysis } from "../../test/helpers/shell-rated.js";

/**
 * PowerShell's writers are judged by the file they write as a redirection is: Set-Content, Out-File
 * (`>` is Out-File), Clear-Content and New-Item -Force overwrite it as `>` does, Add-Content and
 * Out-File -Append add to it as `>>` does, and Tee-Object writes it as tee does. Only the file is
 * judged, not the text written. Each row's POSIX twin (bash, cwd /home/ada/code/app, home /home/ada)
 * is rated the same.
 */
const windows = shellAnalysis("C:\\Users\\ada\\code\\app", "C:\\Users\\ada");
const posix = shellAnalysis("/home/ada/code/app", "/home/ada");

describe("PowerShell writers judged as redirections", () => {
  it.each([
    ["Set-Content $env:X\\y 'text'", 'echo text > "$X/y"', "moderate"],
    ["Set-Content -Path $env:X\\y -Value 'text'", 'echo text > "$X/y"', "moderate"],
    ["Set-Content -LiteralPath $x 'text'", 'echo text > "$x"', "moderate"],
    ["'text' | Out-File $env:X\\y", 'echo text > "$X/y"', "moderate"],
    ["'text' | Out-File -FilePath $env:X\\y -Append", 'echo text >> "$X/y"', "safe"],
    ["'text' > $env:X\\y", 'echo text > "$X/y"', "moderate"],
    ["Add-Content $env:X\\y 'text'", 'echo text >> "$X/y"', "safe"],
    ["Clear-Content $env:X\\y", ': > "$X/y"', "moderate"],
    ["New-Item -ItemType File -Force $env:X\\y", ': > "$X/y"', "moderate"],
    ["New-Item -ItemType File -Path $env:X\\y -Value 'text' -Force", 'echo text > "$X/y"', "moderate"],
    ["New-Item -ItemType File $env:X\\y", 'touch "$X/y"', "safe"],
    ["[IO.File]::WriteAllText(\"$env:X\\y\", 'text')", 'echo text > "$X/y"', "moderate"],
    // Copying, moving or teeing to a file only known at run time writes it as `>` does (moderate); to a known file below high, as before.
    ["Copy-Item a $env:X\\y", 'cp a "$X/y"', "moderate"],
    ["Copy-Item -Path a -Destination $env:X\\y", 'cp -f a "$X/y"', "moderate"],
    ["cpi a $x", 'cp a "$x"', "moderate"],
    ["Move-Item a $env:X\\y", 'mv a "$X/y"', "moderate"],
    ["Move-Item -Destination $env:X -Path a", 'mv -t "$X" a', "moderate"],
    ["Copy-Item $env:X\\y b", 'cp "$X/y" b', "safe"],
    ["Copy-Item a ~\\y", "cp a ~/y", "safe"],
    ["Copy-Item a b", "cp a b", "safe"],
    // A known destination is judged as cp's is: the file, or the temporary folder's files, it writes.
    ["Copy-Item a C:\\Windows\\System32\\drivers\\etc\\hosts", "cp a /etc/hosts", "critical"],
    ["Copy-Item -Path a -Destination C:\\Windows\\System32\\drivers\\etc\\hosts", "cp -f a /etc/hosts", "critical"],
    ["copy a C:\\Windows\\System32\\drivers\\etc\\hosts", "cp a /etc/hosts", "critical"],
    ["cpi a C:\\Windows\\System32", "cp a /usr/bin", "critical"],
    ["Move-Item a C:\\Windows\\System32\\drivers\\etc\\hosts", "mv a /etc/hosts", "critical"],
    ["move a C:\\Windows\\System32\\drivers\\etc\\hosts", "mv a /etc/hosts", "critical"],
    ["Copy-Item a ~\\.bashrc", "cp a ~/.bashrc", "high"],
    ["Copy-Item a ~", "cp a ~", "high"],
    ["Copy-Item x.txt C:\\Windows\\Temp", "cp x.txt /tmp", "safe"],
    ["Copy-Item x.txt C:\\Windows\\Temp\\", "cp x.txt /tmp/", "safe"],
    ["Move-Item x.txt $env:TEMP", "mv x.txt /tmp", "safe"],
    ["Copy-Item x.txt ~\\y", "cp x.txt ~/y", "safe"],
    ["cmd /c 'echo text > %X%\\y'", 'echo text > "$X/y"', "moderate"],
    ["cmd /c 'copy a %X%\\y'", 'cp a "$X/y"', "moderate"],
    ["Set-Content ~\\y 'text'", "echo text > ~/y", "moderate"],
    ["Set-Content ~ 'text'", "echo text > ~", "high"],
    ["Set-Content C:\\Windows\\System32\\drivers\\etc\\hosts 'x'", "echo x > /etc/hosts", "critical"],
    ["Add-Content C:\\Windows\\System32\\drivers\\etc\\hosts 'x'", "echo x >> /etc/hosts", "high"],
    ["'x' | Tee-Object -FilePath ~\\.bashrc", "echo x | tee ~/.bashrc", "high"],
    ["'x' | Tee-Object -FilePath $env:X\\y", 'echo x | tee "$X/y"', "moderate"],
    ["'x' | Tee-Object $env:X\\y", 'echo x | tee "$X/y" > /dev/null', "moderate"],
    ["'x' | Tee-Object -FilePath $env:X\\y -Append", 'echo x | tee -a "$X/y"', "safe"],
    ["'x' | Tee-Object -FilePath ~\\y", "echo x | tee ~/y", "safe"],
    ["Set-Content y.txt 'text'", "echo text > y.txt", "safe"],
    ["Set-Content $env:TEMP\\y 'text'", "echo text > /tmp/y", "safe"],
    ["Set-Content a.txt $x", 'echo "$x" > a.txt', "safe"],
    ["Set-Content a.txt '/etc/shadow'", "echo /etc/shadow > a.txt", "safe"],
    ["New-Item -ItemType File -Path a.txt -Value '/etc/shadow'", "echo /etc/shadow > a.txt", "safe"],
    ["New-Item a.txt -Value C:\\Windows\\win.ini", "echo /etc/hosts > a.txt", "safe"],
    ["Set-Content $env:X\\y 'text' -WhatIf", "echo text", "safe"],
    // Without a path of its own a content writer writes the items the pipeline gives it: files only known at run time, as xargs's are.
    ["Get-ChildItem *.txt | Set-Content -Value ''", "ls | xargs truncate -s0", "moderate"],
    ["ls | Set-Content -Value ''", "ls | xargs truncate -s0", "moderate"],
    ["Get-ChildItem -Recurse *.txt | Clear-Content", "find . -name '*.txt' | xargs truncate -s0", "moderate"],
    ["gci *.txt | Add-Content -Value x", "ls | xargs -n1 sh -c 'echo x >> \"$1\"' sh", "safe"],
    ["Get-Item C:\\Windows\\System32\\drivers\\etc\\hosts | Set-Content -Value ''", "echo > /etc/hosts", "critical"],
    ["Get-ChildItem C:\\Windows\\System32 | Clear-Content", "echo > /usr/bin/x", "critical"],
    ["gi C:\\Windows\\System32\\drivers\\etc\\hosts | Add-Content -Value x", "echo x >> /etc/hosts", "high"],
    ["Get-ChildItem *.txt | Set-Content out.txt", "echo > out.txt", "safe"],
    ["Get-Content a.txt | Set-Content b.txt", "cat a.txt > b.txt", "safe"],
    // A download saved to a file writes it as the download redirected there would (`curl URL > F`).
    ["Invoke-WebRequest https://x.example/a -OutFile $env:X\\y", 'curl -o "$X/y" https://x.example/a', "moderate"],
    ["Invoke-WebRequest https://x.example/a -OutFile ~\\.bashrc", "curl -o ~/.bashrc https://x.example/a", "high"],
    ["irm https://x.example/a -OutF ~\\.bashrc", "curl -fsSLo ~/.bashrc https://x.example/a", "high"],
    ["iwr https://x.example/a -OutFile a.txt", "curl -o a.txt https://x.example/a", "safe"],
    ["iwr https://x.example/a -OutFile ~\\y", "wget -O ~/y https://x.example/a", "moderate"],
    ["Get-Process | Export-Csv -Path ~\\.bashrc", "ps > ~/.bashrc", "high"],
    ["Get-Process | Export-Csv $env:X\\y", 'ps > "$X/y"', "moderate"],
    ["Get-Process | Export-Csv -Append $env:X\\y", 'ps >> "$X/y"', "safe"],
    ["Get-Process | Export-Clixml ~\\.bashrc", "ps > ~/.bashrc", "high"],
    ["Start-Transcript -Path ~\\.bashrc", "ps > ~/.bashrc", "high"],
  ])("%j is rated as %j: %s", (line, twin, risk) => {
    const r = windows(line, "powershell");
    expect(r.risk, JSON.stringify(r)).toBe(risk);
    expect(posix(twin, "bash").risk).toBe(risk);
  });

  it.each([
    ["curl --output ~/.bashrc https://x.example/a", "high"],
    ["curl -sS --output=/etc/hosts https://x.example/a", "critical"],
    ["wget --output-document ~/.bashrc https://x.example/a", "high"],
    ["wget -qO ~/.bashrc https://x.example/a", "high"],
    ["curl -o - https://x.example/a", "safe"],
    ["wget -qO- https://x.example/a", "safe"],
    ["curl -O https://x.example/a", "safe"],
  ])("bash: %j is %s", (line, risk) => {
    const r = posix(line, "bash");
    expect(r.risk, JSON.stringify(r)).toBe(risk);
  });

  it.each([
    ["New-Item -ItemType Directory -Path C:\\Windows -Name x", "high"],
    ["New-Item -ItemType Directory C:\\Windows\\x", "high"],
    ["ni ~\\.bashrc", "high"],
  ])("New-Item is judged by the item it makes: %j is %s", (line, risk) => {
    const r = windows(line, "powershell");
    expect(r.risk, JSON.stringify(r)).toBe(risk);
  });

  it("a path only known at run time is named so", () => {
    const r = windows("Set-Content $env:X\\y 'text'", "powershell");
    expect(r.reasons.map((x) => x.detail), JSON.stringify(r)).toEqual(["writes to a file named at run time"]);
  });
});
