/**
 * The one written layout of a scenario file: keys in the order the schema declares them, two-space
 * indent, a final newline. Whatever writes a scenario (the studio, the dev server, the results
 * server) writes this, so a file saved twice is the same file and a change shows as a small diff.
 * Nothing is added or dropped: a default the file leaves out stays out.
 */
import type { z } from 'zod';
import { scenarioSchema } from './schema';

interface Def {
  type: string;
  innerType?: z.ZodType;
  shape?: Record<string, z.ZodType>;
  element?: z.ZodType;
  options?: z.ZodType[];
  discriminator?: string;
  values?: unknown[];
  in?: z.ZodType;
  valueType?: z.ZodType;
}

const defOf = (schema: z.ZodType): Def => (schema as unknown as { _zod: { def: Def } })._zod.def;

/** Unwraps optional, default, prefault, nullable and readonly to the schema that holds the shape. */
function bare(schema: z.ZodType): z.ZodType {
  let s = schema;
  for (let i = 0; i < 20; i++) {
    const def = defOf(s);
    if (def.innerType) s = def.innerType;
    else if (def.type === 'pipe' && def.in) s = def.in;
    else return s;
  }
  return s;
}

function unionMember(def: Def, value: Record<string, unknown>): z.ZodType | null {
  const options = def.options ?? [];
  if (def.discriminator) {
    const tag = value[def.discriminator];
    for (const option of options) {
      const field = defOf(bare(option)).shape?.[def.discriminator];
      if (field && defOf(bare(field)).values?.includes(tag)) return option;
    }
    return null;
  }
  return options.find((o) => defOf(bare(o)).type === 'object') ?? null;
}

/** The value with every object's keys in its schema's order (unknown keys after, as they were). */
export function orderKeys(value: unknown, schema: z.ZodType): unknown {
  const s = bare(schema);
  const def = defOf(s);
  if (Array.isArray(value)) return def.type === 'array' && def.element ? value.map((v) => orderKeys(v, def.element as z.ZodType)) : value;
  if (value === null || typeof value !== 'object') return value;
  const record = value as Record<string, unknown>;
  if (def.type === 'union') {
    const member = unionMember(def, record);
    return member ? orderKeys(value, member) : value;
  }
  // A record (the studio's card places): its keys as they are, each value in its own schema's order.
  if (def.type === 'record' && def.valueType) return Object.fromEntries(Object.entries(record).map(([key, v]) => [key, orderKeys(v, def.valueType as z.ZodType)]));
  if (def.type !== 'object' || !def.shape) return value;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(def.shape)) if (key in record) out[key] = orderKeys(record[key], def.shape[key] as z.ZodType);
  for (const key of Object.keys(record)) if (!(key in out)) out[key] = record[key];
  return out;
}

/** A scenario (the file's value, not its parse with defaults) as the text to write. */
export function scenarioText(value: unknown): string {
  return `${JSON.stringify(orderKeys(value, scenarioSchema), null, 2)}\n`;
}
