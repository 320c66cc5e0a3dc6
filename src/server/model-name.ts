import { WrenError } from "../shared/errors.js";

/** The longest model name a client may send. Real names (`hf:org/repo:Q4_K_M`, `openai:gpt-4o`) are far shorter. */
export const MAX_MODEL_NAME = 256;

// Letters, marks, digits, punctuation, symbols and the plain space: what a model name is made of.
// Control, format (invisible, bidi), private-use and unassigned characters and lone surrogates are not.
const PRINTABLE = /^[\p{L}\p{M}\p{N}\p{P}\p{S} ]$/u;

const RULE = `Model names are 1 to ${MAX_MODEL_NAME} printable characters: letters, digits, punctuation, symbols and spaces.`;

function invalid(problem: string): WrenError {
  return new WrenError("bad_request", `The model name ${problem}.`, {
    hint: `${RULE} List the served ones with GET /v1/models or /api/tags.`,
    details: { param: "model" },
  });
}

/**
 * Checks a model name from a client before anything looks it up, so that it can neither break a
 * response header nor make the server keep state for it. Throws `bad_request` (400) saying what is
 * allowed; the name itself is not echoed, since it may be huge or unprintable.
 */
export function checkModelName(name: string): void {
  if (name.length === 0) throw invalid("is empty");
  if (name.length > MAX_MODEL_NAME) throw invalid(`is ${name.length} characters long; the limit is ${MAX_MODEL_NAME}`);
  let position = 0;
  for (const char of name) {
    position += 1;
    if (!PRINTABLE.test(char)) {
      const code = char.codePointAt(0) ?? 0;
      throw invalid(`has a character that is not allowed at position ${position}: U+${code.toString(16).toUpperCase().padStart(4, "0")}`);
    }
  }
}
