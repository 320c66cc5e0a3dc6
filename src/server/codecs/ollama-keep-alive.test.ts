import { describe, expect, it } from "vitest";
import { WrenError } from "../../shared/errors.js";
import { keepAliveMs } from "./ollama-keep-alive.js";

describe("Ollama keep_alive", () => {
  it("reads seconds, numeric strings and Go durations; negative keeps the model loaded", () => {
    const cases: Array<[string | number | undefined, number | undefined]> = [
      [undefined, undefined],
      [0, 0],
      ["0", 0],
      [300, 300_000],
      [1.5, 1500],
      ["300", 300_000],
      ["5m", 300_000],
      ["1h30m", 5_400_000],
      ["1.5h", 5_400_000],
      ["250ms", 250],
      ["10s", 10_000],
      [-1, -1],
      ["-1", -1],
      ["-1m", -1],
    ];
    for (const [value, ms] of cases) expect([value, keepAliveMs(value)]).toEqual([value, ms]);
  });

  it("refuses what is not a duration with a bad_request that says what to send", () => {
    for (const value of ["soon", "5 minutes", "m", "5d", "", Number.NaN]) {
      const error = (() => {
        try {
          keepAliveMs(value);
        } catch (e) {
          return e;
        }
        return undefined;
      })();
      expect(error).toBeInstanceOf(WrenError);
      expect((error as WrenError).code).toBe("bad_request");
      expect((error as WrenError).hint).toMatch(/"5m"/);
    }
  });
});
