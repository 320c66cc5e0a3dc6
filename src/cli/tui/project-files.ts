/** Paths offered for `@` at most: a huge tree still completes, from the first ones walked. */
export const MAX_PROJECT_FILES = 20_000;

/**
 * The project's files for `@path` completion, listed once on first use (not at start-up, so the
 * first frame never waits on a walk), as git sees the tree: `.gitignore` applies and `.git` is never
 * entered, the same walk as the Glob tool's. Relative to the root, with `/` on every platform.
 */
export class ProjectFiles {
  #files: readonly string[] = [];
  #loading: Promise<void> | undefined;

  constructor(
    readonly root: string,
    private readonly onLoaded: () => void,
  ) {}

  /** The files listed so far (none until the walk is done); the first call starts the walk. */
  get files(): readonly string[] {
    this.#loading ??= this.#load();
    return this.#files;
  }

  /** Resolves once the walk has finished (for tests). */
  async loaded(): Promise<void> {
    this.#loading ??= this.#load();
    await this.#loading;
  }

  async #load(): Promise<void> {
    try {
      const { globby } = await import("globby");
      const found = await globby(["**/*"], { cwd: this.root, gitignore: true, dot: true, ignore: ["**/.git/**"], onlyFiles: true, followSymbolicLinks: false, suppressErrors: true });
      this.#files = found.slice(0, MAX_PROJECT_FILES).sort();
    } catch {
      // Completion is a convenience: an unreadable tree offers no paths rather than an error.
      this.#files = [];
    }
    this.onLoaded();
  }
}
