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

const ends = (part: BlockPart): boolean => part.type === "text-end" || part.type === "tool-input-end" || part.type === "tool-call";

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
 * back until that one ends; at the finish (or an error) every open block is ended in order.
 */
export class BlockSequencer {
  #current: string | undefined;
  readonly #held = new Map<string, BlockPart[]>();
  readonly #ended = new Set<string>();

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
      this.#current = key;
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
      break;
    }
    return out;
  }

  /** Ends the open block and then releases (and ends) every held one. */
  #drain(): StreamPart[] {
    const out: StreamPart[] = [];
    if (this.#current !== undefined) out.push(endOf(this.#current));
    this.#current = undefined;
    for (const [key, parts] of this.#held) {
      out.push(...parts);
      if (!parts.some(ends)) out.push(endOf(key));
    }
    this.#held.clear();
    return out;
  }
}
