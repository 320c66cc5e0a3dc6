/**
 * Collects a stream's text up to a cap without holding more than about twice the cap: past it,
 * the start and the end are kept (a command's first lines say what it did, its last lines how it
 * ended) and the middle is counted, not stored.
 */
export class CappedOutput {
  readonly #max: number;
  #all = "";
  #head = "";
  #tail = "";
  #total = 0;
  #overflowed = false;

  /** @param maxChars The most characters `text()` returns besides the note about the cut. */
  constructor(maxChars: number) {
    this.#max = Math.max(2, maxChars);
  }

  push(chunk: string): void {
    this.#total += chunk.length;
    if (this.#total <= this.#max) {
      this.#all += chunk;
      return;
    }
    const half = Math.floor(this.#max / 2);
    if (!this.#overflowed) {
      const joined = this.#all + chunk;
      this.#head = joined.slice(0, half);
      this.#tail = joined.slice(half);
      this.#all = "";
      this.#overflowed = true;
    } else {
      this.#tail += chunk;
    }
    if (this.#tail.length > this.#max) this.#tail = this.#tail.slice(-(this.#max - half));
  }

  /** Characters seen in all. */
  get totalChars(): number {
    return this.#total;
  }

  /** Characters left out of `text()`. */
  get cutChars(): number {
    return Math.max(0, this.#total - this.#max);
  }

  /** The output, with a marker where the middle was cut. */
  text(): string {
    if (this.#total <= this.#max) return this.#all;
    const half = Math.floor(this.#max / 2);
    const tail = this.#tail.slice(-(this.#max - half));
    return `${this.#head}\n\n[… ${this.cutChars} characters cut …]\n\n${tail}`;
  }
}
