import os from "node:os";
import type { CapturedRequest } from "./recording-proxy.js";

/**
 * A captured request as kept in test/fixtures/clients/<cli>.<dialect>.json: the shape
 * src/server/anthropic-fixtures.test.ts also reads (`{path, headers, body}`).
 */
export interface ClientFixture {
  path: string;
  headers: Record<string, string>;
  body: Record<string, unknown>;
}

// Headers that say what the client speaks; everything else (keys, hosts, lengths, session ids) goes.
const keptHeaders = /^(content-type|accept|anthropic-version|anthropic-beta|user-agent|openai-beta|x-goog-api-client)$/;
/** Strings longer than this are cut: system prompts and tool descriptions are long, their shape is not. */
const maxString = 400;

const uuid = /\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi;

function shorten(value: unknown, home: string): unknown {
  if (typeof value === "string") {
    const local = value
      .split(home)
      .join("/home/user")
      .split(os.homedir())
      .join("/home/user")
      // Installation, session and turn ids: stable per machine, meaningless in a fixture.
      .replace(uuid, "00000000-0000-4000-8000-000000000000")
      .replace(/\/tmp\/wren-client-[\w-]+/g, "/home/user")
      .replace(/(OS Version: \w+)[^\n]*/g, "$1");
    return local.length > maxString ? `${local.slice(0, maxString)} […]` : local;
  }
  if (Array.isArray(value)) return value.map((v) => shorten(v, home));
  if (value && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, k === "user_id" ? "user_wren_fixture" : shorten(v, home)]));
  }
  return value;
}

/** The request as a fixture: no secrets, no paths of this machine, long texts cut. */
export function toFixture(request: CapturedRequest, home = "/nonexistent-home"): ClientFixture {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) {
    if (typeof value === "string" && keptHeaders.test(name)) headers[name] = value;
  }
  return { path: request.path.replace(/([?&])key=[^&]*/, "$1key=KEY"), headers, body: shorten(request.body, home) as Record<string, unknown> };
}
