import { createInterface } from "node:readline/promises";

export interface ConsentPromptStreams {
  input: NodeJS.ReadableStream & { isTTY?: boolean };
  output: NodeJS.WritableStream;
}

/**
 * The CLI's question for `router.cloud = "ask"`: asked on the terminal when the router first wants
 * a cloud target (the router's ConsentGate keeps the answer for the session). Returns undefined
 * when stdin is not a terminal: there is nobody to ask, so cloud targets are refused with a hint.
 */
export function terminalCloudConsent(
  streams: ConsentPromptStreams = { input: process.stdin, output: process.stderr },
): ((target: string, signal?: AbortSignal) => Promise<boolean>) | undefined {
  if (!streams.input.isTTY) return undefined;
  return async (target, signal) => {
    const rl = createInterface({ input: streams.input, output: streams.output, terminal: false });
    try {
      // A request cancelled meanwhile takes the question down (rejecting), rather than leaving it to read a line.
      const answer = await rl.question(`wren: send this request to ${target}? It leaves this machine. [y/N] `, signal ? { signal } : {});
      return /^\s*y(es)?\s*$/i.test(answer);
    } finally {
      rl.close();
    }
  };
}
