import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { createServerApp } from "../../src/server/app.js";
import { geminiGenerateContentRequestSchema } from "../../src/wire/gemini/index.js";
import { openaiChatRequestSchema } from "../../src/wire/openai/index.js";
import { responsesCreateRequestSchema } from "../../src/wire/openai/responses-request.js";
import { ScriptedHost, ScriptedModel } from "../helpers/scripted-host.js";
import { projectRoot } from "../helpers/shared-models.js";
import { agentClients } from "./clients.js";

/**
 * What the agent CLIs sent, captured once (test/clients/capture-fixtures.ts) and kept in
 * test/fixtures/clients/<cli>.<dialect>.json, checked against wren's request schema for the dialect
 * and answered by the real server app over a scripted model: a schema regression fails here in
 * milliseconds, before the slow real-clients suite runs. `*.anthropic.json` are checked the same
 * way by src/server/anthropic-fixtures.test.ts.
 */
const dir = path.join(projectRoot, "test", "fixtures", "clients");
const fixtureSchema = z.object({ path: z.string(), headers: z.record(z.string(), z.string()), body: z.record(z.string(), z.unknown()) });

const checks: Record<string, { schema: z.ZodType; answered: (text: string) => void } | "elsewhere"> = {
  anthropic: "elsewhere",
  openai: { schema: openaiChatRequestSchema, answered: (text) => expect(text).toContain("Hello.") },
  responses: { schema: responsesCreateRequestSchema, answered: (text) => expect(text).toContain("Hello.") },
  gemini: { schema: geminiGenerateContentRequestSchema, answered: (text) => expect(text).toContain("Hello.") },
};

const files = readdirSync(dir).filter((n) => n.endsWith(".json")).sort();
const fixtures = files.map((name) => {
  const [client = "", dialect = ""] = name.split(".");
  return { name, client, dialect, ...fixtureSchema.parse(JSON.parse(readFileSync(path.join(dir, name), "utf8"))) };
});
const checked = fixtures.filter((f) => checks[f.dialect] !== "elsewhere");

/** The model a request names: in its body, or in a Gemini path (`models/{model}:action`). */
const modelOf = (f: (typeof fixtures)[number]): string => (typeof f.body["model"] === "string" ? f.body["model"] : (/models\/([^/:]+):/.exec(f.path)?.[1] ?? ""));

describe("requests the agent CLIs send, as captured", () => {
  it("there is one fixture per pinned CLI, named <cli>.<dialect>.json after its dialect", () => {
    expect(fixtures.map((f) => `${f.client}.${f.dialect}`).sort()).toEqual(agentClients.map((c) => `${c.name}.${c.dialect}`).sort());
    for (const f of fixtures) expect(Object.keys(checks)).toContain(f.dialect);
  });

  it.each(checked)("$name validates against wren's request schema", (f) => {
    const check = checks[f.dialect];
    if (check === undefined || check === "elsewhere") throw new Error(`no check for ${f.dialect}`);
    const result = check.schema.safeParse(f.body);
    expect(result.success ? [] : result.error.issues).toEqual([]);
  });

  it.each(checked)("$name is answered by the server at its own path", async (f) => {
    const check = checks[f.dialect];
    if (check === undefined || check === "elsewhere") throw new Error(`no check for ${f.dialect}`);
    const model = modelOf(f);
    const { app } = createServerApp({ host: new ScriptedHost(new Map([[model, new ScriptedModel(model, () => ({ text: "Hello.", chunk: 64 }))]])) });
    const res = await app.request(f.path, { method: "POST", headers: { ...f.headers, "content-type": "application/json" }, body: JSON.stringify(f.body) });
    const text = await res.text();
    expect({ status: res.status, text: res.status === 200 ? "" : text }).toEqual({ status: 200, text: "" });
    check.answered(text);
  });
});
