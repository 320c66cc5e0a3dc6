/**
 * Facts a section may need for its defaults and limits. The loader passes the real ones; docs and
 * JSON Schema generation pass these too, and sections give a `defaultText` meta for values that
 * differ from machine to machine so that the generated docs stay the same everywhere.
 */
export interface SectionContext {
  /** `os.availableParallelism()` of the machine the config is for. */
  availableParallelism: number;
  /** Default models directory, from `resolvePaths` (XDG, `WREN_HOME`). */
  modelsDir: string;
}

/** Extra JSON Schema keywords wren's sections use; z.toJSONSchema copies `.meta()` into the output. */
export interface FieldMeta {
  /** What the default is, in words, when it depends on the machine. */
  defaultText?: string;
  /** What the maximum is, in words, when it depends on the machine. */
  maxText?: string;
  /** A name for the kind of value, used in errors: `"rocm" is not a valid backend`. */
  noun?: string;
  /** A value to hide in `wren config show`. */
  secret?: boolean;
  /** A filesystem path: `~` expands, and a relative path is relative to the file that sets it. */
  path?: boolean;
  /**
   * A model ref (a name, `hf:…`, a URL or a path): one written as a relative path (`./m.gguf`,
   * `../m.gguf`) is relative to the file that sets it, as a path key is.
   */
  modelRef?: boolean;
}
