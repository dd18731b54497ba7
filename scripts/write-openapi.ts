import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderOpenApiJson } from '../src/http/openapi';

// Regenerates openapi.json at the repository root; a test fails when the committed copy drifts.
renderOpenApiJson()
  .then((json) => writeFileSync(join(__dirname, '..', 'openapi.json'), json))
  .catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
