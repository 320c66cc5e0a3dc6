import { describe, expect, it } from "vitest";
import { defaultConfig } from "../index.js";
import { section } from "./state.js";

describe("state config section", () => {
  it("takes a Redis URL with its password and database", () => {
    expect(section().parse({ redis: "rediss://:pw@redis.wren.svc:6380/2" })).toMatchObject({ redis: "rediss://:pw@redis.wren.svc:6380/2", keyPrefix: "wren:" });
  });

  it("refuses a Redis URL that does not parse, or names no host, when the config is checked, without repeating it", () => {
    for (const redis of ["redis://:hunter2secret@bad host:6379", "redis://", "redis://[::1"]) {
      expect(() => section().parse({ redis })).toThrow(/state\.redis|host/);
      let message = "";
      try {
        defaultConfig({}, { state: { redis } });
      } catch (error) {
        message = (error as Error).message;
      }
      expect(message).toMatch(/state\.redis/);
      expect(message).not.toContain("hunter2secret");
    }
  });
});
