// Validates an OpenAPI document with a real validator (the official JSON Schemas of the
// OpenAPI specification) and resolves every $ref; prints what is wrong and exits non-zero.
// ESM because the validator is ESM-only; the jest suite runs it as a child process.
import { Validator } from '@seriousme/openapi-schema-validator';

const file = process.argv[2];
if (!file) {
  console.error('usage: node scripts/validate-openapi.mjs <openapi.json>');
  process.exit(2);
}
const validator = new Validator();
const result = await validator.validate(file);
if (!result.valid) {
  console.error(JSON.stringify(result.errors, null, 2));
  process.exit(1);
}
try {
  validator.resolveRefs();
} catch (err) {
  console.error(`unresolvable reference: ${err instanceof Error ? err.message : err}`);
  process.exit(1);
}
console.log(`valid OpenAPI ${validator.version}`);
