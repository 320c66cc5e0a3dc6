import type { LlamaModel, Token } from "node-llama-cpp";

/** node-llama-cpp's `onToken` and `onTextChunk` callbacks of a generation. */
export interface ChunkCallbacks {
  onToken: (tokens: Token[]) => void;
  onText: (text: string) => void;
}

/**
 * The callbacks for continuing a final model message (prefill). node-llama-cpp detokenizes the
 * first chunk it generates without the tokens before it, so a SentencePiece tokenizer drops that
 * chunk's leading space ("Hello from the" + "tiny"): the first chunk is detokenized again after
 * the prompt's last tokens. node-llama-cpp calls `onToken` with a chunk's tokens before
 * `onTextChunk` with its text; later chunks already follow the tokens generated before them.
 */
export function continuedText(model: LlamaModel, promptTail: readonly Token[], callbacks: ChunkCallbacks): ChunkCallbacks {
  let first: Token[] | undefined;
  let fixed = false;
  return {
    onToken: (tokens) => {
      // Tokens whose text is not whole yet (a character split across tokens) come before it too.
      if (!fixed) first = first === undefined ? [...tokens] : [...first, ...tokens];
      callbacks.onToken(tokens);
    },
    onText: (text) => {
      if (!fixed && first !== undefined) {
        fixed = true;
        callbacks.onText(model.detokenize(first, false, promptTail.slice(-16)));
        return;
      }
      callbacks.onText(text);
    },
  };
}
