// The manifest, the settings schema and the engine must agree: every language the engine reads
// activates the extension, every rule has a severity setting and a .bindwatch.json entry.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { Analyzer } from '../../../src/analysis/engine';
import { RULES } from '../../../src/analysis/rules/catalog';
import { CommandId } from '../../../src/extension/commands';
import { REPOSITORY_ROOT } from '../repositoryRoot';

const ROOT = REPOSITORY_ROOT;
interface Manifest {
  activationEvents: string[];
  engines: { vscode: string };
  contributes: {
    commands: { command: string; category: string }[];
    configuration: { properties: Record<string, { scope?: string; markdownDescription?: string; properties?: Record<string, unknown> }> };
    jsonValidation: { fileMatch: string; url: string }[];
  };
  capabilities: { untrustedWorkspaces: { supported: boolean | 'limited' } };
}
const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as Manifest;

test('every language the engine reads activates the extension', () => {
  const events = new Set(manifest.activationEvents);
  for (const id of new Analyzer().languageIds()) assert.ok(events.has(`onLanguage:${id}`), `onLanguage:${id} missing`);
  assert.ok(!events.has('*'), 'no eager activation');
});

test('the extension targets VS Code 1.100 at the highest', () => {
  assert.equal(manifest.engines.vscode, '^1.100.0');
});

test('every rule has a severity setting and a .bindwatch.json schema entry', () => {
  const settings = manifest.contributes.configuration.properties['bindwatch.rules']?.properties ?? {};
  const schema = JSON.parse(readFileSync(join(ROOT, manifest.contributes.jsonValidation[0]?.url ?? ''), 'utf8')) as {
    properties: { rules: { properties: Record<string, unknown> } };
  };
  for (const rule of RULES) {
    assert.ok(settings[rule.id], `bindwatch.rules.${rule.id}`);
    assert.ok(schema.properties.rules.properties[rule.id], `schema rules.${rule.id}`);
  }
  assert.equal(Object.keys(settings).length, RULES.length);
});

test('settings are scoped and described in markdown', () => {
  for (const [key, value] of Object.entries(manifest.contributes.configuration.properties)) {
    assert.ok(value.scope, `${key} has a scope`);
    assert.ok(value.markdownDescription, `${key} has a markdown description`);
  }
});

test('the commands the extension registers are contributed, in the Bindwatch category', () => {
  const contributed = new Map(manifest.contributes.commands.map((c) => [c.command, c.category]));
  for (const id of [CommandId.AnalyzeWorkspace, CommandId.ShowRuleDocumentation, CommandId.RestartServer, CommandId.OpenLog]) {
    assert.equal(contributed.get(id), 'Bindwatch', id);
  }
});

test('analysis runs in Restricted Mode', () => {
  assert.notEqual(manifest.capabilities.untrustedWorkspaces.supported, false);
});

test('.vscodeignore is an allow-list', () => {
  const lines = readFileSync(join(ROOT, '.vscodeignore'), 'utf8').split('\n').filter((l) => l && !l.startsWith('#'));
  assert.equal(lines[0], '**');
  assert.ok(lines.slice(1).every((l) => l.startsWith('!')));
});
