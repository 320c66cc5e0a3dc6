import { InputLookupTokenPredictor, TokenPredictor, type LlamaContextSequence, type Token } from "node-llama-cpp";

/** Longest run of steps a refuted lookup waits before predicting again (`auto`). */
const MAX_PAUSE = 64;
/** Most tokens one lookup offers. */
const MAX_LENGTH = 16;

/**
 * Prompt-lookup (n-gram) prediction over the whole prompt: the last tokens generated are looked up
 * in the prompt, and what followed them there is offered as the next tokens, verified in one batch
 * with the next step. It pays when the answer repeats its input (an agent rewriting a file).
 *
 * node-llama-cpp's own chat hands its predictor only the last user message, which leaves out the
 * system prompt and tool results where an agent's file usually is: the prompt is set here per
 * request instead ({@link usePrompt}), and the library's narrower update is ignored.
 *
 * `adaptive` (the `auto` setting) offers 2 tokens at first, twice as many after a prediction
 * accepted whole (up to 16) and half as many after a refuted one; and it pauses after a refuted
 * prediction, twice as long after each consecutive one, so an answer that does not repeat its input
 * pays for a few short wasted guesses rather than a long one per match. Without it (`lookup`),
 * every match offers 8 tokens.
 */
export class PromptLookupPredictor extends TokenPredictor {
  readonly #lookup: InputLookupTokenPredictor;
  readonly #adaptive: boolean;
  #sequence: LlamaContextSequence | undefined;
  #seen = { validated: 0, refuted: 0 };
  #pause = 0;
  #wait = 0;
  #length = 2;
  #offered = 0;

  constructor(options: { adaptive: boolean }) {
    super();
    this.#adaptive = options.adaptive;
    // Two tokens of pattern: one alone matches by chance too often in ordinary text.
    this.#lookup = new InputLookupTokenPredictor({ patternLength: { min: 2 }, predictionLength: { max: options.adaptive ? MAX_LENGTH : 8 } });
  }

  /** The prompt of the request about to run on this predictor's sequence. */
  usePrompt(tokens: readonly Token[]): void {
    this.#lookup.updateInputTokens([...tokens]);
    this.#pause = 0;
    this.#wait = 0;
    this.#length = 2;
    this.#offered = 0;
  }

  override updateInputTokens(): void {
    // Ignored on purpose: see the class comment.
  }

  override reset(params: { targetSequence: LlamaContextSequence; stateTokens: Token[] }): void {
    this.#sequence = params.targetSequence;
    this.#seen = this.#counts();
    this.#lookup.reset({ stateTokens: params.stateTokens });
  }

  override pushTokens(tokens: Token[]): void {
    this.#lookup.pushTokens(tokens);
  }

  override predictTokens(): Token[] {
    if (this.#adaptive) {
      const now = this.#counts();
      const refuted = now.refuted > this.#seen.refuted;
      const accepted = now.validated > this.#seen.validated;
      const whole = accepted && !refuted && now.validated - this.#seen.validated >= this.#offered;
      this.#seen = now;
      if (refuted) this.#length = Math.max(1, this.#length >> 1);
      else if (whole) this.#length = Math.min(MAX_LENGTH, this.#length * 2);
      if (refuted && !accepted) {
        this.#pause = Math.min(MAX_PAUSE, Math.max(1, this.#pause * 2));
        this.#wait = this.#pause;
      } else if (accepted) {
        this.#pause = 0;
        this.#wait = 0;
      }
      this.#offered = 0;
      if (this.#wait > 0) {
        this.#wait--;
        return [];
      }
      const predicted = this.#lookup.predictTokens().slice(0, this.#length);
      this.#offered = predicted.length;
      return predicted;
    }
    return this.#lookup.predictTokens();
  }

  override dispose(): void {
    this.#lookup.dispose();
  }

  #counts(): { validated: number; refuted: number } {
    const stats = this.#sequence?.tokenPredictions;
    return { validated: stats?.validated ?? 0, refuted: stats?.refuted ?? 0 };
  }
}
