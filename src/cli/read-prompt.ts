import { WrenError } from "../shared/errors.js";

/**
 * The prompt from the command line, or from stdin when none is given (or `-`). `example` is the
 * command line the hint shows for passing one: the command the user ran (`wren -p "…"` is not `wren run`).
 */
export async function readPrompt(words: string[], example = 'wren run "Once upon a time"'): Promise<string> {
  if (words.length > 0 && !(words.length === 1 && words[0] === "-")) return words.join(" ");
  if (process.stdin.isTTY) {
    throw new WrenError("bad_request", "No prompt given.", { hint: `Pass it as an argument (${example}) or pipe it on stdin.` });
  }
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString("utf8").trim();
  if (!text) throw new WrenError("bad_request", "The prompt on stdin is empty.", { hint: "Pipe some text in, or pass the prompt as an argument." });
  return text;
}
