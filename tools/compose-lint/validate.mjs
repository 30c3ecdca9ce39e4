#!/usr/bin/env node
// compose-lint: validates Compose files offline.
//
//   node tools/compose-lint/validate.mjs [options] docker-compose.yml [more.yml ...]
//
// For each file it checks, in order (as `docker compose config` would, without Docker or a network):
//   1. YAML syntax (duplicate keys are errors; `<<` merge keys, anchors and the !reset/!override tags work);
//   2. the raw document against the Compose Specification JSON schema shipped in node_modules
//      (npm package `dclint`, file schemas/compose.schema.json, a copy of compose-spec's schema/compose-spec.json);
//   3. `${VAR}` interpolation (compose syntax: $$, $VAR, ${VAR}, ${VAR:-def}, ${VAR-def}, ${VAR:?msg},
//      ${VAR?msg}, ${VAR:+alt}, ${VAR+alt}) with the environment and the .env file beside the compose file,
//      then compose's type conversions (deploy.replicas, healthcheck.retries, ports[].target, ...: "two" is
//      not an integer) and Go duration / byte-size syntax, then the schema again on the interpolated document;
//   4. references: depends_on services, named volumes, networks, secrets and configs must be declared;
//      a service needs an image or a build; container_name cannot be combined with replicas > 1;
//   5. files: build contexts, Dockerfiles, env_file / label_file, extends.file, include, top-level
//      secrets/configs `file:` must exist; COPY/ADD sources of each referenced Dockerfile must exist in
//      the build context and must not be excluded by its .dockerignore.
// Every error is printed as `FILE:LINE:COL: error: /json/pointer: message`. Exit code: 0 when no file has an
// error (warnings are printed but allowed), 1 when any has, 2 for a usage or I/O problem.

import { existsSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const TOOL_DIR = path.dirname(fileURLToPath(import.meta.url));
const INSTALL_HINT = `npm ci --prefix ${path.relative(process.cwd(), TOOL_DIR) || '.'}`;

// The dependencies come from node_modules beside this script (package.json / package-lock.json pin them).
let LineCounter, YAMLMap, YAMLSeq, isAlias, isMap, isScalar, isSeq, parseDocument, Ajv, Ajv2019, Ajv2020, addFormats;
try {
  ({ LineCounter, YAMLMap, YAMLSeq, isAlias, isMap, isScalar, isSeq, parseDocument } = await import('yaml'));
  ({ default: Ajv } = await import('ajv'));
  ({ default: Ajv2019 } = await import('ajv/dist/2019.js'));
  ({ default: Ajv2020 } = await import('ajv/dist/2020.js'));
  ({ default: addFormats } = await import('ajv-formats'));
} catch (e) {
  console.error(`compose-lint: dependencies are missing (${e.code ?? e.message}); install them with: ${INSTALL_HINT}`);
  process.exit(2);
}

// Where the schema comes from: a file inside an installed npm package (never a copy in this repository).
const SCHEMA_PACKAGE = 'dclint';
const SCHEMA_PATH_IN_PACKAGE = 'schemas/compose.schema.json';

const USAGE = `usage: node validate.mjs [options] FILE [FILE ...]

Validates Compose files offline against the Compose Specification JSON schema
(${SCHEMA_PACKAGE}/${SCHEMA_PATH_IN_PACKAGE} in node_modules) and checks referenced files.

options:
  --env-file PATH   read interpolation variables from PATH (repeatable; default: .env beside each FILE, if any)
  --require-env     a \${VAR:?msg} / \${VAR?msg} variable that is not set is an error (default: a warning)
  --no-files        skip the checks that referenced files exist (schema, interpolation and references only)
  --schema PATH     validate against this JSON schema file instead of the packaged one
  -h, --help        show this help`;

// ---------------------------------------------------------------------------------------------------------
// Command line

function parseArgs(argv) {
  const opts = { envFiles: [], requireEnv: false, checkFiles: true, schema: null, files: [] };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => {
      if (i + 1 >= argv.length) usageError(`${a} needs a value`);
      return argv[++i];
    };
    if (a === '-h' || a === '--help') {
      console.log(USAGE);
      process.exit(0);
    } else if (a === '--env-file') opts.envFiles.push(value());
    else if (a.startsWith('--env-file=')) opts.envFiles.push(a.slice('--env-file='.length));
    else if (a === '--require-env') opts.requireEnv = true;
    else if (a === '--no-files') opts.checkFiles = false;
    else if (a === '--schema') opts.schema = value();
    else if (a.startsWith('--schema=')) opts.schema = a.slice('--schema='.length);
    else if (a.startsWith('-') && a !== '-') usageError(`unknown option ${a}`);
    else opts.files.push(a);
  }
  if (opts.files.length === 0) usageError('no compose file given');
  return opts;
}

function usageError(message) {
  console.error(`compose-lint: ${message}\n\n${USAGE}`);
  process.exit(2);
}

// ---------------------------------------------------------------------------------------------------------
// Schema and validator

