#!/usr/bin/env node
// k8s-lint: validates rendered Kubernetes manifests offline against the Kubernetes API schemas.
//
//   kubectl kustomize deploy/k8s | node tools/k8s-lint/validate.mjs -
//   node tools/k8s-lint/validate.mjs rendered.yaml
//
// Every document must be an object of a built-in API group and version (apps/v1 Deployment, policy/v1
// PodDisruptionBudget, ...) and must validate against that object's schema from the npm package kubernetes-models
// (generated from Kubernetes' OpenAPI definitions): types, required fields, enums and formats. Errors are printed as
// `DOC Kind/name: /json/pointer message`. Exit code: 0 when every document is valid, 1 when any is not, 2 for a usage
// or I/O problem.

import { readFileSync } from 'node:fs';
import path from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';

const TOOL_DIR = path.dirname(fileURLToPath(import.meta.url));
const INSTALL_HINT = `npm ci --prefix ${path.relative(process.cwd(), TOOL_DIR) || '.'}`;

let parseAllDocuments;
try {
  ({ parseAllDocuments } = await import('yaml'));
  await import('kubernetes-models');
} catch (e) {
  console.error(`k8s-lint: dependencies are missing (${e.code ?? e.message}); install them with: ${INSTALL_HINT}`);
  process.exit(2);
}

const source = process.argv[2];
if (!source || process.argv.length > 3) {
  console.error('usage: node validate.mjs FILE|-');
  process.exit(2);
}

let text;
try {
  text = readFileSync(source === '-' ? 0 : source, 'utf8');
} catch (e) {
  console.error(`k8s-lint: cannot read ${source}: ${e.message}`);
  process.exit(2);
}

// "apps/v1" -> kubernetes-models/apps/v1/<Kind>; the core group's "v1" -> kubernetes-models/v1/<Kind>.
async function modelFor(apiVersion, kind) {
  if (typeof apiVersion !== 'string' || typeof kind !== 'string' || !/^[A-Za-z0-9]+$/.test(kind)) return undefined;
  const module = `kubernetes-models/${apiVersion}/${kind}`;
  try {
    const loaded = await import(module);
    return loaded[kind];
  } catch {
    return undefined;
  }
}

let errors = 0;
let count = 0;
const documents = parseAllDocuments(text, { uniqueKeys: true });
for (const [index, document] of documents.entries()) {
  const label = `document ${index + 1}`;
  if (document.errors.length > 0) {
    for (const error of document.errors) console.log(`${label}: error: YAML: ${error.message}`);
    errors += document.errors.length;
    continue;
  }
  const object = document.toJS();
  if (object === null || object === undefined) continue;
  count++;
  const name = `${object.kind ?? '?'}/${object.metadata?.name ?? '?'}`;
  const Model = await modelFor(object.apiVersion, object.kind);
  if (!Model) {
    console.log(`${label} ${name}: error: unknown apiVersion/kind ${object.apiVersion} ${object.kind}`);
    errors++;
    continue;
  }
  // kustomize writes long base64 values as YAML block scalars, which end in a line break; the API server's base64
  // decoding skips line breaks, so they are removed before the schema's strict "byte" format sees the value.
  if (object.kind === 'Secret' && object.data && typeof object.data === 'object') {
    for (const [key, value] of Object.entries(object.data)) {
      if (typeof value === 'string') object.data[key] = value.replace(/[\r\n]/g, '');
    }
  }
  try {
    new Model(object).validate();
  } catch (e) {
    for (const message of String(e.message).split(', ')) console.log(`${label} ${name}: error: ${message}`);
    errors++;
  }
}

if (count === 0) {
  console.log('error: no Kubernetes objects in the input');
  process.exit(1);
}
console.log(errors === 0 ? `OK: ${count} objects valid` : `${errors} error(s) in ${count} objects`);
process.exit(errors === 0 ? 0 : 1);
