import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseArgs, UsageError } from '../../../src/cli/args';
import { parseConfigFile, parsePlatforms } from '../../../src/analysis/config';

const spec = { '--format': { value: true }, '--fix': { value: false } };

describe('parseArgs', () => {
  it('reads flags with values in both spellings and keeps positionals', () => {
    const a = parseArgs(['src', '--format', 'json', 'lib', '--fix'], spec);
    assert.deepEqual(a.positionals, ['src', 'lib']);
    assert.equal(a.flags.get('--format'), 'json');
    assert.equal(parseArgs(['--format=sarif'], spec).flags.get('--format'), 'sarif');
  });

  it('rejects unknown flags, missing values and values on switches with a clear reason', () => {
    assert.throws(() => parseArgs(['--frmat', 'json'], spec), (e: unknown) => e instanceof UsageError && /unknown option --frmat/.test(e.message));
    assert.throws(() => parseArgs(['--format'], spec), /--format needs a value/);
    assert.throws(() => parseArgs(['--fix=yes'], spec), /--fix takes no value/);
  });
});

describe('configuration', () => {
  it('accepts platform aliases and names unknown ones', () => {
    assert.deepEqual(parsePlatforms('linux, macos,windows'), { platforms: ['linux', 'darwin', 'win32'], unknown: [] });
    assert.deepEqual(parsePlatforms('linux,beos').unknown, ['beos']);
  });

  it('reads .bindwatch.json and reports every problem with its key', () => {
    const ok = parseConfigFile('{"platforms":["linux"],"rules":{"bind-all-interfaces":"off"},"ignore":["gen/"],"maxFileSize":2048}', '.bindwatch.json');
    assert.deepEqual(ok.errors, []);
    assert.deepEqual(ok.config, { platforms: ['linux'], severity: { 'bind-all-interfaces': 'off' }, ignore: ['gen/'], maxFileSize: 2048 });
    const bad = parseConfigFile('{"rules":{"no-such-rule":"error","reuse-missing":"loud"},"colour":1}', 'cfg.json');
    assert.equal(bad.errors.length, 3);
    assert.match(bad.errors.join('\n'), /unknown rule "no-such-rule"/);
    assert.match(bad.errors.join('\n'), /severity must be one of/);
    assert.match(bad.errors.join('\n'), /unknown key "colour"/);
    assert.match(parseConfigFile('{oops', 'x.json').errors[0] ?? '', /not valid JSON/);
  });
});
