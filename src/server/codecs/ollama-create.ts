import type { OllamaCreateRequest } from "../../wire/ollama/index.js";
import { WrenError } from "../../shared/errors.js";

/** What an Ollama create request asks for, as wren can serve it: a name and where its weights are. */
export interface CreateSource {
  name: string;
  /** A served model's name, or a path to a GGUF file on the server's disk. */
  from: string;
}

const FIELD_HINT = "wren serves a GGUF file as it is: set the system prompt, template and sampling per request instead.";

/** The value of a Modelfile line, without the quotes Ollama allows around it. */
function unquote(value: string): string {
  const v = value.trim();
  return v.length >= 2 && v.startsWith('"') && v.endsWith('"') ? v.slice(1, -1) : v;
}

/** The `FROM` of a Modelfile; any other instruction is refused, since wren would not apply it. */
function modelfileFrom(modelfile: string): string {
  let from: string | undefined;
  for (const raw of modelfile.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line || line.startsWith("#")) continue;
    const [word = "", ...rest] = line.split(/\s+/);
    const instruction = word.toUpperCase();
    if (instruction === "FROM") {
      from = unquote(rest.join(" "));
      continue;
    }
    throw new WrenError("unsupported", `The Modelfile's ${instruction} instruction is not supported: only FROM is.`, { hint: FIELD_HINT });
  }
  if (!from) throw new WrenError("bad_request", "The Modelfile has no FROM line.", { hint: "Write `FROM /path/to/model.gguf`." });
  return from;
}

/**
 * Reads a create request: `from` (a served model or a GGUF path), or the older `modelfile` with
 * its `FROM` line. Fields that would change the model (quantize, template, system, parameters,
 * adapters, uploaded files) are refused with what to do instead, rather than ignored.
 */
export function createSource(body: OllamaCreateRequest): CreateSource {
  const name = body.model ?? body.name;
  if (!name) throw new WrenError("bad_request", "model is required.", { hint: 'Send {"model": "NAME", "from": "/path/model.gguf"}.' });
  const unsupported = (["quantize", "files", "adapters", "template", "system", "parameters", "messages"] as const).filter((k) => body[k] !== undefined);
  if (unsupported.length > 0) {
    throw new WrenError("unsupported", `Creating a model with ${unsupported.join(", ")} is not supported.`, {
      hint: body.files || body.quantize ? "Send \"from\" with the path of a GGUF file on the server's disk." : FIELD_HINT,
    });
  }
  const from = body.from ?? (body.modelfile !== undefined ? modelfileFrom(body.modelfile) : undefined);
  if (!from) throw new WrenError("bad_request", "Nothing to create the model from.", { hint: 'Send "from": a served model\'s name, or the path of a GGUF file on the server\'s disk.' });
  return { name, from };
}
