import { describe, expect, it } from "vitest";
import type { Risk } from "./types.js";
import { shellRater } from "../../test/helpers/shell-rated.js";

/**
 * An archive a command makes is a file it writes, judged as `cp x FILE` or `> FILE` is: tar's `-f
 * FILE` (`--file`, the next word after an old-style key: `tar czf FILE …`) when it creates, appends
 * to or updates one, zip's first operand (with `.zip` added where its last part has no dot: `zip
 * /etc/passwd a` writes /etc/passwd.zip, `zip ~/.bashrc a` writes ~/.bashrc itself) and its `-O
 * FILE`, 7z's archive after `a` or `u`. Unpacking into a folder is judged apart (see
 * `analyze-archive-home.test.ts`). A copy's or move's target folder given by `-t` at the end of a
 * group of short options (`cp -rt DIR …`) is read as getopt reads it, as `-t DIR` alone is. Each row
 * gives the risk and a reason the line must have.
 */
const rated = shellRater();

describe("files written by archivers and by copies into a -t folder", () => {
  it.each<[string, Risk, string?]>([
    // tar's archive when it creates, appends or updates one
    ["tar czf /etc/x.tgz dir", "critical", "overwrites the system file /etc/x.tgz"],
    ["tar -cf /etc/passwd dir", "critical", "overwrites /etc/passwd, which controls who may log in or use root"],
    ["tar -czvf /etc/hosts dir", "critical", "overwrites the system file /etc/hosts"],
    ["tar -c -f /etc/passwd dir", "critical", "overwrites /etc/passwd, which controls who may log in or use root"],
    ["tar -cf/etc/hosts dir", "critical", "overwrites the system file /etc/hosts"],
    ["tar --create --file=/etc/passwd dir", "critical", "overwrites /etc/passwd, which controls who may log in or use root"],
    ["tar --create --file /etc/hosts dir", "critical", "overwrites the system file /etc/hosts"],
    ["tar -rf /etc/hosts x", "high", "appends to the system file /etc/hosts"],
    ["tar -rf /etc/passwd x", "critical", "changes who may log in or use root (/etc/passwd)"],
    ["tar uf /etc/hosts x", "high", "appends to the system file /etc/hosts"],
    ["bsdtar -cf /etc/passwd dir", "critical", "overwrites /etc/passwd, which controls who may log in or use root"],
    ["tar -cf ~/.bashrc dir", "high", "overwrites /home/ada/.bashrc"],
    ["tar czf ~/.ssh/authorized_keys dir", "high", "overwrites /home/ada/.ssh/authorized_keys"],
    // zip's archive: its first operand, and -O's file
    ["zip /etc/passwd.zip a", "critical", "overwrites the system file /etc/passwd.zip"],
    ["zip /etc/passwd a", "critical", "overwrites the system file /etc/passwd.zip"],
    ["zip -r ~/.bashrc src", "high", "overwrites /home/ada/.bashrc"],
    ["zip -q -r /etc/cron.d/x.zip src", "critical", "overwrites the system file /etc/cron.d/x.zip"],
    ["zip -O /etc/passwd app.zip a", "critical", "overwrites the system file /etc/passwd.zip"],
    // 7z's archive after a or u
    ["7z a /etc/x.7z dir", "critical", "overwrites the system file /etc/x.7z"],
    ["7z u -p1 /etc/x.7z dir", "critical", "overwrites the system file /etc/x.7z"],
    ["7za a ~/.bashrc dir", "high", "overwrites /home/ada/.bashrc"],
    // a -t folder at the end of a group of short options, as `-t DIR` alone
    ["cp -t /etc a", "critical", "overwrites the system file /etc"],
    ["cp -rt /etc a", "critical", "overwrites the system file /etc"],
    ["cp -rt/etc a", "critical", "overwrites the system file /etc"],
    ["cp -rvt /etc a", "critical", "overwrites the system file /etc"],
    ["cp -rt ~/.ssh a", "high", "overwrites /home/ada/.ssh"],
    ["mv -ft /etc a", "critical", "moves files onto /etc, replacing it or what it holds"],
    ["install -Dt /usr/local/bin tool", "critical", "overwrites the system file /usr/local/bin"],
    ["install -Dm 755 -t /usr/local/bin tool", "critical", "overwrites the system file /usr/local/bin"],
    ["ln -st /usr/local/bin ./tool", "critical", "overwrites the system file /usr/local/bin"],
    ["cp --target /etc a", "critical", "overwrites the system file /etc"],
    // already judged: a redirection, and unpacking into a folder
    ["gzip -c x > /etc/y", "critical", "overwrites the system file /etc/y"],
    ["tar -xf x.tar -C /etc", "high", "unpacks files over /etc"],
    ["unzip x.zip -d ~/.ssh", "high", "unpacks files over /home/ada/.ssh"],
    ["tar xf x.tar -C ~", "high", "unpacks files over /home/ada"],
    // archives in the project, the temporary folder or a folder of home, and reading them
    ["tar czf dist.tgz dist", "safe"],
    ["tar -czf build/app.tgz -C /etc .", "safe"],
    ["tar -cf /tmp/x.tar dir", "safe"],
    ["tar -cf ~/backups/x.tar dir", "safe"],
    ["tar -tf /etc/x.tar", "safe"],
    ["tar -xzf x.tgz", "safe"],
    ["tar -xf x.tar -C build", "safe"],
    ["tar -cf - dir", "safe"],
    ["zip -r app.zip src", "safe"],
    ["zip -r app src", "safe"],
    ["unzip x.zip -d vendor", "safe"],
    ["7z a app.7z src", "safe"],
    ["7z x /etc/x.7z", "safe"],
    ["cp -rt build a", "safe"],
    ["cp -rt build /etc/hosts", "safe"],
    ["mv -vt build a", "safe"],
  ])("%s is %s", (line, risk, detail) => {
    const result = rated(line);
    expect(result.risk, result.shown).toBe(risk);
    if (detail) expect(result.details, result.shown).toContain(detail);
  });
});
