// The adaptive interval: backs off while nothing changes, bursts after a user event, slows in the background.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RefreshPolicy } from '../../../../src/ports/view/refreshPolicy';

test('starts at the floor and backs off geometrically up to 7.5 times it while nothing changes', () => {
  const policy = new RefreshPolicy({ minMs: 2000 });
  const delays: number[] = [];
  for (let i = 0; i < 8; i++) {
    delays.push(policy.nextDelay(2000, true));
    policy.observe(false);
  }
  assert.deepEqual(delays, [2000, 3000, 4500, 6750, 10125, 15000, 15000, 15000]);
});

test('a change brings the delay back to the floor', () => {
  const policy = new RefreshPolicy({ minMs: 2000 });
  for (let i = 0; i < 5; i++) policy.observe(false);
  policy.observe(true);
  assert.equal(policy.nextDelay(2000, true), 2000);
});

test('the collector\'s floor (expensive scans) wins over the minimum, and the back-off stops at 7.5x the minimum', () => {
  const policy = new RefreshPolicy({ minMs: 2000 });
  const delays: number[] = [];
  for (let i = 0; i < 4; i++) {
    delays.push(policy.nextDelay(6000, true));
    policy.observe(false);
  }
  assert.deepEqual(delays, [6000, 9000, 13500, 15000]);
  assert.equal(policy.nextDelay(18000, true), 18000);
});

test('a poke bursts (0.4 s, 1 s, 2 s) then returns to the floor; an expensive scan floor still applies', () => {
  const policy = new RefreshPolicy({ minMs: 2000 });
  for (let i = 0; i < 5; i++) policy.observe(false);
  policy.poke();
  assert.deepEqual([policy.nextDelay(2000, true), policy.nextDelay(2000, true), policy.nextDelay(2000, true), policy.nextDelay(2000, true)], [400, 1000, 2000, 2000]);
  policy.poke();
  assert.equal(policy.nextDelay(5000, true), 5000);
});

test('three times slower while the window is in the background', () => {
  const policy = new RefreshPolicy({ minMs: 2000 });
  assert.equal(policy.nextDelay(2000, false), 6000);
});

test('a minimum below 250 ms is raised to it', () => {
  assert.equal(new RefreshPolicy({ minMs: 10 }).minMs, 250);
});
