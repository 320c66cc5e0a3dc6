import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { ScriptedHost, ScriptedModel } from "../../test/helpers/scripted-host.js";
import { anthropicCountTokensRequestSchema, anthropicMessagesRequestSchema } from "../wire/anthropic/index.js";
import { createServerApp } from "./app.js";
import { anthropicMessagesToRequest, anthropicToRequest } from "./codecs/anthropic-request.js";

/**
 * Requests as Anthropic clients send them, checked against wren's request schemas without a
 * model: a schema regression fails here before the slow real-clients suite runs. Written fixtures
 * live in test/fixtures/anthropic/; captured ones (`*.anthropic.json`) in test/fixtures/clients/.
 */
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../test/fixtures");
const dirs = [path.join(root, "anthropic"), path.join(root, "clients")];

/** A fixture is a bare body, or `{path?, headers?, body}` as captured from a client. */
const fixtureSchema = z.union([
  z.object({ path: z.string().optional(), headers: z.record(z.string(), z.string()).optional(), body: z.record(z.string(), z.unknown()) }),
  z.record(z.string(), z.unknown()).transform((body) => ({ body, path: undefined, headers: undefined })),
]);

const fixtures = dirs.flatMap((dir) => {
  let names: string[];
  try {
    names = readdirSync(dir).filter((n) => n.endsWith(".anthropic.json"));
  } catch {
    return [];
  }
  return names.sort().map((name) => {
    const parsed = fixtureSchema.parse(JSON.parse(readFileSync(path.join(dir, name), "utf8")));
    const countTokens = parsed.path?.includes("count_tokens") ?? !("max_tokens" in parsed.body);
    return { name: `${path.basename(dir)}/${name}`, ...parsed, countTokens };
  });
});

describe("Anthropic requests as clients send them", () => {
  it("finds the written fixtures", () => {
    expect(fixtures.filter((f) => f.name.startsWith("anthropic/")).length).toBeGreaterThanOrEqual(4);
  });

  it.each(fixtures)("$name validates and converts", (fixture) => {
    const schema = fixture.countTokens ? anthropicCountTokensRequestSchema : anthropicMessagesRequestSchema;
    const result = schema.safeParse(fixture.body);
    expect(result.success ? [] : result.error.issues).toEqual([]);
    const body = anthropicMessagesRequestSchema.safeParse(fixture.body);
    const { request } = body.success ? anthropicMessagesToRequest(body.data, undefined) : anthropicToRequest(anthropicCountTokensRequestSchema.parse(fixture.body), undefined);
    expect(request.messages.some((m) => m.role === "user")).toBe(true);
    // Every custom tool the client declared reaches the model under its own name.
    const declared = ((fixture.body["tools"] ?? []) as Array<{ type?: string; name: string }>).filter((t) => t.type === undefined || t.type === "custom");
    for (const tool of declared) expect(request.tools?.map((t) => t.name)).toContain(tool.name);
  });

  it.each(fixtures)("$name is answered by the server at its own path", async (fixture) => {
    const model = String(fixture.body["model"]);
    const scripted = new ScriptedModel(model, () => ({ text: "Hello." }));
    const { app } = createServerApp({ host: new ScriptedHost(new Map([[model, scripted]])) });
    const res = await app.request(fixture.path ?? (fixture.countTokens ? "/v1/messages/count_tokens" : "/v1/messages"), {
      method: "POST",
      headers: { ...fixture.headers, "content-type": "application/json" },
      body: JSON.stringify(fixture.body),
    });
    const text = await res.text();
    expect({ status: res.status, text: res.status === 200 ? "" : text }).toEqual({ status: 200, text: "" });
    if (fixture.countTokens) expect(JSON.parse(text)).toEqual({ input_tokens: expect.any(Number) as number });
    else if (fixture.body["stream"] === true) expect(text).toContain("event: message_stop");
    else expect(JSON.parse(text)).toMatchObject({ type: "message", content: [{ type: "text", text: "Hello." }] });
  });
});
