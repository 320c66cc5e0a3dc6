import { WrenError } from "../../shared/errors.js";

const UNIT_MS: Record<string, number> = { ns: 1e-6, us: 1e-3, "µs": 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
const DURATION = /^([+-]?)((?:\d+(?:\.\d*)?|\.\d+)(?:ns|us|µs|ms|s|m|h))+$/;
const PART = /(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|ms|s|m|h)/g;

function invalid(value: unknown): WrenError {
  return new WrenError("bad_request", `keep_alive ${JSON.stringify(value)} is not a duration.`, {
    hint: 'Send seconds as a number (300, 0 to unload after the request, -1 to keep the model loaded) or a duration such as "5m" or "1h30m".',
    details: { param: "keep_alive" },
  });
}

/**
 * Ollama's `keep_alive` in milliseconds: a number of seconds, or a Go duration string ("5m",
 * "1h30m", "0"); a number in a string counts as seconds. Negative means "keep loaded" (-1).
 * Undefined when the request does not say.
 */
export function keepAliveMs(value: string | number | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value === "number") {
    if (!Number.isFinite(value)) throw invalid(value);
    return value < 0 ? -1 : Math.round(value * 1000);
  }
  const text = value.trim();
  if (/^[+-]?(\d+(\.\d*)?|\.\d+)$/.test(text)) return keepAliveMs(Number(text));
  if (!DURATION.test(text)) throw invalid(value);
  let ms = 0;
  for (const [, amount, unit] of text.matchAll(PART)) ms += Number(amount) * (UNIT_MS[unit ?? ""] ?? 0);
  return text.startsWith("-") ? -1 : Math.round(ms);
}
