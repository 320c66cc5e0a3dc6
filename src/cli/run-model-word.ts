import { statSync } from "node:fs";
import { findCatalogEntry } from "../models/catalog.js";
import { WrenError } from "../shared/errors.js";

/**
 * A word that can only name a model: a `.gguf` file, a Hub reference, a URL of a GGUF file or a
 * catalog name. A prompt rarely starts with one alone; a user used to `ollama run MODEL` or
 * `wren probe MODEL` often does. A word with spaces is a prompt of its own ("Describe x.gguf")
 * unless it is a GGUF file that is there (a path with spaces).
 */
function namesModel(word: string): boolean {
  if (/\s/.test(word)) return /\.gguf$/i.test(word) && isFile(word);
  return word.startsWith("hf:") || /\.gguf$/i.test(word) || findCatalogEntry(word) !== undefined;
}

function isFile(text: string): boolean {
  try {
    return statSync(text, { throwIfNoEntry: false })?.isFile() ?? false;
  } catch {
    // A prompt longer than a path may be, or one naming something wren may not read.
    return false;
  }
}

/** A word as a POSIX shell reads it back: bare when it is plain, in double quotes unless it holds what they would expand. */
function shellWord(text: string): string {
  if (/^[\w./:@%+=,~-]+$/.test(text)) return text;
  if (!/["$`\\!]/.test(text)) return `"${text}"`;
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

/**
 * `wren run MODEL PROMPT` or `wren -p MODEL TASK` without --model: the refusal that says so, or
 * undefined when the first word is not a model. Without it the model's name is sent as the start of
 * the prompt to the default model, which wren first downloads when none is configured. `command`
 * is what the user ran (`wren run`, `wren -p`): the command line shown adds --model to it.
 */
export function modelGivenAsPrompt(words: readonly string[], command: string): WrenError | undefined {
  const [first, ...rest] = words;
  if (first === undefined || !namesModel(first)) return undefined;
  const prompt = rest.join(" ");
  const example = `${command} --model ${shellWord(first)}${prompt ? ` ${shellWord(prompt)}` : ""}`;
  return new WrenError("bad_request", `"${first}" is a model, but \`${command}\` reads its words as the prompt.`, {
    hint: `Name the model with --model: ${example}`,
  });
}
