// Grafana's published dashboard types as a JSON file can meet them: a string enum member (`MappingType.ValueToText`)
// is its string value (`"value"`); everything else, including which keys may appear, is the type itself.
export type Json<T> = T extends string
  ? `${T}`
  : T extends readonly (infer U)[]
    ? Json<U>[]
    : T extends object
      ? { [K in keyof T]: Json<T[K]> }
      : T;
