/**
 * `vector` scaled to length 1, as OpenAI's embeddings, Ollama's `/api/embed` and Gemini's full-size
 * embeddings come: clients take the dot product for the cosine. llama.cpp's pooled embeddings are
 * not normalised (a norm of 17 for a small model). A zero vector stays as it is.
 */
export function unitVector(vector: number[]): number[] {
  let sum = 0;
  for (const x of vector) sum += x * x;
  if (sum === 0 || !Number.isFinite(sum)) return vector;
  const norm = Math.sqrt(sum);
  return vector.map((x) => x / norm);
}
