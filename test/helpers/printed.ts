import { vi } from "vitest";

/** What a command run in the test's own process writes to stdout and stderr. */
export interface Printed {
  out: string;
  err: string;
}

/**
 * Collects what is written to stdout and stderr from now on, instead of printing it; `vi.restoreAllMocks()`
 * (in `afterEach`) lets the streams print again.
 */
export function capturePrinted(): Printed {
  const printed: Printed = { out: "", err: "" };
  vi.spyOn(process.stdout, "write").mockImplementation((chunk) => ((printed.out += String(chunk)), true));
  vi.spyOn(process.stderr, "write").mockImplementation((chunk) => ((printed.err += String(chunk)), true));
  return printed;
}
