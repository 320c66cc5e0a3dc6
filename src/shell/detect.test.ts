import { describe, expect, it } from "vitest";
import { detectMachine, detectShell, parseShellKind } from "./detect.js";
import { shellInvocation } from "./exec.js";

describe("shell detection", () => {
  it("reads --shell names and aliases, and rejects unknown ones with the choices", () => {
    expect(parseShellKind("Fish")).toBe("fish");
    expect(parseShellKind("pwsh")).toBe("powershell");
    expect(parseShellKind("dash")).toBe("sh");
    expect(() => parseShellKind("tcsh")).toThrow(expect.objectContaining({ code: "bad_request", hint: "Use one of: bash, zsh, sh, fish, powershell." }));
  });

  it("takes the shell from $SHELL, else the platform default", () => {
    expect(detectShell({ SHELL: "/usr/local/bin/fish" }, "linux")).toBe("fish");
    expect(detectShell({ SHELL: "/bin/zsh" }, "darwin")).toBe("zsh");
    expect(detectShell({ SHELL: "/bin/tcsh" }, "linux")).toBe("bash");
    expect(detectShell({}, "win32")).toBe("powershell");
  });

  it("detects the OS and the GNU or BSD flavour of core tools", () => {
    const machine = detectMachine("bash");
    expect(machine.os).toMatch(/^(Linux|macOS|Windows|\w+) \(/);
    if (process.platform === "linux") expect(machine.coreutils).toBe("GNU");
  });

  it("runs commands through the chosen shell", () => {
    expect(shellInvocation("fish", "ls")).toEqual(["fish", ["-c", "ls"]]);
    expect(shellInvocation("powershell", "dir", "linux")).toEqual(["pwsh", ["-NoProfile", "-Command", "dir"]]);
    expect(shellInvocation("powershell", "dir", "win32")[0]).toBe("powershell.exe");
  });
});
