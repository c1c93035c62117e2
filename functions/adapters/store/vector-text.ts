/**
 * pgvector's text form, `[0.1,0.2,…]`: every transport can carry it (PGlite and postgres.js
 * parameters, PostgREST JSON), and it is how the store returns a vector cast to text.
 *
 * @example
 * vectorText([0.5, 1]); // '[0.5,1]'
 * parseVector('[0.5,1]'); // [0.5, 1]
 */
export function vectorText(vector: readonly number[]): string;
export function vectorText(vector: readonly number[] | undefined): string | undefined;
export function vectorText(vector: readonly number[] | undefined): string | undefined {
  return vector ? `[${vector.join(',')}]` : undefined;
}

/** pgvector's text form back to numbers (it is a JSON array). */
export function parseVector(text: string): number[] {
  return JSON.parse(text) as number[];
}
