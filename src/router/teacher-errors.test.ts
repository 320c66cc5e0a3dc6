import { describe, expect, it } from "vitest";
import { streamParts } from "../../test/helpers/fake-upstreams/conformance.js";
import { startFakeUpstream, type FakeUpstream } from "../../test/helpers/fake-upstreams/index.js";
import { providerModelFor } from "../../test/helpers/fake-upstreams/provider-models.js";
import { userText } from "../protocol/index.js";
import { Router } from "./router.js";

/** A router whose default route tries the stand-in teacher `primary`, then `backup` when given. */
function routerOver(primary: FakeUpstream, backup?: FakeUpstream): Router {
  return new Router({
    targets: [
      { id: "anthropic:claude", model: providerModelFor("anthropic", primary.url), leavesMachine: true },
      ...(backup ? [{ id: "openai:gpt", model: providerModelFor("openai", backup.url), leavesMachine: true }] : []),
    ],
    routes: {
      default: { type: "fallback", targets: [{ type: "target", target: "anthropic:claude" }, ...(backup ? [{ type: "target" as const, target: "openai:gpt" }] : [])] },
    },
    consent: { policy: "allow" },
    retry: { maxRetries: 0 },
  });
}

const notFound = { kind: "body", status: 404, body: { type: "error", error: { type: "not_found_error", message: "model: claude-nonexistent" } } } as const;
const invalid = { kind: "body", status: 400, body: { type: "error", error: { type: "invalid_request_error", message: "temperature: range: 0..1" } } } as const;

describe("a teacher wren chose that refuses the request as not found or invalid", () => {
  it.each([
    ["404", notFound],
    ["400", invalid],
  ])("%s: the next target answers", async (_status, fault) => {
    await using primary = await startFakeUpstream("anthropic");
    await using backup = await startFakeUpstream("openai");
    primary.fail(fault);
    const router = routerOver(primary, backup);
    const parts = await streamParts(router.doStream({ messages: [userText("Hi")] }));
    expect(parts.at(-1)).toMatchObject({ type: "finish", provenance: { provider: "openai", reason: "fallback" } });
  });

  it.each([
    ["404", notFound, /model: claude-nonexistent/],
    ["400", invalid, /temperature: range/],
  ])("%s from the last target: a 502 that names the teacher, not the client's own not-found or bad request", async (_status, fault, words) => {
    await using primary = await startFakeUpstream("anthropic");
    primary.fail(fault, 2);
    const router = routerOver(primary);
    const parts = await streamParts(router.doStream({ messages: [userText("Hi")] }));
    expect(parts).toHaveLength(1);
    const error = parts[0]!.type === "error" ? parts[0].error : undefined;
    expect(error).toMatchObject({ code: "upstream_error", status: 502, message: expect.stringMatching(words) });
    expect(error?.message).toContain("anthropic:claude");
    expect(error?.hint).toMatch(/anthropic:claude/);
    await expect(router.doGenerate({ messages: [userText("Hi")] })).rejects.toMatchObject({ code: "upstream_error", status: 502 });
  });

  it("a provider:model the client named itself keeps the upstream's not-found: the client chose that model", async () => {
    await using primary = await startFakeUpstream("anthropic");
    primary.fail(notFound);
    const router = routerOver(primary);
    const parts = await streamParts(router.model("anthropic:claude").doStream({ messages: [userText("Hi")] }));
    expect(parts.at(-1)).toMatchObject({ type: "error", error: { code: "model_not_found", status: 404 } });
  });
});
