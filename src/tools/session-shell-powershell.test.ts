import { describe, expect, it } from "vitest";
import { invocation } from "./session-shell.js";

/** The script PowerShell runs for a command (`-EncodedCommand` is UTF-16LE in base64). */
function script(command: string): string {
  const [, args] = invocation("powershell", command, "C:\\Temp\\wren-shell-x", []);
  return Buffer.from(args[args.indexOf("-EncodedCommand") + 1]!, "base64").toString("utf16le");
}

describe("the session shell on PowerShell", () => {
  it("writes the working directory as UTF-8, which wren reads: Windows PowerShell's Set-Content writes the ANSI code page, losing a folder like C:\\Users\\José", () => {
    const line = script("cd sub").split("\n").find((l) => l.includes("Set-Content"));
    expect(line).toMatch(/Set-Content -LiteralPath 'C:\\Temp\\wren-shell-x[\\/]cwd' -Encoding UTF8 -Value/);
  });
});
