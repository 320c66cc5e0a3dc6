/**
 * Whether this Node's fetch takes an undici \`Agent\` of the undici wren depends on (6.x) as its
 * \`dispatcher\` (an option its types leave out). Node's fetch runs on the undici Node bundles
 * (\`process.versions.undici\`): 6 (Node 20, 22) and 7 (Node 24, which still reads the older handler
 * API) take it; 8 (Node 26) refuses it, every request failing with "invalid onError method" before
 * anything is sent. There wren keeps Node's own pool. \`nodeUndici\`: Node's \`process.versions.undici\`.
 */
export function nodeFetchTakesAgent(nodeUndici: string | undefined): boolean {
  const major = Number(nodeUndici?.split(".")[0]);
  return major >= 6 && major <= 7;
}
