import { describe, expect, it } from "vitest";
import { shellRater } from "../../test/helpers/shell-rated.js";

/**
 * Only `pipx run PKG` fetches a package and runs it at once (moderate, as npx and `uv tool run`);
 * pipx's other commands manage installed tools: `pipx install PKG` rates as `pip install PKG` and
 * `uv tool install PKG` do, `pipx uninstall` as `pip uninstall`, and listing or setting up PATH is safe.
 */
const rated = shellRater();

describe("pipx", () => {
  it.each(["pipx run black .", "pipx run --spec black==24.1.0 black .", "pipx run --python python3.12 evilpkg", "pipx --verbose run evilpkg"])("%s fetches and runs a package, as npx does", (line) => {
    const r = rated(line);
    expect(r.risk, r.shown).toBe(rated("npx evilpkg").risk);
    expect(r.risk, r.shown).toBe("moderate");
    expect(r.details.join("\n"), r.shown).toMatch(/downloads and runs a package/);
  });

  it("pipx install rates as pip install and uv tool install", () => {
    for (const pkg of ["black", "git+https://github.com/psf/black"]) {
      const r = rated(`pipx install ${pkg}`);
      expect(r.risk, r.shown).toBe(rated(`pip install ${pkg}`).risk);
      expect(r.risk, r.shown).toBe(rated(`uv tool install ${pkg}`).risk);
      expect(r.details.join("\n"), r.shown).not.toMatch(/downloads and runs/);
    }
  });

  it("pipx uninstall rates as pip uninstall", () => {
    const r = rated("pipx uninstall black");
    expect(r.risk, r.shown).toBe(rated("pip uninstall black").risk);
    expect(r.details, r.shown).toEqual(["uninstalls packages"]);
  });

  it("managing installed tools is safe", () => {
    for (const line of ["pipx list", "pipx --version", "pipx ensurepath", "pipx upgrade black", "pipx upgrade-all", "pipx inject black black-plugin", "pipx environment", "pipx completions"]) {
      const r = rated(line);
      expect(r.risk, `${line}\n${r.shown}`).toBe("safe");
    }
  });
});
