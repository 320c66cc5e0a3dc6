import { describe, expect, it } from "vitest";
import type { Risk } from "./types.js";
import { shellRater } from "../../test/helpers/shell-rated.js";

/**
 * A command's first operand is not always a file: chmod's mode, chown's owner, chgrp's group,
 * chattr's attributes, sed's script and perl's script file come first (`targets.leading`), unless an
 * option gives them (`--reference RFILE`, `sed -e SCRIPT`, `perl -e CODE`), and a mode may be written
 * as an option (`chmod -w FILE`, `chattr -i FILE`). The reason names the file acted on. A copy's
 * destination is read past the options that take a value, wherever they stand
 * (`install SRC DEST -m 755`). Each row gives the risk and a reason the line must have.
 */
const rated = shellRater();

describe("leading operands are no targets", () => {
  it.each<[string, Risk, string?]>([
    // chmod: the mode comes first, or as an option word
    ["chmod -R 755 build", "moderate", "changes ownership or permissions of everything under build"],
    ["chmod -R u+w build", "moderate", "changes ownership or permissions of everything under build"],
    ["chmod 755 -R build", "moderate", "changes ownership or permissions of everything under build"],
    ["chmod -R -- 755 build", "moderate", "changes ownership or permissions of everything under build"],
    ["chmod -R \"$MODE\" build", "moderate", "changes ownership or permissions of everything under build"],
    ["read MODE; chmod -R $MODE build", "high", "changes ownership or permissions of everything under a path only known at run time"],
    ["chmod -R -w build", "moderate", "changes ownership or permissions of everything under build"],
    ["chmod -w /etc/passwd", "high", "changes ownership or permissions of /etc/passwd"],
    ["chmod -x /etc/passwd", "high", "changes ownership or permissions of /etc/passwd"],
    ["chmod -R -rwx /etc", "critical", "changes ownership or permissions of everything under /etc"],
    ["chmod -R --reference=ref build", "moderate", "changes ownership or permissions of everything under build"],
    ["chmod -R --reference ref /etc", "critical", "changes ownership or permissions of everything under /etc"],
    // chown, chgrp: the owner or group comes first; --from OWNER is an option's value
    ["chown -R ada:ada build", "moderate", "changes ownership or permissions of everything under build"],
    ["chown -R --from=root ada build", "moderate", "changes ownership or permissions of everything under build"],
    ["chown -R --reference=/etc/passwd build", "moderate", "changes ownership or permissions of everything under build"],
    ["chown ada /etc/passwd", "high", "changes ownership or permissions of /etc/passwd"],
    ["chgrp -R wheel build", "moderate", "changes ownership or permissions of everything under build"],
    ["chgrp -R wheel /", "critical", "changes ownership or permissions of everything under /"],
    // chattr: the attributes come first, as +i, =i or -i
    ["chattr -R +i build", "moderate", "changes ownership or permissions of everything under build"],
    ["chattr -R +i -a build", "moderate", "changes ownership or permissions of everything under build"],
    ["chattr -R =i build", "moderate", "changes ownership or permissions of everything under build"],
    ["chattr +i /etc/passwd", "high", "changes ownership or permissions of /etc/passwd"],
    ["chattr -i /etc/passwd", "high", "changes ownership or permissions of /etc/passwd"],
    ["chattr -R -i /etc", "critical", "changes ownership or permissions of everything under /etc"],
    ["chattr -Ri /etc", "critical", "changes ownership or permissions of everything under /etc"],
    // sed: the script comes first unless -e or -f gives it
    ["sed -i '/etc/d' notes.txt", "moderate", "edits files in place"],
    ["sed -i 's#/etc/hosts#x#' notes.txt", "moderate", "edits files in place"],
    ["sed -i -n '/etc/p' notes.txt", "moderate", "edits files in place"],
    ["sed -i -e '/etc/d' notes.txt", "moderate", "edits files in place"],
    ["sed -i '/etc/d' /etc/passwd", "critical", "overwrites /etc/passwd, which controls who may log in or use root"],
    ["sed -ni '/etc/p' /etc/hosts", "critical", "overwrites the system file /etc/hosts"],
    ["sed -i --expression='/etc/d' /etc/hosts", "critical", "overwrites the system file /etc/hosts"],
    // perl -i: the script file comes first unless -e or -E gives the code
    ["perl -i script.pl notes.txt", "moderate", "edits files in place"],
    ["perl -i /etc/x.pl notes.txt", "moderate", "edits files in place"],
    ["perl -pi /etc/x.pl notes.txt", "moderate", "edits files in place"],
    ["perl -i script.pl /etc/hosts", "critical", "overwrites the system file /etc/hosts"],
    ["perl -i -E 'say' /etc/hosts", "critical", "overwrites the system file /etc/hosts"],
    // cp, mv, install, ln: the destination is read past the options that take a value
    ["install a.sh /usr/local/bin/tool -m 755", "critical", "overwrites the system file /usr/local/bin/tool"],
    ["install -o root a /etc/x -g wheel", "critical", "overwrites the system file /etc/x"],
    ["cp a /etc/hosts -S .bak", "critical", "overwrites the system file /etc/hosts"],
    ["ln -s a /etc/hosts -S .bak", "critical", "overwrites the system file /etc/hosts"],
    ["cp a ~/.bashrc -S .bak", "high", "overwrites /home/ada/.bashrc"],
    ["cp ./git ~/.local/bin/ -S .bak", "high", "puts /home/ada/.local/bin/git on the PATH, where it runs instead of the command of that name in every later shell"],
    // right before: regression rows
    ["chmod -R 777 /etc", "critical", "changes ownership or permissions of everything under /etc"],
    ["chmod 600 ~/.ssh/id_rsa", "moderate", "changes ownership or permissions of /home/ada/.ssh/id_rsa"],
    ["chmod 755 /etc", "high", "changes ownership or permissions of /etc"],
    ["chown -R ada /srv/app", "critical", "changes ownership or permissions of everything under /srv/app"],
    ["sed -i 's/a/b/' /etc/hosts", "critical", "overwrites the system file /etc/hosts"],
    ["sed -i -e '/etc/d' /etc/hosts", "critical", "overwrites the system file /etc/hosts"],
    ["perl -i -pe 's/a/b/' /etc/hosts", "critical", "overwrites the system file /etc/hosts"],
    ["chmod --reference=/etc/shadow notes.txt", "safe"],
    ["chmod --reference /etc/shadow /etc/passwd", "high", "changes ownership or permissions of /etc/passwd"],
    ["chmod -x f", "safe"],
    ["cp a /etc/hosts", "critical", "overwrites the system file /etc/hosts"],
    ["install -m 755 a.sh /usr/local/bin/tool", "critical", "overwrites the system file /usr/local/bin/tool"],
  ])("%s is %s", (line, risk, detail) => {
    const result = rated(line);
    expect(result.risk, result.shown).toBe(risk);
    if (detail) expect(result.details, result.shown).toContain(detail);
  });
});

describe("a leading operand is named in no reason", () => {
  it.each<[string, string]>([
    ["sed -ni '/etc/p' /etc/hosts", "writes to /etc/p"],
    ["sed -i '/etc/d' /etc/passwd", "writes to /etc/d"],
    ["perl -i /etc/x.pl /etc/hosts", "writes to /etc/x.pl"],
    ["chown -R /etc/x build", "changes ownership or permissions of everything under /etc/x"],
  ])("%s does not say %s", (line, detail) => {
    const result = rated(line);
    expect(result.details, result.shown).not.toContain(detail);
  });
});
