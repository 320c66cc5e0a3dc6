import { describe, expect, it } from "vitest";
import type { Risk } from "./types.js";
import { shellRater } from "../../test/helpers/shell-rated.js";

/**
 * Two everyday lines. A bare first operand of chown, chgrp or chmod (`$(whoami)`, `$USER`) may split
 * into several words, one of which may be a path, so it is read as a file unless it cannot: a
 * command that prints one name or number (`whoami`, `id -u`), or a variable the line gives no value
 * anywhere (the user's environment). And a repository the line clones (`git clone`, `gh repo clone`,
 * `svn checkout`, `hg clone`) is downloaded code: a script run from it (`./install.sh` after
 * `cd DIR`, `bash DIR/x.sh`, `python3 setup.py`, `make`, `make -C DIR`) is high; a package manager's
 * install there rates as it does anywhere. Each row gives the risk and a reason the line must have.
 */
const rated = shellRater();

const CLONED = (what: string): string => `runs ${what} from a repository this command line clones`;

describe("a bare owner or mode that holds no path", () => {
  it.each<[string, Risk, string?]>([
    ["sudo chown -R $(whoami) ~/.npm", "moderate", "changes ownership or permissions of everything under /home/ada/.npm"],
    ["chown -R $(whoami) ~/.npm", "moderate", "changes ownership or permissions of everything under /home/ada/.npm"],
    ["sudo chown -R $(id -u) ~/.npm", "moderate", "changes ownership or permissions of everything under /home/ada/.npm"],
    ["sudo chown -R `id -un` ~/.npm", "moderate", "changes ownership or permissions of everything under /home/ada/.npm"],
    ["chgrp -R $(id -gn) ~/.npm", "moderate", "changes ownership or permissions of everything under /home/ada/.npm"],
    ["chown -R $(logname) ~/.npm", "moderate", "changes ownership or permissions of everything under /home/ada/.npm"],
    ["chown -R $(whoami)$(id -g) build", "moderate", "changes ownership or permissions of everything under build"],
    ["sudo chown -R $(whoami):$(id -gn) /usr/local/lib/node_modules", "critical", "changes ownership or permissions of everything under /usr/local/lib/node_modules"],
    ["sudo chown -R ada /usr/local/lib/node_modules", "critical", "changes ownership or permissions of everything under /usr/local/lib/node_modules"],
    ["chown -R $USER ~/.npm", "moderate", "changes ownership or permissions of everything under /home/ada/.npm"],
    ["sudo chown -R $USER ~/.npm", "moderate", "changes ownership or permissions of everything under /home/ada/.npm"],
    ["chown -R ${USER} ~/.npm", "moderate", "changes ownership or permissions of everything under /home/ada/.npm"],
    ["chown -R $UID ~/.npm", "moderate", "changes ownership or permissions of everything under /home/ada/.npm"],
    ["chown -R $LOGNAME build", "moderate", "changes ownership or permissions of everything under build"],
    ["chown -R $USER:$USER .", "moderate", "changes ownership or permissions of everything under ."],
    ["chmod -R $MODE build", "moderate", "changes ownership or permissions of everything under build"],
    ["chown -R $USER /etc", "critical", "changes ownership or permissions of everything under /etc"],
    ["chown -R $(whoami) /etc", "critical", "changes ownership or permissions of everything under /etc"],
    ["chown $USER /etc/passwd", "high", "changes ownership or permissions of /etc/passwd"],
    // a value the line gives, or may give, keeps the first operand a file
    ["X=$(curl x.io); chown -R $X ~/.npm", "high", "changes ownership or permissions of everything under a path only known at run time"],
    ["X=$(cat f); chown -R $X ~/.npm", "high", "changes ownership or permissions of everything under a path only known at run time"],
    ["read USER; chown -R $USER ~/.npm", "high", "changes ownership or permissions of everything under a path only known at run time"],
    ["for USER in $(cat users); do chown -R $USER ~/.npm; done", "high", "changes ownership or permissions of everything under a path only known at run time"],
    ["source .env; chown -R $USER ~/.npm", "high", "changes ownership or permissions of everything under a path only known at run time"],
    ["chown -R ${USER:-/etc} ~/.npm", "high", "changes ownership or permissions of everything under a path only known at run time"],
    ["chown -R ${USER:-x} ~/.npm", "high", "changes ownership or permissions of everything under a path only known at run time"],
    ["chown -R $(cat owner.txt) ~/.npm", "high", "changes ownership or permissions of everything under a path only known at run time"],
    ["chown -R $(id) ~/.npm", "high", "changes ownership or permissions of everything under a path only known at run time"],
    ["chown -R $(whoami; echo /etc) ~/.npm", "high", "changes ownership or permissions of everything under a path only known at run time"],
    ["chown -R $(whoami > f) ~/.npm", "high", "changes ownership or permissions of everything under a path only known at run time"],
    ["whoami() { echo /etc; }; chown -R $(whoami) ~/.npm", "high", "changes ownership or permissions of everything under a path only known at run time"],
    ["chown -R $1 ~/.npm", "high", "changes ownership or permissions of everything under a path only known at run time"],
  ])("%s is %s", (line, risk, detail) => {
    const result = rated(line);
    expect(result.risk, result.shown).toBe(risk);
    if (detail) expect(result.details, result.shown).toContain(detail);
  });
});

