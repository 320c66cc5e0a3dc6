/**
 * The deepest JSON nesting wren accepts in a request (objects and arrays, counted from the top
 * level). Real requests stay far below it; deeper input only exists to overflow recursive code
 * (schema compilers, chat templates, JSON.stringify) further in.
 */
export const MAX_JSON_DEPTH = 64;

/**
 * True when `value` nests objects or arrays deeper than `limit` levels. Iterative, so it cannot
 * itself overflow the stack, and it stops at the first path that is too deep.
 */
export function exceedsJsonDepth(value: unknown, limit: number = MAX_JSON_DEPTH): boolean {
  const stack: Array<{ value: unknown; depth: number }> = [{ value, depth: 0 }];
  while (stack.length > 0) {
    const item = stack.pop();
    if (!item || typeof item.value !== "object" || item.value === null) continue;
    const depth = item.depth + 1;
    if (depth > limit) return true;
    const children = Array.isArray(item.value) ? item.value : Object.values(item.value);
    for (const child of children) if (typeof child === "object" && child !== null) stack.push({ value: child, depth });
  }
  return false;
}
