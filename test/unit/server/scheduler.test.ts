import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DebouncedRunner, type Clock, type RunToken, type Timer } from '../../../src/server/scheduler';

/** A clock the test advances by hand. */
function manualClock(): Clock & { tick(ms: number): void } {
  let now = 0;
  let nextId = 0;
  const timers = new Map<number, { at: number; fn: () => void }>();
  return {
    setTimeout(fn, ms) {
      const id = ++nextId;
      timers.set(id, { at: now + ms, fn });
      return id as unknown as Timer;
    },
    clearTimeout(timer) {
      timers.delete(timer as unknown as number);
    },
    tick(ms) {
      now += ms;
      for (const [id, t] of [...timers]) {
        if (t.at <= now) {
          timers.delete(id);
          t.fn();
        }
      }
    },
  };
}

test('typing quickly analyzes the document once, after the last keystroke', async () => {
  const clock = manualClock();
  const runs: string[] = [];
  const runner = new DebouncedRunner<string>((key) => {
    runs.push(key);
    return Promise.resolve();
  }, () => assert.fail('no error expected'), clock);
  for (let i = 0; i < 5; i++) {
    runner.schedule('a.py', 100);
    clock.tick(50);
  }
  assert.deepEqual(runs, []);
  clock.tick(100);
  await Promise.resolve();
  assert.deepEqual(runs, ['a.py']);
});

test('documents debounce independently', async () => {
  const clock = manualClock();
  const runs: string[] = [];
  const runner = new DebouncedRunner<string>((key) => {
    runs.push(key);
    return Promise.resolve();
  }, () => undefined, clock);
  runner.schedule('a.py', 100);
  runner.schedule('b.go', 100);
  clock.tick(100);
  await Promise.resolve();
  assert.deepEqual(runs.sort(), ['a.py', 'b.go']);
});

test('a new edit cancels the run already under way for that document', () => {
  const clock = manualClock();
  const tokens: RunToken[] = [];
  let release: () => void = () => undefined;
  const runner = new DebouncedRunner<string>((_key, token) => {
    tokens.push(token);
    return new Promise<void>((resolve) => {
      release = resolve;
    });
  }, () => undefined, clock);
  runner.schedule('a.py', 0);
  assert.equal(tokens.length, 1);
  runner.schedule('a.py', 100);
  assert.equal(tokens[0]?.cancelled, true, 'the running analysis is told to drop its result');
  release();
  clock.tick(100);
  assert.equal(tokens.length, 2);
  assert.equal(tokens[1]?.cancelled, false);
});

test('a failing run is reported and does not stop later runs', async () => {
  const clock = manualClock();
  const errors: unknown[] = [];
  let calls = 0;
  const runner = new DebouncedRunner<string>(() => {
    calls++;
    return calls === 1 ? Promise.reject(new Error('bad file')) : Promise.resolve();
  }, (_key, error) => errors.push(error), clock);
  runner.schedule('a.py', 0);
  await new Promise((r) => setImmediate(r));
  runner.schedule('a.py', 0);
  await new Promise((r) => setImmediate(r));
  assert.equal(calls, 2);
  assert.equal(errors.length, 1);
});
