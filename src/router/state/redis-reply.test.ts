import { describe, expect, it } from "vitest";
import { explainRedisReply } from "./redis-reply.js";

// The replies below are Redis 7's own wording; the cases a test server cannot be set up to give
// (a command renamed away in redis.conf, a cluster) are checked on the text alone.
describe("explainRedisReply", () => {
  it("names a command renamed or disabled in the server's config, and what wren needs", () => {
    const r = explainRedisReply("ERR unknown command 'EVAL', with args beginning with: 'local' ", "wren:");
    expect(r).toMatchObject({ code: "ERR", scope: "server", retryable: false });
    expect(r.hint).toContain("wren needs EVAL");
  });

  it("drops the script's name and line from an error inside a script", () => {
    const r = explainRedisReply("WRONGTYPE Operation against a key holding the wrong kind of value script: cebcaa4da4a58102edf116dd117be86421e9478a, on @user_script:2.", "prod:");
    expect(r.said).toBe("WRONGTYPE Operation against a key holding the wrong kind of value");
    expect(r.scope).toBe("key");
    expect(r.hint).toContain("'prod:'");
  });

  it("sends a cluster node's redirection to a standalone server", () => {
    expect(explainRedisReply("MOVED 3999 127.0.0.1:6381", "wren:").hint).toContain("standalone server");
  });
});
