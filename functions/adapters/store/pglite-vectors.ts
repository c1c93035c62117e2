import { SqlVector, SqlVectorList } from '../../ports/sql-vector.ts';

/** The type ids PGlite needs to send vectors as binary parameters. */
export interface VectorTypes {
  vector: number;
  vectorArray: number;
}

/** The ids of `vector` and `vector[]` in this database (an extension's types have no fixed id). */
export async function vectorTypes(
  query: (sql: string) => Promise<Array<{ vector: number; vector_array: number }>>,
): Promise<VectorTypes> {
  const rows = await query(
    "select 'vector'::regtype::oid::integer as vector, 'vector[]'::regtype::oid::integer as vector_array",
  );
  return { vector: rows[0]!.vector, vectorArray: rows[0]!.vector_array };
}

/** pgvector's binary form (vector_recv): dimensions (int16), unused (int16), float4s, big-endian. */
export function vectorBinary(v: SqlVector): Uint8Array {
  const out = new DataView(new ArrayBuffer(4 + v.values.length * 4));
  out.setInt16(0, v.values.length);
  v.values.forEach((x, i) => out.setFloat32(4 + i * 4, x));
  return new Uint8Array(out.buffer);
}

/** Postgres' binary array (array_recv): one dimension of vectors, nulls allowed. */
export function vectorArrayBinary(list: SqlVectorList, vectorType: number): Uint8Array {
  const items = list.vectors.map((v) => (v ? vectorBinary(v) : null));
  const size = 20 + items.reduce((n, b) => n + 4 + (b?.length ?? 0), 0);
  const out = new DataView(new ArrayBuffer(size));
  const bytes = new Uint8Array(out.buffer);
  out.setInt32(0, 1); // dimensions
  out.setInt32(4, items.some((b) => !b) ? 1 : 0); // has nulls
  out.setInt32(8, vectorType);
  out.setInt32(12, items.length);
  out.setInt32(16, 1); // lower bound
  let at = 20;
  for (const b of items) {
    out.setInt32(at, b ? b.length : -1);
    at += 4;
    if (b) {
      bytes.set(b, at);
      at += b.length;
    }
  }
  return bytes;
}

/**
 * Parameters with vector arguments in binary, and the types PGlite must send as they are given:
 * its serializer for a type turns a value into text, and a Uint8Array a serializer hands back
 * goes out in binary format, read by pgvector's receive function (see `asIsSerializers`).
 */
export function binaryVectorParams(
  params: unknown[],
  types: VectorTypes,
): { params: unknown[]; binary: number[] } {
  return {
    params: params.map((p) =>
      p instanceof SqlVector
        ? vectorBinary(p)
        : p instanceof SqlVectorList
          ? vectorArrayBinary(p, types.vector)
          : p,
    ),
    binary: [types.vector, types.vectorArray],
  };
}

/** PGlite's query option that sends the values of these types as they are. */
export function asIsSerializers(types: number[]): Record<number, (x: unknown) => string> {
  const asIs = (x: unknown) => x as string;
  return Object.fromEntries(types.map((oid) => [oid, asIs]));
}
