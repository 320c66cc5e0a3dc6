import { describe, expect, it } from "vitest";
import { z } from "zod";
import { defaultConfig } from "../config/index.js";
import { createConfigSchema } from "../config/config-schema.js";
import { sectionContext } from "../config/load-config.js";
import { anthropicMessagesRequestSchema } from "../wire/anthropic/index.js";
import { FIRST_ISSUE_ONLY } from "../wire/first-issue.js";
import { openaiChatRequestSchema } from "../wire/openai/index.js";
import { safeParseWith } from "./zod-parse.js";

const anthropicBody = {
  model: "auto",
  max_tokens: 64,
  system: [{ type: "text", text: "Be brief.", cache_control: { type: "ephemeral" } }],
  messages: [
    { role: "user", content: "Read a.ts" },
    { role: "assistant", content: [{ type: "text", text: "Reading." }, { type: "tool_use", id: "toolu_1", name: "Read", input: { file_path: "a.ts" } }] },
    {
      role: "user",
      content: [
        { type: "tool_result", tool_use_id: "toolu_1", content: [{ type: "text", text: "export {}" }, { type: "search_result", source: "x" }] },
        { type: "server_tool_use", id: "srv_1" },
      ],
    },
  ],
};

describe("safeParseWith", () => {
  it("gives what zod's safeParse gives with the same options, transforms included, for values that pass", () => {
    const cases: Array<[z.ZodType, unknown]> = [
      [openaiChatRequestSchema, { model: "m", messages: [{ role: "user", content: "Hi" }], stream: false, temperature: 0.5 }],
      // Blocks of types wren does not read become { type: "ignored" }: a transform, run inside the parse.
      [anthropicMessagesRequestSchema, anthropicBody],
      [z.object({ n: z.string().transform((s) => s.length), d: z.number().default(3) }), { n: "four" }],
    ];
    for (const [schema, value] of cases) {
      const expected = schema.safeParse(value, FIRST_ISSUE_ONLY);
      expect(expected.success).toBe(true);
      expect(safeParseWith(schema, value, FIRST_ISSUE_ONLY)).toEqual(expected);
    }
    expect(JSON.stringify(safeParseWith(anthropicMessagesRequestSchema, anthropicBody, FIRST_ISSUE_ONLY).data)).toContain('"originalType":"search_result"');
  });

  it("words a failure as safeParse does: the first issue only with abortEarly, the input with reportInput", () => {
    const body = { model: "m", messages: Array.from({ length: 50 }, (_, i) => i) };
    const first = safeParseWith(openaiChatRequestSchema, body, FIRST_ISSUE_ONLY);
    expect(first.success).toBe(false);
    expect(first.error?.issues).toHaveLength(1);
    expect(first.error?.issues).toEqual(openaiChatRequestSchema.safeParse(body, FIRST_ISSUE_ONLY).error?.issues);

    const schema = createConfigSchema(sectionContext({ env: {} }));
    const bad = { server: { port: "eighty" } };
    const reported = safeParseWith(schema, bad, { reportInput: true, jitless: true });
    expect(reported.success).toBe(false);
    expect(reported.error?.issues[0]).toMatchObject({ path: ["server", "port"], input: "eighty" });
    expect(reported.error?.issues).toEqual(schema.safeParse(bad, { reportInput: true, jitless: true }).error?.issues);
  });

  it("reads the config as before: defaults, and the values set", () => {
    const config = defaultConfig({ env: {} }, { server: { port: 8123 } });
    expect(config.server.port).toBe(8123);
    expect(config).toEqual(createConfigSchema(sectionContext({ env: {} })).parse({ server: { port: 8123 } }));
  });
});
