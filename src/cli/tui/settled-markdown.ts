/**
 * How much of a streaming answer is settled: the blocks that more text can no longer change. The
 * view prints them to the scrollback and redraws only the rest, so a long answer costs the same per
 * frame as a short one (and never outgrows the screen, where Ink would clear it and print all again).
 *
 * A block is settled once a blank line follows it and the next line has begun at the margin (an
 * indented line could still belong to the block above: a list item's second paragraph). Nothing is
 * settled inside an open code fence, whose blank lines are code.
 */
export function settledLength(text: string): number {
  let settled = 0;
  let fence: { char: string; length: number } | undefined;
  let offset = 0;
  let blankBefore = false;
  for (const line of text.split("\n")) {
    const complete = offset + line.length < text.length; // a newline follows it
    const marker = /^ {0,3}(`{3,}|~{3,})/.exec(line);
    if (fence) {
      if (marker && marker[1]![0] === fence.char && marker[1]!.length >= fence.length && line.trim() === marker[1]) fence = undefined;
    } else {
      // A line at the margin after a blank line: what came before it is settled.
      if (blankBefore && line.length > 0 && !/^\s/.test(line)) settled = offset;
      if (marker && complete) fence = { char: marker[1]![0]!, length: marker[1]!.length };
    }
    blankBefore = !fence && line.trim() === "";
    offset += line.length + 1;
  }
  return settled;
}
