/*
 * hgsite events: the user's tag changes as HomeGallery-compatible userAction events (docs/events.md).
 *
 * Pure parts (making, applying, inverting and exporting events) run in node too; the store keeps the
 * events of one gallery in IndexedDB, or in localStorage where IndexedDB is unavailable, so they survive
 * reloads over http and from file://.
 */
(function (root) {
  'use strict';

  var hgsite = root.hgsite || (root.hgsite = {});
  var HEADER_TYPE = 'hgsite/events@1';

  /** @returns {string} a random RFC 4122 version 4 id (crypto.getRandomValues works on file:// too) */
  function uuid4(random) {
    var bytes = new Uint8Array(16);
    if (random) random(bytes);
    else root.crypto.getRandomValues(bytes);
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    var hex = Array.prototype.map.call(bytes, function (b) { return (b + 0x100).toString(16).slice(1); }).join('');
    return hex.slice(0, 8) + '-' + hex.slice(8, 12) + '-' + hex.slice(12, 16) + '-' + hex.slice(16, 20) + '-' + hex.slice(20);
  }

  /** A tag as stored: whitespace folded, trimmed; '' when nothing is left. Same rule as the build. */
  function cleanTag(text) {
    return String(text == null ? '' : text).replace(/[\u0000-\u001f\u007f]/g, '').split(/\s+/).filter(Boolean).join(' ').slice(0, 200);
  }

  /**
   * A new event.
   * @param {string[]} targetIds
   * @param {Array<{action: string, value: string}>} actions
   * @param {{now?: Date, random?: function(Uint8Array)}} [opts]
   */
  function makeEvent(targetIds, actions, opts) {
    opts = opts || {};
    return {
      type: 'userAction',
      id: uuid4(opts.random),
      date: (opts.now || new Date()).toISOString(),
      targetIds: targetIds.slice(),
      actions: actions.map(function (a) { return { action: a.action, value: cleanTag(a.value) }; })
    };
  }

  function compareTags(a, b) {
    var x = a.toLowerCase();
    var y = b.toLowerCase();
    return x < y ? -1 : x > y ? 1 : 0;
  }

  /** Events in the order the build applies them: by date, then by id. */
  function ordered(events) {
    return events.slice().sort(function (a, b) {
      var ta = Date.parse(a.date);
      var tb = Date.parse(b.date);
      if (ta !== tb) return ta - tb;
      return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
    });
  }

  /**
   * Apply one event to the entries it names; returns the entries whose tags changed.
   * @param {Map<string, Object>} byId
   */
  function applyEvent(byId, event) {
    var changed = [];
    event.targetIds.forEach(function (id) {
      var entry = byId.get(id);
      if (!entry) return;
      var tags = Array.isArray(entry.tags) ? entry.tags.slice() : [];
      var before = tags.join('\u0000');
      event.actions.forEach(function (a) {
        var at = tags.indexOf(a.value);
        if (a.action === 'addTag' && at < 0) tags.push(a.value);
        if (a.action === 'removeTag' && at >= 0) tags.splice(at, 1);
      });
      tags.sort(compareTags);
      if (tags.join('\u0000') !== before) {
        entry.tags = tags;
        changed.push(entry);
      }
    });
    return changed;
  }

  /**
   * The event that undoes `event` for the entries as they are now (after it was applied), touching only
   * the targets it really changed; null when it changed nothing. `before` maps id -> tags before it.
   */
  function inverseEvent(event, before, opts) {
    var actions = [];
    var targets = [];
    event.targetIds.forEach(function (id) {
      var had = before[id];
      if (!had) return;
      var undo = [];
      event.actions.forEach(function (a) {
        var present = had.indexOf(a.value) >= 0;
        if (a.action === 'addTag' && !present) undo.push({ action: 'removeTag', value: a.value });
        if (a.action === 'removeTag' && present) undo.push({ action: 'addTag', value: a.value });
      });
      if (!undo.length) return;
      targets.push(id);
      if (!actions.length) actions = undo;
    });
    return targets.length ? makeEvent(targets, actions, opts) : null;
  }

  /** The ndjson file that `hgsite import` reads: a header line, then one event per line. */
  function toNdjson(events, now) {
    var lines = [JSON.stringify({ type: HEADER_TYPE, created: (now || new Date()).toISOString() })];
    events.forEach(function (e) {
      lines.push(JSON.stringify({ type: e.type, id: e.id, date: e.date, targetIds: e.targetIds, actions: e.actions }));
    });
    return lines.join('\n') + '\n';
  }

  /** Every tag of the entries with its count, most used first. */
  function tagCounts(entries) {
    var counts = new Map();
    entries.forEach(function (entry) {
      (entry.tags || []).forEach(function (tag) { counts.set(tag, (counts.get(tag) || 0) + 1); });
    });
    return Array.from(counts.entries()).sort(function (a, b) { return b[1] - a[1] || compareTags(a[0], b[0]); });
  }

  // ---------------------------------------------------------------------------------------------------
  // Store: one gallery's events, in IndexedDB or localStorage

  var DB_NAME = 'hgsite-events';

  function openIndexedDb() {
    return new Promise(function (resolve, reject) {
      if (!root.indexedDB) return reject(new Error('no IndexedDB'));
      var request;
      try {
        request = root.indexedDB.open(DB_NAME, 1);
      } catch (err) {
        return reject(err);
      }
      request.onupgradeneeded = function () {
        var store = request.result.createObjectStore('events', { keyPath: 'key' });
        store.createIndex('gallery', 'gallery');
      };
      request.onsuccess = function () { resolve(request.result); };
      request.onerror = function () { reject(request.error); };
    });
  }

  /**
   * The events of one gallery (file:// pages of different galleries share one browser origin, so every
   * record carries the gallery's id). IndexedDB commits asynchronously and a page closed right after a
   * change could lose it, so every event is first written to a journal in localStorage, which is
   * synchronous, and leaves the journal once IndexedDB has it. Without IndexedDB the journal is the store.
   * @param {string} gallery
   * @constructor
   */
  function Store(gallery) {
    this.gallery = gallery || 'default';
    this.db = null;
    this.kind = 'memory';
    this.memory = [];
  }

  function localStore() {
    try {
      return root.localStorage || null;
    } catch (err) {
      return null;
    }
  }

  Store.prototype.journalKey = function () { return 'hgsite-events:' + this.gallery; };

  Store.prototype.readJournal = function () {
    var storage = localStore();
    if (!storage) return this.memory.slice();
    try {
      var list = JSON.parse(storage.getItem(this.journalKey()) || '[]');
      return Array.isArray(list) ? list : [];
    } catch (err) {
      return [];
    }
  };

  Store.prototype.writeJournal = function (list) {
    var storage = localStore();
    this.memory = list.slice();
    if (!storage) return;
    try {
      if (list.length) storage.setItem(this.journalKey(), JSON.stringify(list));
      else storage.removeItem(this.journalKey());
    } catch (err) { /* full or forbidden: IndexedDB still gets the event */ }
  };

  /** @returns {Promise<Object[]>} the stored events, oldest first */
  Store.prototype.open = function () {
    var self = this;
    var journal = this.readJournal();
    return openIndexedDb().then(function (db) {
      self.db = db;
      self.kind = 'indexeddb';
      return self.readIndexedDb();
    }).then(function (stored) {
      var known = new Set(stored.map(function (e) { return e.id; }));
      var missing = journal.filter(function (e) { return !known.has(e.id); });
      missing.forEach(function (event) { self.put(event); });   // finish what a closed page left
      return stored.concat(missing);
    }).catch(function () {
      self.kind = localStore() ? 'localstorage' : 'memory';
      return journal;
    });
  };

  Store.prototype.readIndexedDb = function () {
    var self = this;
    return new Promise(function (resolve, reject) {
      var request = self.db.transaction('events').objectStore('events').index('gallery').getAll(self.gallery);
      request.onsuccess = function () {
        resolve(request.result.sort(function (a, b) { return a.seq - b.seq; }).map(function (r) { return r.event; }));
      };
      request.onerror = function () { reject(request.error); };
    });
  };

  /** Keep an event: in the journal at once, then in IndexedDB; resolves once it is stored for good. */
  Store.prototype.add = function (event) {
    this.writeJournal(this.readJournal().concat([event]));
    return this.kind === 'indexeddb' ? this.put(event) : Promise.resolve(event);
  };

  Store.prototype.put = function (event) {
    var self = this;
    return new Promise(function (resolve, reject) {
      var tx = self.db.transaction('events', 'readwrite');
      tx.objectStore('events').put({ key: self.gallery + ' ' + event.id, gallery: self.gallery, seq: Date.now() + Math.random(), event: event });
      tx.oncomplete = function () {
        self.writeJournal(self.readJournal().filter(function (e) { return e.id !== event.id; }));
        resolve(event);
      };
      tx.onerror = function () { reject(tx.error); };
    });
  };

  hgsite.events = {
    HEADER_TYPE: HEADER_TYPE,
    uuid4: uuid4,
    cleanTag: cleanTag,
    makeEvent: makeEvent,
    ordered: ordered,
    applyEvent: applyEvent,
    inverseEvent: inverseEvent,
    toNdjson: toNdjson,
    tagCounts: tagCounts,
    Store: Store
  };

  if (typeof module !== 'undefined' && module.exports) module.exports = hgsite.events;
}(typeof window !== 'undefined' ? window : globalThis));
