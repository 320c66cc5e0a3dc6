import type { StreamPart } from "../../protocol/index.js";

type BlockPart = Extract<StreamPart, { type: "text-start" | "text-delta" | "text-end" | "tool-input-start" | "tool-input-delta" | "tool-input-end" | "tool-call" }>;

function blockKey(part: StreamPart): string | undefined {
  switch (part.type) {
    case "text-start":
    case "text-delta":
    case "text-end":
      return `t:${part.id}`;
    case "tool-input-start":
    case "tool-input-delta":
    case "tool-input-end":
      return `u:${part.id}`;
    case "tool-call":
      return `u:${part.toolCallId}`;
    default:
      return undefined;
  }
}

/** A text block ends at its `text-end`, a tool call at its complete `tool-call` (after its `tool-input-end`). */
const ends = (part: BlockPart): boolean => part.type === "text-end" || part.type === "tool-call";

/** The block's end went out, or is among its parts: a text's `text-end`, a call's `tool-input-end` or `tool-call`. */
const closes = (part: BlockPart): boolean => ends(part) || part.type === "tool-input-end";

/** The part that closes the block `key`. */
function endOf(key: string): StreamPart {
  const id = key.slice(2);
  return key.startsWith("t:") ? { type: "text-end", id } : { type: "tool-input-end", id };
}

/**
 * Puts content blocks one after another. Models and upstreams may interleave blocks (a second
 * tool call starts before the first one's end, which often comes only with the finish), while
 * Anthropic's and the Responses API's streams open a block only after the one before it closed,
 * and clients parse them that way. Parts of a block that starts while another is open are held
 * back until that one ends; at the finish (or an error) each held block is released after the
 * one before it is ended.
 */
export class BlockSequencer {
  #current: string | undefined;
  readonly #held = new Map<string, BlockPart[]>();
  readonly #ended = new Set<string>();
  /** Whether the open block's own end already went out (a call's `tool-input-end`, its `tool-call` still to come). */
  #currentClosed = false;

  push(part: StreamPart): StreamPart[] {
    const key = blockKey(part);
    if (key === undefined) return part.type === "finish" || part.type === "error" ? [...this.#drain(), part] : [part];
    const block = part as BlockPart;
    if (this.#ended.has(key)) return [block];
    if (this.#current !== undefined && key !== this.#current) {
      const held = this.#held.get(key);
      if (held) held.push(block);
      else this.#held.set(key, [block]);
      return [];
    }
    const out: StreamPart[] = [block];
    if (!ends(block)) {
      if (this.#current !== key) this.#currentClosed = false;
      this.#current = key;
      if (closes(block)) this.#currentClosed = true;
      return out;
    }
    this.#ended.add(key);
    this.#current = undefined;
    // Release held blocks in the order they started, until one is still open.
    for (const [next, parts] of [...this.#held]) {
      this.#held.delete(next);
      out.push(...parts);
      if (parts.some(ends)) {
        this.#ended.add(next);
        continue;
      }
      this.#current = next;
      this.#currentClosed = parts.some(closes);
      break;
    }
    return out;
  }

  /**
   * Releases every held block, ending the one before each; the last block stays open for the
   * finish to close, as it would have (a block cut short by the output bound is closed as such).
   * A block whose end already went out (a call whose input ended, its complete call never sent)
   * is not ended again. Every released block counts as ended: a part of one that still comes
   * passes through rather than holding back what follows.
   */
  #drain(): StreamPart[] {
    const out: StreamPart[] = [];
    let open = this.#current !== undefined && !this.#currentClosed ? this.#current : undefined;
    if (this.#current !== undefined) this.#ended.add(this.#current);
    for (const [key, parts] of this.#held) {
      if (open !== undefined) out.push(endOf(open));
      out.push(...parts);
      this.#ended.add(key);
      open = parts.some(closes) ? undefined : key;
    }
    this.#held.clear();
    this.#current = undefined;
    this.#currentClosed = false;
    return out;
  }
}
