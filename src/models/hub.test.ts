import { describe, expect, it } from "vitest";
import { exitCodeOf, WrenError } from "../shared/errors.js";
import { listRepoFiles, type FetchLike } from "./hub.js";

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
});
