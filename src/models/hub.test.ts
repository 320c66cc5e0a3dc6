import { describe, expect, it } from "vitest";
import { exitCodeOf, WrenError } from "../shared/errors.js";
import { headFile, listRepoFiles, type FetchLike } from "./hub.js";

const env = { HF_ENDPOINT: "http://hub.test" };

function answering(status: number, body: string, headers: Record<string, string> = {}): FetchLike {
  return () => Promise.resolve(new Response(status === 204 ? null : body, { status, headers }));
}

async function failure(promise: Promise<unknown>): Promise<WrenError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(WrenError);
  return error as WrenError;
}

describe("Hub answers wren cannot use", () => {
  it("a file list that is not JSON says the shape is unexpected and to check HF_ENDPOINT, not a parser message", async () => {
    const error = await failure(listRepoFiles("org/repo", "main", { env, fetch: answering(200, "{not json", { "content-type": "application/json" }) }));
    expect(error.code).toBe("upstream_error");
    expect(error.message).toBe("The Hub's file list for org/repo has an unexpected shape.");
    expect(error.hint).toContain("HF_ENDPOINT");
    expect(exitCodeOf(error)).toBe(4);
  });

  it("a 429 says how long the Hub asks to wait and exits like other Hub failures", async () => {
    const listed = await failure(listRepoFiles("org/repo", "main", { env, fetch: answering(429, "slow down", { "retry-after": "3600" }) }));
    expect(listed.message).toBe("The Hub is rate limiting the file list of org/repo (429); it asks to wait 1h00m.");
    expect(listed.hint).toBe("Try again in 1h00m.");
    expect(listed).toMatchObject({ retryAfter: 3600, isRetryable: true, status: 429 });
    const head = await failure(headFile("http://hub.test/org/repo/resolve/main/m.gguf", { repo: "org/repo", label: "m.gguf" }, { env, fetch: answering(429, "", { "retry-after": "90" }) }));
    expect(head.message).toContain("wait 1m30s");
    const plain = await failure(headFile("http://hub.test/org/repo/resolve/main/m.gguf", { repo: "org/repo", label: "m.gguf" }, { env, fetch: answering(429, "") }));
    expect(plain.hint).toBe("Wait a minute and try again.");
    const broken = await failure(headFile("http://hub.test/org/repo/resolve/main/m.gguf", { repo: "org/repo", label: "m.gguf" }, { env, fetch: answering(500, "") }));
    for (const error of [listed, head, plain, broken]) expect(exitCodeOf(error)).toBe(4);
  });
});
