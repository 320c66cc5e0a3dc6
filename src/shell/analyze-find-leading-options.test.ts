import { describe, expect, it } from "vitest";
import type { Risk } from "./types.js";
import { shellRater } from "../../test/helpers/shell-rated.js";

/**
 * find's options before its starting points (GNU's `-H`, `-L`, `-P`, `-D DEBUGOPTS`, `-O LEVEL`;
 * BSD's `-E`, `-X`, `-s`, `-x`, and `-f PATH`, a starting point) do not end the starting points:
 * `find -L / -delete` deletes under `/`, not under `.`.
 */
const rated = shellRater();

describe("find's starting points after its leading options", () => {
  it.each<[string, Risk, string?]>([
    ["find -L / -delete", "critical"],
    ["find -H /etc -delete", "critical"],
    ["find -P ~ -type f -delete", "critical"],
    ["find -D tree / -delete", "critical"],
    ["find -O3 / -delete", "critical"],
    ["find -L -H / -exec rm -rf {} +", "critical"],
    ["find -x / -delete", "critical"],
    ["find -E / -regex '.*' -delete", "critical"],
    ["find -f / -delete", "critical"],
    // Unchanged: a start in the project, and none (`.`).
    ["find -L . -name '*.log' -delete", "moderate", "deletes the files find matches under ."],
    ["find -L build -delete", "moderate"],
    ["find / -delete", "critical"],
    ["find -L -name '*.tmp' -delete", "moderate", "deletes the files find matches under ."],
  ])("%s is %s", (line, risk, detail) => {
    const result = rated(line);
    expect(result.risk, result.shown).toBe(risk);
    if (detail) expect(result.details, result.shown).toContain(detail);
  });
});
