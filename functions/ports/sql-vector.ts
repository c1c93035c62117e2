/**
 * Vector arguments of SQL functions: one pgvector `vector`, or a `vector[]` list with a slot per
 * row (null for a row without one). The repository passes these instead of text, and each store
 * adapter sends them its fastest way: PGlite in pgvector's binary form (parsing floats in WASM
 * cost ~4 ms a vector), Postgres and Supabase as pgvector text, which their servers parse natively.
 *
 * @example
 * await store.rpc('memory_search', { p_agent_id: 'ada', p_query: 'tea', p_embedding: new SqlVector(v) });
 */
export class SqlVector {
  constructor(readonly values: readonly number[]) {}

  /** pgvector's text form, `[0.5,1]`. */
  toText(): string {
    return `[${this.values.join(',')}]`;
  }
}

/** A `vector[]` argument: entry i belongs to row i of the call. */
export class SqlVectorList {
  constructor(readonly vectors: ReadonlyArray<SqlVector | null>) {}

  /** The array's text form, `{"[0.5,1]",NULL}`. */
  toText(): string {
    return `{${this.vectors.map((v) => (v ? `"${v.toText()}"` : 'NULL')).join(',')}}`;
  }
}

/** `values` as a vector argument, or undefined (the argument is left out) when there is none. */
export function sqlVector(values: readonly number[] | undefined): SqlVector | undefined {
  return values ? new SqlVector(values) : undefined;
}

/** Vector arguments as text, for adapters whose transport carries text (Postgres, Supabase). */
export function vectorArgsAsText(params: unknown[]): unknown[] {
  return params.map((p) => (p instanceof SqlVector || p instanceof SqlVectorList ? p.toText() : p));
}