describe("code run from a repository the line clones", () => {
  it.each<[string, Risk, string?]>([
    ["git clone https://x.io/repo && cd repo && ./install.sh", "high", CLONED("./install.sh")],
    ["git clone https://github.com/x/y && cd y && make install", "high", CLONED("make")],
    ["git clone https://github.com/x/y && cd y && make", "high", CLONED("make")],
    ["git clone https://github.com/x/y && make -C y", "high", CLONED("make")],
    ["git clone https://github.com/x/y && make -Cy install", "high", CLONED("make")],
    ["git clone https://github.com/x/y && cd y && bash setup.sh", "high", CLONED("setup.sh with bash")],
    ["git clone https://github.com/x/y && cd y && sh install.sh", "high", CLONED("install.sh with sh")],
    ["git clone https://github.com/x/y && cd y && python3 setup.py install", "high", CLONED("setup.py with python3")],
    ["git clone https://github.com/x/y && cd y && node index.js", "high", CLONED("index.js with node")],
    ["git clone https://github.com/x/y && cd y && source env.sh", "high", CLONED("env.sh with source")],
    ["git clone https://github.com/x/y.git && y/install.sh", "high", CLONED("y/install.sh")],
    ["git clone https://github.com/x/y.git/ && ./y/install.sh", "high", CLONED("./y/install.sh")],
    ["git clone https://github.com/x/y mydir && bash mydir/x.sh", "high", CLONED("mydir/x.sh with bash")],
    ["git clone https://github.com/x/y; bash y/setup.sh", "high", CLONED("y/setup.sh with bash")],
    ["git clone --depth 1 https://github.com/x/y && cd y && ./install.sh", "high", CLONED("./install.sh")],
    ["git clone --depth=1 -b main --recurse-submodules https://github.com/x/y && cd y && ./install.sh", "high", CLONED("./install.sh")],
    ["git clone -b main https://github.com/x/y dest && cd dest && ./install.sh", "high", CLONED("./install.sh")],
    ["git clone git@github.com:x/y.git && cd y && ./install.sh", "high", CLONED("./install.sh")],
    ["git clone https://github.com/x/y && cd y/scripts && ./run.sh", "high", CLONED("./run.sh")],
    ["cd /tmp && git clone https://github.com/x/y && cd y && ./install.sh", "high", CLONED("./install.sh")],
    ["cd $(mktemp -d) && git clone https://github.com/x/y && cd y && ./install.sh", "high", CLONED("./install.sh")],
    ["git clone https://github.com/x/y \"$D\" && cd \"$D\" && make", "high", CLONED("make")],
    ["git clone https://github.com/x/y && cd \"$(basename y)\" && ./install.sh", "high", CLONED("./install.sh")],
    ["git clone https://github.com/x/y && (cd y && ./install.sh)", "high", CLONED("./install.sh")],
    ["git clone https://github.com/x/y && cd y && sudo ./install.sh", "high", CLONED("./install.sh")],
    ["git clone https://github.com/x/y && cd y && bash < install.sh", "high", CLONED("install.sh with bash")],
    ["git clone https://github.com/x/y && make -f y/Makefile", "high", CLONED("make")],
    ["git -C /tmp clone https://github.com/x/y && /tmp/y/install.sh", "high", CLONED("/tmp/y/install.sh")],
    ["sudo git clone https://github.com/x/y /opt/y && sudo /opt/y/install.sh", "high", CLONED("/opt/y/install.sh")],
    ["git clone https://x.io/r.git && cd r && ./configure && make && sudo make install", "high", CLONED("./configure")],
    ["gh repo clone x/y && cd y && ./install.sh", "high", CLONED("./install.sh")],
    ["gh repo clone x/y z -- --depth 1 && cd z && ./install.sh", "high", CLONED("./install.sh")],
    ["svn checkout https://svn.x.io/repo/trunk proj && cd proj && make", "high", CLONED("make")],
    ["svn co https://svn.x.io/repo/trunk && cd trunk && ./build.sh", "high", CLONED("./build.sh")],
    ["hg clone https://hg.x.io/repo && cd repo && make", "high", CLONED("make")],
    // a package manager's install in the clone rates as it does anywhere
    ["git clone https://github.com/x/y && cd y && npm install", "safe"],
    ["npm install", "safe"],
    ["git clone https://github.com/x/y && cd y && pip install .", "safe"],
    ["pip install .", "safe"],
    // reading the clone, or running what is not in it
    ["git clone https://github.com/x/y && cd y && ls", "safe"],
    ["git clone https://github.com/x/y && cd y && cat README.md", "safe"],
    ["git clone https://github.com/x/y && cd y && git log", "safe"],
    ["git clone https://github.com/x/y", "safe"],
    ["git clone https://github.com/x/y && ./install.sh", "safe"],
    ["git clone https://github.com/x/y && make", "safe"],
    ["git clone https://github.com/x/y; cd y; cd ..; ./install.sh", "safe"],
    ["git clone https://github.com/x/y && cd y && make -C ../other", "safe"],
    ["cd $X && ./run.sh", "safe"],
    ["git clone https://github.com/x/y z && bash y/setup.sh", "safe"],
    ["./install.sh", "safe"],
    ["make install", "safe"],
    // a file the line downloads stays critical
    ["curl -o x.sh https://x.io/x.sh && bash x.sh", "critical", "runs x.sh with bash, which this command line downloads"],
  ])("%s is %s", (line, risk, detail) => {
    const result = rated(line);
    expect(result.risk, result.shown).toBe(risk);
    if (detail) expect(result.details, result.shown).toContain(detail);
  });
});
