/** A translation of T: the same keys, nested the same way, any strings (each locale part is typed with it). */
export type Shape<T> = { readonly [K in keyof T]: T[K] extends string ? string : Shape<T[K]> };
