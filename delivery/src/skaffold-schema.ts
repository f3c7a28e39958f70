import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { repoRoot } from '@msa/local';

/** skaffold's published JSON schema of the config version skaffold.yaml declares. */
export const SKAFFOLD_SCHEMA_PATH = join(repoRoot, '..', 'shared', 'schemas', 'skaffold', 'v4beta14.json');

let validate: ValidateFunction | undefined;

/**
 * Checks one skaffold config document against skaffold's schema and returns the problems, one line
 * each (`/build/artifacts/0/docker: must NOT have additional properties (dockerFile)`), or none.
 * The schema is skaffold's draft-07 one as published: its vendor keywords (`x-intellij-html-description`,
 * `preferredOrder`) are let through, every other keyword applies.
 */
export function skaffoldSchemaErrors(document: unknown): string[] {
  validate ??= new Ajv({ allErrors: true, strict: false }).compile(
    JSON.parse(readFileSync(SKAFFOLD_SCHEMA_PATH, 'utf8')) as object,
  );
  if (validate(document)) return [];
  return [...new Set(deepest(validate.errors ?? []).map(describe))];
}

/**
 * The schema wraps each config type in `anyOf`, so a wrong field deep down also fails every branch
 * above it; the errors at the deepest paths are the ones that name the problem.
 */
function deepest(errors: readonly ErrorObject[]): ErrorObject[] {
  return errors.filter((error) => !errors.some((other) => other.instancePath.startsWith(`${error.instancePath}/`)));
}

function describe(error: ErrorObject): string {
  const extra =
    'additionalProperty' in error.params ? ` (${String(error.params.additionalProperty)})` : '';
  return `${error.instancePath || '/'}: ${error.message ?? error.keyword}${extra}`;
}
