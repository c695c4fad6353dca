'use strict';
// node --test tests/js/ : registry.js: views, nav entries, viewer actions, listeners and the grid's
// grouping, registered in any script order and read back in a defined one.

const test = require('node:test');
const assert = require('node:assert/strict');
const path = require('node:path');

const hg = require(path.join(__dirname, '../../themes/default/assets/js/registry.js'));

test('a view defines its route, and the app finds its render by route name', () => {
  const registry = hg.createRegistry(hg.router);
  const render = () => 'shown';
  registry.view({ route: 'things', param: 'name', rest: true, render });
  assert.deepEqual(hg.parseRoute('#/things/a/b'), { name: 'things', params: { name: 'a/b' }, known: true });
  assert.equal(hg.formatRoute('things', { name: 'a b' }), '#/things/a%20b');
  assert.equal(registry.renderer('things'), render);
  assert.equal(registry.renderer('nothing'), null);
  registry.view({ route: 'plain', optional: true, render });
  assert.deepEqual(hg.parseRoute('#/plain'), { name: 'plain', params: {}, known: true });
  assert.equal(hg.parseRoute('#/plain/x').name, 'all', 'no param: a value is not this route');
});

test('a later view of the same route replaces the earlier one, nav entry included', () => {
  const registry = hg.createRegistry(hg.router);
  registry.view({ route: 'again', nav: { label: 'First', icon: 'a', order: 1 }, render: () => 1 });
  const second = () => 2;
  registry.view({ route: 'again', nav: { label: 'Second', icon: 'b', order: 1 }, render: second });
  assert.equal(registry.renderer('again'), second);
  assert.deepEqual(registry.navEntries().map((e) => e.label), ['Second']);
});

test('nav entries come in their order, then in registration order; views without one have none', () => {
  const registry = hg.createRegistry(hg.router);
  const render = () => undefined;
  const shown = (data) => !!data;
  registry.view({ route: 'n-late', nav: { label: 'Late', icon: 'x' }, render });
  registry.view({ route: 'n-b', nav: { label: 'B', icon: 'x', order: 20 }, render });
  registry.view({ route: 'n-hidden', render });
  registry.view({ route: 'n-a', nav: { label: 'A', icon: 'x', order: 10, shown }, render });
  registry.view({ route: 'n-b2', nav: { label: 'B2', icon: 'x', order: 20 }, render });
  const entries = registry.navEntries();
  assert.deepEqual(entries.map((e) => [e.route, e.label]), [['n-a', 'A'], ['n-b', 'B'], ['n-b2', 'B2'], ['n-late', 'Late']]);
  assert.equal(entries[0].shown, shown);
  assert.equal(entries[1].shown(null), true, 'without shown() a link always shows');
});

test('viewer actions come in their order, whatever the order of the scripts that register them', () => {
  const registry = hg.createRegistry(hg.router);
  const run = () => undefined;
  registry.viewerAction({ key: 'f', label: 'Faces', icon: 'faces', order: 20, run });
  registry.viewerAction({ key: 'x', label: 'Extra', icon: 'x', run });
  registry.viewerAction({ key: 's', label: 'Similar', icon: 'similar', order: 10, run });
  assert.deepEqual(registry.viewerActions().map((a) => a.key), ['s', 'f', 'x']);
});

test('listeners are called in registration order with the event arguments; emit waits for them', async () => {
  const registry = hg.createRegistry(hg.router);
  const calls = [];
  registry.on('data', (data) => { calls.push(['one', data.n]); return 1; });
  registry.on('data', (data) => new Promise((resolve) => setTimeout(() => { calls.push(['two', data.n]); resolve(2); }, 5)));
  registry.on('route', () => calls.push(['route']));
  assert.deepEqual(await registry.emit('data', { n: 7 }), [1, 2]);
  assert.deepEqual(calls, [['one', 7], ['two', 7]]);
  assert.deepEqual(await registry.emit('nobody-listens'), []);
});

test('the grid has no sections until a grouping is registered', () => {
  const registry = hg.createRegistry(hg.router);
  const list = [{ id: 'a' }, { id: 'b' }];
  assert.equal(registry.sections(list), null);
  registry.groupBy((entries) => (entries.length > 1 ? [{ start: 0, label: 'All' }] : null));
  assert.deepEqual(registry.sections(list), [{ start: 0, label: 'All' }]);
  assert.equal(registry.sections([list[0]]), null);
});

test('a registration without what it needs is refused with a message', () => {
  const registry = hg.createRegistry(hg.router);
  assert.throws(() => registry.view({ route: 'x' }), /render/);
  assert.throws(() => registry.view({ render: () => undefined }), /route/);
  assert.throws(() => registry.view({ route: 'x', nav: { label: 'X' }, render: () => undefined }), /label and an icon/);
  assert.throws(() => registry.viewerAction({ label: 'No key', run: () => undefined }), /key/);
  assert.equal(registry.renderer('x'), null);
});
