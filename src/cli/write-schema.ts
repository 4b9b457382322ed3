/** Writes the published JSON Schemas from the zod definitions: `npm run schema`. */
import { writeFileSync } from 'node:fs';
import { publishedSchemas } from '../engine/format/json-schema';

for (const [file, schema] of Object.entries(publishedSchemas())) {
  writeFileSync(file, `${JSON.stringify(schema, null, 2)}\n`);
  console.log(`wrote ${file}`);
}
