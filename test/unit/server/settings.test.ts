import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEFAULT_MAX_FILE_SIZE } from '../../../src/analysis/config';
import { DEFAULT_SETTINGS, effectiveConfig, normalizeSettings } from '../../../src/server/settings';

test('settings of the wrong type fall back to the defaults', () => {
  assert.deepEqual(normalizeSettings(undefined), DEFAULT_SETTINGS);
  const s = normalizeSettings({ enable: 'yes', platforms: 'linux', rules: { 'reuse-missing': 'loud', 'no-such-rule': 'off' }, maxFileSize: -3 });
  assert.equal(s.enable, true);
  assert.deepEqual(s.platforms, []);
  assert.deepEqual(s.rules, {});
  assert.equal(s.maxFileSize, null);
});

test('settings left at their defaults keep what .bindwatch.json says', () => {
  const config = effectiveConfig(DEFAULT_SETTINGS, { platforms: ['linux'], severity: { 'port-conflict': 'off' }, maxFileSize: 10 });
  assert.deepEqual(config.platforms, ['linux']);
  assert.equal(config.severity['port-conflict'], 'off');
  assert.equal(config.maxFileSize, 10);
});

test('settings the user changed win over .bindwatch.json', () => {
  const settings = normalizeSettings({
    platforms: ['windows', 'linux'],
    rules: { 'port-conflict': 'warning', 'reuse-missing': 'default', 'bind-all-interfaces': 'off' },
    exclude: ['vendor/**'],
    maxFileSize: 2048,
  });
  const config = effectiveConfig(settings, { platforms: ['darwin'], severity: { 'port-conflict': 'off', 'reuse-missing': 'error' }, ignore: ['gen/**'] });
  assert.deepEqual(config.platforms, ['win32', 'linux']);
  assert.equal(config.severity['port-conflict'], 'warning');
  assert.equal(config.severity['reuse-missing'], 'error', "'default' leaves the file's choice");
  assert.equal(config.severity['bind-all-interfaces'], 'off');
  assert.deepEqual(config.ignore, ['gen/**', 'vendor/**']);
  assert.equal(config.maxFileSize, 2048);
});

test('without settings or a config file the engine defaults apply', () => {
  const config = effectiveConfig(DEFAULT_SETTINGS);
  assert.deepEqual(config.platforms, ['linux', 'darwin', 'win32']);
  assert.equal(config.maxFileSize, DEFAULT_MAX_FILE_SIZE);
});
