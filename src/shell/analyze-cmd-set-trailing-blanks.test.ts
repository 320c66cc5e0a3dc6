import { describe, expect, it } from "vitest";
import { cmdLineAsPowerShell } from "./cmd-line.js";
import type { Risk } from "./types.js";
import { shellRater } from "../../test/helpers/shell-rated.js";

/**
 * cmd.exe's `set NAME=VALUE  ` keeps the blanks before the end of the command in the value
 * (`set D=C:\ && …` sets `C:\ `, the well-known trap). cmd.exe fills `%D%` and `!D!` in before a
 * command splits its words, so a blank the value ends in ends the word there: `rd /s /q !D!tmp` is
 * `rd /s /q C:\ tmp`, which deletes C:\. At the end of a word, or inside quotes, the blanks make no
 * difference to what wren judges: Windows drops the blanks at the end of a path (`"C:\ "` is C:\), and
 * a folder whose name ends in a blank in the middle of one (`"C:\x \y"`) is one Windows tools cannot
 * make, so it is read as the path without them, the stricter reading.
 */
const rated = shellRater("C:\\Users\\ada\\code\\app", "C:\\Users\\ada");
const place = { home: "C:\\Users\\ada", cwd: "C:\\Users\\ada\\code\\app" };

describe("cmd.exe's set keeps the blanks at the end of the value", () => {
  it.each<[string, Risk, string]>([
    ['cmd /v:on /c "set D=C:\\ && rd /s /q !D!tmp"', "critical", "deletes C:\\ recursively"],
    ['cmd /c "set D=C:\\ && rd /s /q %D%tmp"', "critical", "deletes C:\\ recursively"],
    ['cmd /c "set D=C:\\  & rd /s /q %D%tmp"', "critical", "deletes C:\\ recursively"],
    ["cmd /c 'set \"D=C:\\ \" && rd /s /q %D%tmp'", "critical", "deletes C:\\ recursively"],
    ['cmd /c "set D=C:\\Users\\ada && del /s /q %D%\\x"', "critical", "C:\\Users\\ada"],
    // No blank before `&&`: one word.
    ['cmd /c "set D=C:\\&& rd /s /q %D%tmp"', "high", "deletes C:\\tmp recursively"],
    // At the end of a word, or quoted, the blanks change nothing.
    ['cmd /c "set D=C:\\ && rd /s /q %D%"', "critical", "deletes C:\\ recursively"],
    [`cmd /c 'set D=C:\\ && rd /s /q "%D%"'`, "critical", "deletes C:\\ recursively"],
    [`cmd /c 'set D=C:\\Users\\ada && rd /s /q "%D%\\code"'`, "high", "deletes C:\\Users\\ada\\code recursively"],
    // Unquoted for cmd.exe (PowerShell passes `"…"%D%\code"…"` without those quotes): two words.
    ['cmd /c "set D=C:\\Users\\ada && rd /s /q "%D%\\code""', "critical", "deletes C:\\Users\\ada recursively"],
    ['cmd /c "set D=C:\\tmp && rd /s /q %D%"', "high", "deletes C:\\tmp recursively"],
  ])("%j is %s (%s)", (command, risk, reason) => {
    const r = rated(command, "powershell");
    expect(r.risk, r.shown).toBe(risk);
    expect(r.details.some((d) => d.includes(reason)), r.shown).toBe(true);
  });

  it("reads the value with its blanks where they end a word", () => {
    expect(cmdLineAsPowerShell("set A=b  & echo x%A%y", place)).toContain("echo xb y");
    expect(cmdLineAsPowerShell("set A=b  & echo x!A!y", place)).toContain("echo xb y");
    // Quoted, the word goes on past the blanks.
    expect(cmdLineAsPowerShell('set A=b  & echo "x%A%y"', place)).toContain("echo xby");
    expect(cmdLineAsPowerShell("set A=b& echo x%A%y", place)).toContain("echo xby");
  });
});