function loadSchema(override) {
  let file;
  let origin;
  if (override) {
    file = path.resolve(override);
    origin = file;
  } else {
    let pkgJson;
    try {
      pkgJson = require.resolve(`${SCHEMA_PACKAGE}/package.json`);
    } catch {
      console.error(`compose-lint: npm package "${SCHEMA_PACKAGE}" is not installed; install it with: ${INSTALL_HINT}`);
      process.exit(2);
    }
    const version = JSON.parse(readFileSync(pkgJson, 'utf8')).version;
    file = path.join(path.dirname(pkgJson), SCHEMA_PATH_IN_PACKAGE);
    origin = `${SCHEMA_PACKAGE}@${version} ${SCHEMA_PATH_IN_PACKAGE}`;
  }
  let schema;
  try {
    schema = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    console.error(`compose-lint: cannot read schema ${file}: ${e.message}`);
    process.exit(2);
  }
  return { schema, file, origin };
}

// Picks the Ajv class for the draft the schema declares; the copy given to Ajv gets the canonical meta-schema
// id (compose-spec writes "https://json-schema.org/draft-07/schema", which Ajv knows as
// "http://json-schema.org/draft-07/schema#") and loses legacy draft-04 `id` keywords of older compose schemas.
function compileSchema(schema) {
  const declared = String(schema.$schema ?? '');
  let AjvClass = Ajv;
  let metaSchema = 'http://json-schema.org/draft-07/schema#';
  let draft = 'draft-07';
  if (/2020-12/.test(declared)) {
    [AjvClass, metaSchema, draft] = [Ajv2020, 'https://json-schema.org/draft/2020-12/schema', '2020-12'];
  } else if (/2019-09/.test(declared)) {
    [AjvClass, metaSchema, draft] = [Ajv2019, 'https://json-schema.org/draft/2019-09/schema', '2019-09'];
  } else if (declared && !/draft-07/.test(declared)) {
    console.error(`compose-lint: the schema declares ${declared}, which this validator does not support`);
    process.exit(2);
  }
  const copy = structuredClone(schema);
  copy.$schema = metaSchema;
  dropLegacyIds(copy);

  const warnings = [];
  const ajv = new AjvClass({
    allErrors: true,
    verbose: true,
    strict: true,
    strictTypes: false, // compose-spec puts type-specific keywords beside oneOf branches without "type"
    allowUnionTypes: true, // compose uses "type": ["integer", "string"] and the like
    logger: { log() {}, warn: (m) => warnings.push(String(m)), error: (m) => warnings.push(String(m)) },
  });
  addFormats(ajv);
  // Formats that older compose schemas used and ajv-formats does not define.
  ajv.addFormat('duration', { type: 'string', validate: isGoDuration });
  ajv.addFormat('expose', true);
  ajv.addFormat('ports', true);
  // Any other format the schema names is allowed (not checked) rather than failing the compilation.
  for (const name of collectFormats(copy)) {
    if (!ajv.formats[name]) {
      ajv.addFormat(name, true);
      warnings.push(`schema format "${name}" is not checked`);
    }
  }
  const validate = ajv.compile(copy);
  return { validate, draft, warnings };
}

function dropLegacyIds(node) {
  if (Array.isArray(node)) return node.forEach(dropLegacyIds);
  if (node && typeof node === 'object') {
    if (typeof node.id === 'string' && node.$id === undefined) delete node.id;
    for (const v of Object.values(node)) dropLegacyIds(v);
  }
}

