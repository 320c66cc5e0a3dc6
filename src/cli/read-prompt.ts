import { fstatSync } from "node:fs";
import { WrenError } from "../shared/errors.js";

/** More text than this on stdin is refused rather than read into memory and sent to a model. */
const MAX_PIPED_BYTES = 16 * 1024 * 1024;

/**
 * The prompt from the command line, or from stdin when none is given (or `-`). `example` is the
 * command line the hint shows for passing one: the command the user ran (`wren -p "…"` is not `wren run`).
 *
 * With a prompt given, text piped in by a shell (`git diff | wren -p "review this"`) or redirected
 * from a file (`< log.txt`) follows it, after a blank line, as `claude -p` and `ollama run` take it.
 * Only a pipe or a file is read: a terminal never is, nor the socket or `/dev/null` a program that
 * runs wren usually leaves as its stdin, so a caller that never closes its end does not hold the run.
 */
export async function readPrompt(words: string[], example = 'wren run "Once upon a time"'): Promise<string> {
  if (words.length > 0 && !(words.length === 1 && words[0] === "-")) {
    const prompt = words.join(" ");
    const piped = pipedIn() ? await readStdin() : "";
    if (prompt.trim() === "") {
      // `wren -p ""` (an unset variable in a script): the model would be asked nothing.
      if (piped) return piped;
      throw new WrenError("bad_request", "The prompt is empty.", { hint: `Pass it as an argument (${example}) or pipe it on stdin.` });
    }
    return piped ? `${prompt}\n\n${piped}` : prompt;
  }
  if (process.stdin.isTTY) {
    throw new WrenError("bad_request", "No prompt given.", { hint: `Pass it as an argument (${example}) or pipe it on stdin.` });
  }
  const text = await readStdin();
  if (!text) throw new WrenError("bad_request", "The prompt on stdin is empty.", { hint: "Pipe some text in, or pass the prompt as an argument." });
  return text;
}

/** True when stdin is a pipe or a file: what a shell's `|` or `<` gives. */
function pipedIn(): boolean {
  try {
    const stat = fstatSync(0);
    return stat.isFIFO() || stat.isFile();
  } catch {
    return false;
  }
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  let bytes = 0;
  for await (const chunk of process.stdin) {
    bytes += (chunk as Buffer).length;
    if (bytes > MAX_PIPED_BYTES) {
      process.stdin.destroy();
      throw new WrenError("bad_request", `The text on stdin is over ${MAX_PIPED_BYTES / 1024 / 1024} MB: more than any model's context holds.`, {
        hint: "Pipe in the part that matters, or name the file in the prompt and let the assistant read what it needs.",
      });
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString("utf8").trim();
}
