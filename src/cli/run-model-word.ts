import { statSync } from "node:fs";
import { findCatalogEntry } from "../models/catalog.js";
import { parseModelRef, type ModelRef } from "../models/ref.js";
import { WrenError } from "../shared/errors.js";
import { shellWord } from "../shared/shell-word.js";

/**
 * A word that can only name a model, read as every model reference is ({@link parseModelRef}): a
 * Hub reference, a `.gguf` file or the URL of one, or a catalog name. A prompt rarely starts with
 * one alone; a user used to `ollama run MODEL` or `wren probe MODEL` often does. A word with spaces
 * is a prompt of its own ("Describe x.gguf") unless it is a GGUF file that is there (a path with spaces).
 */
function namesModel(word: string): boolean {
  let ref: ModelRef;
  try {
    ref = parseModelRef(word);
  } catch {
    // `hf:` that is no valid reference is still meant as one.
    return word.startsWith("hf:");
  }
  const gguf = /\.gguf$/i;
  switch (ref.kind) {
    case "hf":
      return true;
    case "url":
      return gguf.test(new URL(ref.url).pathname);
    case "path":
      return gguf.test(word) && (!/\s/.test(word) || isFile(word));
    case "name":
      return !/\s/.test(word) && findCatalogEntry(word) !== undefined;
  }
}

function isFile(text: string): boolean {
  try {
    return statSync(text, { throwIfNoEntry: false })?.isFile() ?? false;
  } catch {
    // A prompt longer than a path may be, or one naming something wren may not read.
    return false;
  }
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
