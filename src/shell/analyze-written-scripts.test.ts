import { describe, expect, it } from "vitest";
import { shellRater } from "../../test/helpers/shell-rated.js";
import type { Risk, ShellKind } from "./types.js";

/** A script the line writes itself (`echo … > x.sh`, `cat > x.sh <<EOF`) and then runs. */
const rated = shellRater();

describe("running a script the line writes", () => {
  it.each<[ShellKind, string]>([
    ["bash", "cmd /c 'echo rd /s /q C:\\ > a.bat & a.bat'"],
    ["bash", "cmd /c 'echo rd /s /q C:\\ > a.bat & a'"],
    ["bash", "cmd /c 'echo rd /s /q C:\\ > a.bat & start a.bat'"],
    ["bash", "echo 'rm -rf ~' > x.sh; sh x.sh"],
    ["bash", "echo 'rm -rf ~' > x.sh; bash x.sh"],
    ["bash", "echo 'rm -rf ~' > x.sh; chmod +x x.sh; ./x.sh"],
    ["bash", "echo 'rm -rf ~' > x.sh; source x.sh"],
    ["bash", "echo 'rm -rf ~' > x.sh; . ./x.sh"],
    ["bash", "printf 'rm -rf ~\\n' > x.sh && bash x.sh"],
    ["bash", "cat > x.sh <<EOF\nrm -rf ~\nEOF\nsh x.sh"],
    ["bash", "cat <<'EOF' > x.sh\nrm -rf ~\nEOF\nbash ./x.sh"],
  ])("%s: %j is as critical as the text it writes", (shell, command) => {
    const r = rated(command, shell);
    expect(r.risk, r.shown).toBe("critical");
  });

  it.each<[ShellKind, string, Risk]>([
    // The text is harmless: running it is too.
    ["bash", "echo 'ls -la' > x.sh; sh x.sh", "safe"],
    ["bash", "cmd /c 'echo dir > a.bat & a.bat'", "safe"],
    // Text wren cannot know, or a file appended to, is an unknown script.
    ["bash", "echo \"$X\" > x.sh; sh x.sh", "high"],
    ["bash", "echo 'ls' >> x.sh; bash x.sh", "high"],
    ["bash", "make-script > x.sh; ./x.sh", "high"],
    ["bash", "echo 'import os' > x.py; python3 x.py", "high"],
    // Writing a file without running it is not running it.
    ["bash", "echo 'rm -rf ~' > notes.txt", "safe"],
  ])("%s: %j is %s", (shell, command, risk) => {
    const r = rated(command, shell);
    expect(r.risk, r.shown).toBe(risk);
  });
});