function collectFormats(node, out = new Set()) {
  if (Array.isArray(node)) node.forEach((n) => collectFormats(n, out));
  else if (node && typeof node === 'object') {
    if (typeof node.format === 'string') out.add(node.format);
    for (const v of Object.values(node)) collectFormats(v, out);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------
// Reporting

class Report {
  constructor(file, doc, lineCounter) {
    this.file = file;
    this.doc = doc;
    this.lineCounter = lineCounter;
    this.errors = [];
    this.warnings = [];
    this.seen = new Set();
  }

  error(pointer, message, where) {
    this.add(this.errors, 'error', pointer, message, where);
  }

  warn(pointer, message, where) {
    this.add(this.warnings, 'warning', pointer, message, where);
  }

  add(list, level, pointer, message, where) {
    const loc = where ?? this.locate(pointer);
    // One message per place in the file: a mistake in an anchor or `<<` merge source is reported once, not once
    // per service that uses it.
    const key = loc ? `${level}\0${loc.file ?? ''}:${loc.line}:${loc.col}\0${message}` : `${level}\0${pointer}\0${message}`;
    if (this.seen.has(key)) return;
    this.seen.add(key);
    const prefix = loc ? `${loc.file ?? this.file}:${loc.line}:${loc.col}` : this.file;
    list.push({ text: `${prefix}: ${level}: ${pointer || '/'}: ${message}`, order: loc && !loc.file ? loc.line * 1e4 + loc.col : 1e12 + list.length });
  }

  locate(pointer) {
    if (!this.doc || pointer === null || pointer === undefined) return null;
    const node = findNode(this.doc, pointerSegments(pointer));
    if (!node || !node.range) return null;
    const { line, col } = this.lineCounter.linePos(node.range[0]);
    return { line, col };
  }
}

function pointerSegments(pointer) {
  if (!pointer) return [];
  return pointer.split('/').slice(1).map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function pointerOf(segments) {
  return segments.map((s) => '/' + String(s).replace(/~/g, '~0').replace(/\//g, '~1')).join('');
}

// Walks the YAML AST along a JSON pointer (following aliases and `<<` merges); returns the deepest node found,
// the key node when the last segment names a key.
function findNode(doc, segments) {
  let node = doc.contents;
  let found = node;
  for (const seg of segments) {
    node = deref(doc, node);
    if (isMap(node)) {
      const pair = findPair(doc, node, seg);
      if (!pair) break;
      found = pair.key?.range ? pair.key : (pair.value ?? found);
      node = pair.value;
    } else if (isSeq(node)) {
      const item = node.items[Number(seg)];
      if (!item) break;
      found = item;
      node = item;
    } else {
      break;
    }
  }
  return found;
}

function deref(doc, node) {
  return isAlias(node) ? node.resolve(doc) : node;
}

function findPair(doc, map, key) {
  const own = map.items.find((p) => keyString(p.key) === key);
  if (own) return own;
  for (const p of map.items) {
    if (keyString(p.key) !== '<<') continue;
    const sources = isSeq(p.value) ? p.value.items : [p.value];
    for (const s of sources) {
      const m = deref(doc, s);
      if (isMap(m)) {
        const inherited = findPair(doc, m, key);
        if (inherited) return inherited;
      }
    }
  }
  return null;
}

function keyString(k) {
  if (!isScalar(k)) return String(k);
  return typeof k.value === 'symbol' ? '<<' : String(k.value); // the yaml package marks merge keys with a symbol
}

function firstLine(message) {
  return message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
}

// Ajv reports every failed branch of a oneOf/anyOf. Keep what explains the problem: drop the oneOf/anyOf
// summary when a branch said something, drop a branch's "must be <type>" at a path when another branch (of the
// right type) reported something deeper, and merge the remaining "must be <type>" errors of one path.
function simplifyAjvErrors(errors) {
  const deeper = (p) => errors.some((o) => o.instancePath.startsWith(p + '/'));
  const atOrDeeper = (e) => errors.some((o) => o !== e && !['oneOf', 'anyOf'].includes(o.keyword) && (o.instancePath === e.instancePath || o.instancePath.startsWith(e.instancePath + '/')));
  const kept = errors.filter((e) => {
    if (e.keyword === 'oneOf' || e.keyword === 'anyOf') return !atOrDeeper(e);
    if (e.keyword === 'type') return !deeper(e.instancePath);
    return true;
  });
  const out = [];
  const typeAt = new Map();
  for (const e of kept) {
    if (e.keyword !== 'type') {
      out.push(e);
      continue;
    }
    const first = typeAt.get(e.instancePath);
    if (!first) {
      const merged = { ...e, params: { type: [].concat(e.params.type) } };
      typeAt.set(e.instancePath, merged);
      out.push(merged);
    } else {
      for (const t of [].concat(e.params.type)) if (!first.params.type.includes(t)) first.params.type.push(t);
    }
  }
  for (const e of typeAt.values()) e.message = `must be ${e.params.type.join(' or ')}`;
  return out;
}

function describeAjvError(e) {
  let pointer = e.instancePath;
  let message = e.message ?? e.keyword;
  switch (e.keyword) {
    case 'additionalProperties':
      pointer += pointerOf([e.params.additionalProperty]);
      message = `property "${e.params.additionalProperty}" is not allowed here`;
      break;
    case 'required':
      message = `missing required property "${e.params.missingProperty}"`;
      break;
    case 'enum':
      message += `: ${e.params.allowedValues.map((v) => JSON.stringify(v)).join(', ')} (got ${JSON.stringify(e.data)})`;
      break;
    case 'type':
      message += ` (got ${typeName(e.data)} ${short(e.data)})`;
      break;
    case 'const':
      message += ` ${JSON.stringify(e.params.allowedValue)}`;
      break;
    default:
      break;
  }
  return { pointer, message: `schema: ${message}` };
}

function typeName(v) {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v;
}

function short(v) {
  const s = JSON.stringify(v);
  if (s === undefined) return String(v);
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
}

// ---------------------------------------------------------------------------------------------------------
// YAML

const passthroughTags = ['!reset', '!override'].flatMap((tag) => [
  { tag, resolve: (value) => value },
  { tag, collection: 'map', nodeClass: YAMLMap, resolve: (map) => map },
  { tag, collection: 'seq', nodeClass: YAMLSeq, resolve: (seq) => seq },
]);

function parseYaml(text) {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, {
    lineCounter,
    merge: true, // compose (go-yaml) supports `<<: *anchor`
    uniqueKeys: true,
    prettyErrors: true,
    customTags: passthroughTags,
  });
  return { doc, lineCounter };
}

// ---------------------------------------------------------------------------------------------------------
// Interpolation (compose-spec "Interpolation" section; mirrors compose-go's template package)

class MissingRequired extends Error {
  constructor(name, message) {
    super(message);
    this.variable = name;
  }
}

const NAME_RE = /^[_a-zA-Z][_a-zA-Z0-9]*/;
const BRACED_RE = /^([_a-zA-Z][_a-zA-Z0-9]*)(?:(:?[-?+])([\s\S]*))?$/;

function substitute(text, env, onUnset) {
  let out = '';
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c !== '$') {
      out += c;
      i++;
      continue;
    }
    const next = text[i + 1];
    if (next === '$') {
      out += '$';
      i += 2;
      continue;
    }
    if (next === '{') {
      let depth = 1;
      let j = i + 2;
      for (; j < text.length; j++) {
        if (text[j] === '{') depth++;
        else if (text[j] === '}' && --depth === 0) break;
      }
      if (depth !== 0) throw new Error(`invalid interpolation: "\${" without a closing "}" in ${JSON.stringify(text)}`);
      out += expandBraced(text.slice(i + 2, j), text, env, onUnset);
      i = j + 1;
      continue;
    }
    const m = NAME_RE.exec(text.slice(i + 1));
    if (!m) {
      throw new Error(`invalid interpolation: "$" must start $NAME, \${...} or "$$" (a literal $) in ${JSON.stringify(text)}`);
    }
    out += lookup(m[0], env, onUnset);
    i += 1 + m[0].length;
  }
  return out;
}

function expandBraced(body, whole, env, onUnset) {
  const m = BRACED_RE.exec(body);
  if (!m) throw new Error(`invalid interpolation: "\${${body}}" in ${JSON.stringify(whole)}`);
  const [, name, op, arg = ''] = m;
  const value = env.get(name);
  const isSet = value !== undefined;
  const nonEmpty = isSet && value !== '';
  const nested = () => substitute(arg, env, onUnset);
  switch (op) {
    case undefined:
      return lookup(name, env, onUnset);
    case ':-':
      return nonEmpty ? value : nested();
    case '-':
      return isSet ? value : nested();
    case ':?':
      if (nonEmpty) return value;
      throw new MissingRequired(name, `required variable ${name} is missing a value${arg ? `: ${nested()}` : ''}`);
    case '?':
      if (isSet) return value;
      throw new MissingRequired(name, `required variable ${name} is missing a value${arg ? `: ${nested()}` : ''}`);
    case ':+':
      return nonEmpty ? nested() : '';
    case '+':
      return isSet ? nested() : '';
    default:
      throw new Error(`invalid interpolation: "\${${body}}"`);
  }
}

function lookup(name, env, onUnset) {
  const value = env.get(name);
  if (value === undefined) {
    onUnset(name);
    return '';
  }
  return value;
}

// Conversions compose applies after interpolation (compose-go loader/interpolate.go), plus duration fields.
const S = ['services', '*'];
const TYPED_FIELDS = [
  [[...S, 'configs', '[]', 'mode'], 'int'],
  [[...S, 'cpu_count'], 'int'],
  [[...S, 'cpu_percent'], 'float'],
  [[...S, 'cpu_period'], 'int'],
  [[...S, 'cpu_quota'], 'int'],
  [[...S, 'cpu_rt_period'], 'int'],
  [[...S, 'cpu_rt_runtime'], 'int'],
  [[...S, 'cpus'], 'float'],
  [[...S, 'cpu_shares'], 'int'],
  [[...S, 'init'], 'bool'],
  [[...S, 'deploy', 'replicas'], 'int'],
  [[...S, 'deploy', 'update_config', 'parallelism'], 'int'],
  [[...S, 'deploy', 'update_config', 'max_failure_ratio'], 'float'],
  [[...S, 'deploy', 'rollback_config', 'parallelism'], 'int'],
  [[...S, 'deploy', 'rollback_config', 'max_failure_ratio'], 'float'],
  [[...S, 'deploy', 'restart_policy', 'max_attempts'], 'int'],
  [[...S, 'deploy', 'placement', 'max_replicas_per_node'], 'int'],
  [[...S, 'healthcheck', 'retries'], 'int'],
  [[...S, 'healthcheck', 'disable'], 'bool'],
  [[...S, 'mem_limit'], 'bytes'],
  [[...S, 'mem_reservation'], 'bytes'],
  [[...S, 'memswap_limit'], 'bytes'],
  [[...S, 'mem_swappiness'], 'bytes'],
  [[...S, 'oom_kill_disable'], 'bool'],
  [[...S, 'oom_score_adj'], 'int'],
  [[...S, 'pids_limit'], 'int'],
  [[...S, 'ports', '[]', 'target'], 'int'],
  [[...S, 'privileged'], 'bool'],
  [[...S, 'read_only'], 'bool'],
  [[...S, 'scale'], 'int'],
  [[...S, 'secrets', '[]', 'mode'], 'int'],
  [[...S, 'shm_size'], 'bytes'],
  [[...S, 'stdin_open'], 'bool'],
  [[...S, 'stop_grace_period'], 'duration'],
  [[...S, 'tty'], 'bool'],
  [[...S, 'ulimits', '*'], 'int'],
  [[...S, 'ulimits', '*', 'hard'], 'int'],
  [[...S, 'ulimits', '*', 'soft'], 'int'],
  [[...S, 'volumes', '[]', 'read_only'], 'bool'],
  [[...S, 'volumes', '[]', 'volume', 'nocopy'], 'bool'],
  [[...S, 'volumes', '[]', 'tmpfs', 'size'], 'bytes'],
  [[...S, 'healthcheck', 'interval'], 'duration'],
  [[...S, 'healthcheck', 'timeout'], 'duration'],
  [[...S, 'healthcheck', 'start_period'], 'duration'],
  [[...S, 'healthcheck', 'start_interval'], 'duration'],
  [[...S, 'deploy', 'restart_policy', 'delay'], 'duration'],
  [[...S, 'deploy', 'restart_policy', 'window'], 'duration'],
  [[...S, 'deploy', 'update_config', 'delay'], 'duration'],
  [[...S, 'deploy', 'update_config', 'monitor'], 'duration'],
  [[...S, 'deploy', 'rollback_config', 'delay'], 'duration'],
  [[...S, 'deploy', 'rollback_config', 'monitor'], 'duration'],
  [['networks', '*', 'external'], 'bool'],
  [['networks', '*', 'internal'], 'bool'],
  [['networks', '*', 'attachable'], 'bool'],
  [['networks', '*', 'enable_ipv6'], 'bool'],
  [['volumes', '*', 'external'], 'bool'],
  [['secrets', '*', 'external'], 'bool'],
  [['configs', '*', 'external'], 'bool'],
];

function typedFieldKind(segments) {
  for (const [pattern, kind] of TYPED_FIELDS) {
    if (pattern.length !== segments.length) continue;
    let ok = true;
    for (let k = 0; k < pattern.length && ok; k++) {
      const p = pattern[k];
      const s = segments[k];
      if (p === '*') ok = true;
      else if (p === '[]') ok = typeof s === 'number';
      else ok = p === s;
    }
    if (ok) return kind;
  }
  return null;
}

function isGoDuration(s) {
  return /^[-+]?(0|((\d+(\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h))+)$/.test(s);
}

const CONVERTERS = {
  int: (s) => (/^[+-]?\d+$/.test(s) ? { value: Number(s) } : { error: `cannot convert ${JSON.stringify(s)} to an integer` }),
  float: (s) =>
    /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/.test(s) ? { value: Number(s) } : { error: `cannot convert ${JSON.stringify(s)} to a number` },
  bool: (s) => {
    const v = s.toLowerCase();
    if (['y', 'yes', 'true', 'on'].includes(v)) return { value: true };
    if (['n', 'no', 'false', 'off'].includes(v)) return { value: false };
    return { error: `cannot convert ${JSON.stringify(s)} to a boolean` };
  },
  bytes: (s) => (/^\d+(\.\d+)* ?([kmgtp])?i?b?$/i.test(s) ? { value: s } : { error: `${JSON.stringify(s)} is not a byte size (e.g. 512m, 2g)` }),
  duration: (s) =>
    isGoDuration(s) ? { value: s } : { error: `${JSON.stringify(s)} is not a duration (e.g. 10s, 1m30s, 500ms)` },
};

// Returns a copy of `node` with every string value interpolated and typed fields converted; reports problems.
function interpolateDocument(node, segments, ctx) {
  if (Array.isArray(node)) return node.map((v, i) => interpolateDocument(v, [...segments, i], ctx));
  if (node && typeof node === 'object') {
    const out = {};
    for (const [k, v] of Object.entries(node)) out[k] = interpolateDocument(v, [...segments, k], ctx);
    return out;
  }
  if (typeof node !== 'string') return node;

  const pointer = pointerOf(segments);
  let value;
  try {
    value = substitute(node, ctx.env, (name) => ctx.unset(name, pointer));
  } catch (e) {
    if (e instanceof MissingRequired) {
      ctx.missingRequired(e, pointer);
    } else {
      ctx.report.error(pointer, e.message);
    }
    return node; // keep the raw text: the raw document already passed (or failed) the schema on its own
  }
  const kind = typedFieldKind(segments);
  if (!kind) return value;
  const converted = CONVERTERS[kind](value);
  if (converted.error) {
    ctx.report.error(pointer, `${converted.error} (docker compose: failed to cast to expected type)`);
    return value;
  }
  return converted.value;
}

function readEnvFile(file, report) {
  const vars = new Map();
  const text = readFileSync(file, 'utf8');
  text.split(/\r?\n/).forEach((line, index) => {
    const trimmed = line.trim();
    if (!trimmed || trimmed.startsWith('#')) return;
    const m = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_.-]*)\s*(?:=\s*(.*))?$/.exec(trimmed);
    if (!m) {
      report.error(null, `unexpected line in env file`, { file, line: index + 1, col: 1 });
      return;
    }
    let value = m[2] ?? '';
    if (/^'.*'$/.test(value)) value = value.slice(1, -1);
    else if (/^".*"$/.test(value)) value = value.slice(1, -1).replace(/\\n/g, '\n').replace(/\\(["\\])/g, '$1');
    else value = value.replace(/\s+#.*$/, '');
    vars.set(m[1], value);
  });
  return vars;
}

// ---------------------------------------------------------------------------------------------------------
// References between parts of the file

function asMap(v) {
  return v && typeof v === 'object' && !Array.isArray(v) ? v : {};
}

function checkReferences(model, report) {
  const services = asMap(model.services);
  const volumes = asMap(model.volumes);
  const networks = asMap(model.networks);
  const secrets = asMap(model.secrets);
  const configs = asMap(model.configs);

  for (const [name, svc] of Object.entries(services)) {
    if (!svc || typeof svc !== 'object') continue;
    const at = (...rest) => pointerOf(['services', name, ...rest]);

    if (svc.image === undefined && svc.build === undefined && svc.extends === undefined && svc.provider === undefined) {
      report.error(at(), `service "${name}" has neither an image nor a build`);
    }

    const deps = svc.depends_on;
    const depEntries = Array.isArray(deps) ? deps.map((d, i) => [d, i, true]) : Object.entries(asMap(deps)).map(([d, v]) => [d, d, v?.required !== false]);
    for (const [dep, key, required] of depEntries) {
      if (required && typeof dep === 'string' && !(dep in services)) {
        report.error(at('depends_on', key), `depends on undefined service "${dep}"`);
      }
    }

    const replicas = svc.deploy?.replicas ?? svc.scale;
    if (svc.container_name !== undefined && typeof replicas === 'number' && replicas > 1) {
      report.error(at('container_name'), `container_name "${svc.container_name}" cannot be used with ${replicas} replicas (container names must be unique)`);
    }

    (Array.isArray(svc.volumes) ? svc.volumes : []).forEach((v, i) => {
      let source;
      let type = 'volume';
      if (typeof v === 'string') {
        const parts = v.split(':');
        if (parts.length < 2) return; // anonymous volume
        source = parts[0];
        if (/^[./~]/.test(source) || source.includes('/') || /^[A-Za-z]$/.test(source) || source.startsWith('$')) type = 'bind';
      } else if (v && typeof v === 'object') {
        source = v.source;
        type = v.type ?? 'volume';
      }
      if (type === 'volume' && typeof source === 'string' && source !== '' && !(source in volumes)) {
        report.error(at('volumes', i), `refers to undefined volume "${source}" (declare it under top-level volumes:)`);
      }
    });

    const nets = svc.networks;
    const netNames = Array.isArray(nets) ? nets.map((n, i) => [n, i]) : Object.keys(asMap(nets)).map((n) => [n, n]);
    for (const [net, key] of netNames) {
      if (typeof net === 'string' && net !== 'default' && !(net in networks)) {
        report.error(at('networks', key), `refers to undefined network "${net}"`);
      }
    }
    if (typeof svc.network_mode === 'string' && svc.network_mode.startsWith('service:')) {
      const other = svc.network_mode.slice('service:'.length);
      if (!(other in services)) report.error(at('network_mode'), `refers to undefined service "${other}"`);
    }

    for (const [kind, declared] of [['secrets', secrets], ['configs', configs]]) {
      (Array.isArray(svc[kind]) ? svc[kind] : []).forEach((s, i) => {
        const source = typeof s === 'string' ? s : s?.source;
        if (typeof source === 'string' && !(source in declared)) {
          report.error(at(kind, i), `refers to undefined ${kind.slice(0, -1)} "${source}"`);
        }
      });
    }

    if (svc.extends && typeof svc.extends === 'object' && svc.extends.file === undefined && !(svc.extends.service in services)) {
      report.error(at('extends', 'service'), `extends undefined service "${svc.extends.service}"`);
    }
  }
}

// ---------------------------------------------------------------------------------------------------------
// Referenced files

function isRemote(ref) {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(ref) || /^git@/.test(ref) || /^github\.com\//.test(ref) || /\.git(#.*)?$/.test(ref);
}

function isFile(p) {
  try {
    return statSync(p).isFile();
  } catch {
    return false;
  }
}

function isDir(p) {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}

function checkFiles(model, baseDir, report) {
  const rel = (p) => path.relative(process.cwd(), p) || '.';
  const requireFile = (pointer, file, what) => {
    if (typeof file !== 'string' || file === '') return;
    const full = path.resolve(baseDir, file);
    if (!isFile(full)) report.error(pointer, `${what} ${JSON.stringify(file)} does not exist (looked for ${rel(full)})`);
  };

  for (const [name, svc] of Object.entries(asMap(model.services))) {
    if (!svc || typeof svc !== 'object') continue;
    const at = (...rest) => pointerOf(['services', name, ...rest]);

    if (svc.build !== undefined) {
      const build = typeof svc.build === 'string' ? { context: svc.build } : asMap(svc.build);
      const context = typeof build.context === 'string' ? build.context : '.';
      const contextPointer = typeof svc.build === 'string' ? at('build') : at('build', 'context');
      if (!isRemote(context)) {
        const contextDir = path.resolve(baseDir, context);
        if (!isDir(contextDir)) {
          report.error(contextPointer, `build context ${JSON.stringify(context)} is not a directory (looked for ${rel(contextDir)})`);
        } else if (build.dockerfile_inline === undefined) {
          const dockerfile = typeof build.dockerfile === 'string' ? build.dockerfile : 'Dockerfile';
          const dockerfilePath = path.resolve(contextDir, dockerfile);
          const pointer = typeof svc.build === 'string' || build.dockerfile === undefined ? contextPointer : at('build', 'dockerfile');
          if (!isFile(dockerfilePath)) {
            report.error(pointer, `Dockerfile ${JSON.stringify(dockerfile)} does not exist (looked for ${rel(dockerfilePath)}; the path is relative to the build context)`);
          } else {
            checkDockerfile(dockerfilePath, contextDir, pointer, report);
          }
        }
      }
    }

    const envFiles = svc.env_file === undefined ? [] : Array.isArray(svc.env_file) ? svc.env_file : [svc.env_file];
    envFiles.forEach((entry, i) => {
      const pointer = Array.isArray(svc.env_file) ? at('env_file', i) : at('env_file');
      if (typeof entry === 'string') requireFile(pointer, entry, 'env_file');
      else if (entry && typeof entry === 'object' && entry.required !== false) requireFile(pointer, entry.path, 'env_file');
    });

    const labelFiles = svc.label_file === undefined ? [] : Array.isArray(svc.label_file) ? svc.label_file : [svc.label_file];
    labelFiles.forEach((f, i) => requireFile(Array.isArray(svc.label_file) ? at('label_file', i) : at('label_file'), f, 'label_file'));

    if (svc.extends && typeof svc.extends === 'object' && typeof svc.extends.file === 'string') {
      requireFile(at('extends', 'file'), svc.extends.file, 'extends.file');
    }
  }

  (Array.isArray(model.include) ? model.include : []).forEach((inc, i) => {
    const paths = typeof inc === 'string' ? [inc] : Array.isArray(inc?.path) ? inc.path : [inc?.path];
    paths.forEach((p) => {
      if (typeof p === 'string' && !isRemote(p)) requireFile(pointerOf(['include', i]), p, 'included file');
    });
  });

  for (const kind of ['secrets', 'configs']) {
    for (const [name, def] of Object.entries(asMap(model[kind]))) {
      if (def && typeof def.file === 'string') {
        const full = path.resolve(baseDir, def.file);
        if (!existsSync(full)) report.error(pointerOf([kind, name, 'file']), `${kind.slice(0, -1)} file ${JSON.stringify(def.file)} does not exist`);
      }
    }
  }
}

// ---------------------------------------------------------------------------------------------------------
// Dockerfiles: every COPY/ADD source taken from the build context must exist there and not be .dockerignored.

function checkDockerfile(dockerfilePath, contextDir, pointer, report) {
  const text = readFileSync(dockerfilePath, 'utf8');
  const ignore = loadDockerignore(dockerfilePath, contextDir);
  const instructions = parseDockerfile(text);
  const where = (line) => ({ file: path.relative(process.cwd(), dockerfilePath), line, col: 1 });

  if (!instructions.some((ins) => ins.keyword === 'FROM')) {
    report.error(pointer, 'Dockerfile has no FROM instruction', where(1));
  }
  for (const ins of instructions) {
    if (ins.keyword !== 'COPY' && ins.keyword !== 'ADD') continue;
    const { flags, args } = splitFlags(ins.args);
    if (flags.some((f) => f.startsWith('--from'))) continue;
    if (args.some((a) => a.startsWith('<<'))) continue; // heredoc source
    for (const source of args.slice(0, -1)) {
      if (source.includes('$') || isRemote(source)) continue;
      const clean = path.posix.normalize(source.replace(/^\/+/, '')).replace(/\/$/, '');
      if (clean.startsWith('..')) {
        report.error(pointer, `${ins.keyword} source ${JSON.stringify(source)} is outside the build context`, where(ins.line));
        continue;
      }
      const globAt = clean.search(/[*?[]/);
      const probe = globAt < 0 ? clean : path.posix.dirname(clean.slice(0, globAt + 1));
      const full = path.resolve(contextDir, probe === '.' ? '' : probe);
      if (!existsSync(full)) {
        report.error(pointer, `${ins.keyword} source ${JSON.stringify(source)} does not exist in the build context ${path.relative(process.cwd(), contextDir) || '.'}`, where(ins.line));
      } else if (globAt < 0 && clean !== '.' && ignore(clean)) {
        report.error(pointer, `${ins.keyword} source ${JSON.stringify(source)} is excluded by .dockerignore`, where(ins.line));
      }
    }
  }
}

function parseDockerfile(text) {
  const lines = text.split(/\r?\n/);
  const out = [];
  let i = 0;
  while (i < lines.length) {
    const start = i;
    let line = lines[i++];
    if (/^\s*(#.*)?$/.test(line)) continue;
    while (/\\\s*$/.test(line) && i < lines.length) {
      const next = lines[i++];
      if (/^\s*#/.test(next)) continue; // comment lines inside a continuation are dropped
      line = line.replace(/\\\s*$/, ' ') + next;
    }
    const m = /^\s*([A-Za-z]+)\s*(.*)$/.exec(line);
    if (!m) continue;
    const keyword = m[1].toUpperCase();
    out.push({ keyword, args: m[2], line: start + 1 });
    // Skip heredoc bodies (<<EOF, <<-EOF, <<"EOF", <<'EOF').
    for (const h of m[2].matchAll(/<<-?\s*["']?([A-Za-z_][A-Za-z0-9_]*)["']?/g)) {
      while (i < lines.length && lines[i].trim() !== h[1]) i++;
      i++;
    }
  }
  return out;
}

function splitFlags(argText) {
  let args;
  const trimmed = argText.trim();
  if (trimmed.startsWith('[')) {
    try {
      args = JSON.parse(trimmed);
    } catch {
      args = trimmed.split(/\s+/);
    }
  } else {
    args = trimmed.split(/\s+/).filter(Boolean);
  }
  const flags = [];
  while (args.length && args[0].startsWith('--')) flags.push(args.shift());
  return { flags, args };
}

function loadDockerignore(dockerfilePath, contextDir) {
  // BuildKit first looks for <Dockerfile>.dockerignore beside the Dockerfile, then .dockerignore in the context root.
  const candidates = [`${dockerfilePath}.dockerignore`, path.join(contextDir, '.dockerignore')];
  const file = candidates.find(isFile);
  if (!file) return () => false;
  const rules = readFileSync(file, 'utf8')
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'))
    .map((l) => {
      const negate = l.startsWith('!');
      let p = negate ? l.slice(1).trim() : l;
      p = path.posix.normalize(p.replace(/^\/+/, '')).replace(/\/+$/, '');
      return { negate, pattern: p, re: globToRegExp(p) };
    });
  return (relPath) => {
    // A "!" exception below this path re-includes part of it: the path is then sent (partly), not excluded.
    if (rules.some((r) => r.negate && r.pattern.startsWith(`${relPath}/`))) return false;
    // A path is excluded when it, or one of its parent directories, matches the last applicable rule.
    const parts = relPath.split('/');
    let excluded = false;
    for (let n = 1; n <= parts.length; n++) {
      const candidate = parts.slice(0, n).join('/');
      for (const r of rules) if (r.re.test(candidate)) excluded = !r.negate;
      if (excluded) return true;
    }
    return excluded;
  };
}

function globToRegExp(glob) {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === '*') {
      if (glob[i + 1] === '*') {
        i++;
        if (glob[i + 1] === '/') {
          i++;
          re += '(?:.*/)?';
        } else re += '.*';
      } else re += '[^/]*';
    } else if (c === '?') re += '[^/]';
    else if (c === '[') {
      const end = glob.indexOf(']', i);
      if (end < 0) re += '\\[';
      else {
        re += `[${glob.slice(i + 1, end).replace(/^!/, '^').replace(/\\/g, '\\\\')}]`;
        i = end;
      }
    } else re += c.replace(/[.+^${}()|\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

// ---------------------------------------------------------------------------------------------------------
// One file

function validateFile(file, opts, validate) {
  let text;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    return { io: `cannot read ${file}: ${e.message}` };
  }
  const { doc, lineCounter } = parseYaml(text);
  const report = new Report(file, doc, lineCounter);

  for (const e of doc.errors) {
    const [line, col] = e.linePos?.[0] ? [e.linePos[0].line, e.linePos[0].col] : [0, 0];
    report.errors.push({ text: `${file}:${line}:${col}: error: yaml: ${firstLine(e.message)}`, order: line * 1e4 + col });
  }
  for (const w of doc.warnings) {
    const [line, col] = w.linePos?.[0] ? [w.linePos[0].line, w.linePos[0].col] : [0, 0];
    report.warnings.push({ text: `${file}:${line}:${col}: warning: yaml: ${firstLine(w.message)}`, order: line * 1e4 + col });
  }
  if (doc.errors.length) return report;

  const raw = doc.toJS({ maxAliasCount: 10000 });
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    report.error('', 'a Compose file must be a mapping at the top level');
    return report;
  }

  // 2. The document as written.
  const schemaErrors = (data) => {
    if (!validate(data)) for (const e of simplifyAjvErrors(validate.errors)) {
      const { pointer, message } = describeAjvError(e);
      report.error(pointer, message);
    }
  };
  schemaErrors(raw);

  // 3. Interpolation, conversions, and the schema again on the result.
  const env = new Map();
  const baseDir = path.dirname(path.resolve(file));
  const envFiles = opts.envFiles.length ? opts.envFiles : [path.join(baseDir, '.env')].filter(isFile);
  for (const f of envFiles) {
    if (!isFile(f)) {
      report.error(null, `env file ${f} does not exist`);
      continue;
    }
    for (const [k, v] of readEnvFile(f, report)) env.set(k, v);
  }
  for (const [k, v] of Object.entries(process.env)) env.set(k, v);

  const unsetSeen = new Set();
  const requiredSeen = new Set();
  const ctx = {
    env,
    report,
    unset(name, pointer) {
      if (unsetSeen.has(name)) return;
      unsetSeen.add(name);
      report.warn(pointer, `variable ${name} is not set; docker compose substitutes an empty string`);
    },
    missingRequired(e, pointer) {
      if (requiredSeen.has(e.variable)) return;
      requiredSeen.add(e.variable);
      if (opts.requireEnv) report.error(pointer, e.message);
      else report.warn(pointer, `${e.message} (docker compose refuses to run until ${e.variable} is set)`);
    },
  };
  const model = interpolateDocument(raw, [], ctx);
  schemaErrors(model);

  // 4. and 5.
  checkReferences(model, report);
  if (opts.checkFiles) checkFiles(model, baseDir, report);
  return report;
}

// ---------------------------------------------------------------------------------------------------------

function main() {
  const opts = parseArgs(process.argv.slice(2));
  const { schema, origin } = loadSchema(opts.schema);
  let compiled;
  try {
    compiled = compileSchema(schema);
  } catch (e) {
    console.error(`compose-lint: cannot compile the schema ${origin}: ${e.message}`);
    process.exit(2);
  }
  for (const w of compiled.warnings) console.error(`compose-lint: note: ${w}`);

  let failed = false;
  let ioProblem = false;
  for (const file of opts.files) {
    const report = validateFile(file, opts, compiled.validate);
    if (report.io) {
      console.error(`compose-lint: ${report.io}`);
      ioProblem = true;
      continue;
    }
    // In file order (messages located in another file, e.g. a Dockerfile, come last).
    const byOrder = (a, b) => a.order - b.order;
    for (const w of report.warnings.sort(byOrder)) console.error(w.text);
    for (const e of report.errors.sort(byOrder)) console.error(e.text);
    if (report.errors.length) {
      failed = true;
      console.error(`compose-lint: ${file}: ${report.errors.length} error(s), ${report.warnings.length} warning(s) [schema: ${origin}, ${compiled.draft}]`);
    } else {
      console.log(`compose-lint: ${file}: OK, ${report.warnings.length} warning(s) [schema: ${origin}, ${compiled.draft}]`);
    }
  }
  process.exit(ioProblem ? 2 : failed ? 1 : 0);
}

main();
