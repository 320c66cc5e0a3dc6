/**
 * A push-based queue consumed as an AsyncIterable: producers (callbacks of a native library) push
 * values; one consumer pulls them with `for await`. `end()` finishes the iteration and `fail()` makes
 * it throw. Values pushed after the end are dropped.
 */
export class AsyncQueue<T> implements AsyncIterable<T> {
  #items: T[] = [];
  #head = 0;
  #waiting: ((result: IteratorResult<T>) => void) | undefined;
  #rejectWaiting: ((error: unknown) => void) | undefined;
  #done = false;
  #error: { error: unknown } | undefined;

  push(item: T): void {
    if (this.#done) return;
    if (this.#waiting) {
      const resolve = this.#waiting;
      this.#waiting = undefined;
      this.#rejectWaiting = undefined;
      resolve({ value: item, done: false });
      return;
    }
    this.#items.push(item);
  }

  end(): void {
    if (this.#done) return;
    this.#done = true;
    if (this.#waiting) {
      const resolve = this.#waiting;
      this.#waiting = undefined;
      this.#rejectWaiting = undefined;
      resolve({ value: undefined, done: true });
    }
  }

  fail(error: unknown): void {
    if (this.#done) return;
    this.#error = { error };
    this.#done = true;
    if (this.#rejectWaiting) {
      const reject = this.#rejectWaiting;
      this.#waiting = undefined;
      this.#rejectWaiting = undefined;
      reject(error);
    }
  }

  get size(): number {
    return this.#items.length - this.#head;
  }

  #next(): Promise<IteratorResult<T>> {
    if (this.#head < this.#items.length) {
      const value = this.#items[this.#head] as T;
      this.#head++;
      if (this.#head > 1024 && this.#head * 2 > this.#items.length) {
        this.#items = this.#items.slice(this.#head);
        this.#head = 0;
      }
      return Promise.resolve({ value, done: false });
    }
    // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- rethrows what the producer failed with
    if (this.#error) return Promise.reject(this.#error.error);
    if (this.#done) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve, reject) => {
      this.#waiting = resolve;
      this.#rejectWaiting = reject;
    });
  }

  [Symbol.asyncIterator](): AsyncIterator<T> {
    return {
      next: () => this.#next(),
      return: () => {
        this.end();
        return Promise.resolve({ value: undefined, done: true });
      },
    };
  }
}
