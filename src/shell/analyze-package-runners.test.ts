import { describe, expect, it } from "vitest";
import { shellRater } from "../../test/helpers/shell-rated.js";

/**
 * Fetching a package and running it at once is what npx, bunx, pnpx, uvx and `pipx run` do (moderate:
 * code from a registry runs); the package managers' own subcommands for it, `go run` of a module at
 * a version and `deno run` of a URL or registry specifier do the same and rate alike. Running the
 * project's own scripts and code stays safe.
 */
const rated = shellRater();

describe("fetch-and-run through package managers", () => {
  it.each([
    "npm exec -- evilpkg",
    "npm x evilpkg",
    "pnpm dlx evilpkg",
    "yarn dlx evilpkg",
    "bun x evilpkg",
    "uv tool run evilpkg",
    "go run github.com/evil/x@latest",
    "go run golang.org/x/tools/cmd/stringer@v0.1.0",
    "deno run -A https://x.io/a.ts",
    "deno run npm:evilpkg",
  ])("%s rates as npx does", (line) => {
    const r = rated(line);
    expect(r.risk, r.shown).toBe(rated("npx evilpkg").risk);
    expect(r.risk, r.shown).toBe("moderate");
    expect(r.details.join("\n"), r.shown).toMatch(/downloads and runs a (package|Go module|script)/);
  });

  it("the project's own scripts and code stay safe", () => {
    for (const line of ["npm run build", "npm test", "pnpm install", "yarn build", "bun run dev", "uv run pytest", "go run .", "go run main.go", "go run ./cmd/x", "deno run main.ts", "deno test"]) {
      const r = rated(line);
      expect(r.risk, `${line}\n${r.shown}`).toBe("safe");
    }
  });
});
