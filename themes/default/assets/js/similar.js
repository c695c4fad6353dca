/*
 * hgsite similar: "photos like this one" and near-duplicates, from data/similar.json.gz (docs/similarity.md).
 *
 * Every item has a 1024-bit code (128 bytes); the similarity of two items is the number of equal bits
 * (1024 = same direction, about 512 = unrelated). Ranking the whole collection is one pass of XOR +
 * popcount and a counting sort over the 1025 possible scores: linear time, ties in database order.
 *
 * Route: #/similar/<id> (the collection ranked by similarity to <id>, the item itself first); the
 * viewer gets a "Similar" action (key s). load() gives the codes to duplicates.js and to search.js.
 *
 * Needs errors.js and bytes.js first; the view needs app.js. The ranking functions are pure and run in
 * node --test.
 */
(function (root) {
  'use strict';

  // in node (tests) there is no window: the namespace comes with the files this one needs
  var hgsite = root.hgsite || (typeof module !== 'undefined' && module.exports ? require('./bytes.js') : (root.hgsite = {}));

  var BITS = 1024;
  // Below this many equal bits two items are no more alike than any two photos: measured on the corpus
  // (docs/similarity.md), pairs under 630 share a label no more often than pairs at random.
  var FLOOR = 630;
  var WORDS = BITS / 32;
  var BYTES = BITS / 8;

  /**
   * Turn the parsed data file into typed arrays for ranking.
   * @param {any} data  the object of data/similar.json.gz
   * @param {number} [expected]  the number of database entries the codes must match
   * @returns {{count: number, words: Int32Array, missing: Uint8Array, groups: Array<{items: number[], similarity: number}>, exact: number[]}}
   */
  function parseCodes(data, expected) {
    if (!data || !data.code || data.code.kind !== 'sign-bits' || data.code.bits !== BITS) {
      throw new hgsite.DataError('The similarity data has an unknown code.', 'Rebuild the site with this hgsite version.');
    }
    var count = Number(data.count);
    if (expected !== undefined && count !== expected) {
      throw new hgsite.DataError('The similarity data does not match the database (' + count + ' codes, ' +
        expected + ' entries).', 'Copy the whole site folder again, or rebuild it.');
    }
    var bytes = hgsite.decodeBase64(data.codes || '');
    if (bytes.length !== count * BYTES) {
      throw new hgsite.DataError('The similarity data is incomplete.', 'Copy the whole site folder again, or rebuild it.');
    }
    var missing = new Uint8Array(count);
    (data.missing || []).forEach(function (index) { if (index >= 0 && index < count) missing[index] = 1; });
    return {
      count: count,
      words: toWords(bytes),
      missing: missing,
      groups: Array.isArray(data.groups) ? data.groups : [],
      exact: Array.isArray(data.exact) ? data.exact : []
    };
  }

  /** Bytes to 32-bit words, big-endian, so bit i of a code is bit (31 - i % 32) of word i / 32. */
  function toWords(bytes) {
    var words = new Int32Array(bytes.length >> 2);
    for (var i = 0, j = 0; i < words.length; i++, j += 4) {
      words[i] = (bytes[j] << 24) | (bytes[j + 1] << 16) | (bytes[j + 2] << 8) | bytes[j + 3];
    }
    return words;
  }

  /**
   * Equal bits of codes a and b (0..1024).
   * @param {Int32Array} words  @param {number} a  @param {number} b  item indices
   */
  function similarity(words, a, b) {
    return BITS - differing(words, a * WORDS, b * WORDS);
  }

  /** Differing bits of the codes at word offsets a and b: popcount of XOR, bytes summed 16 words at a time. */
  function differing(words, a, b) {
    var total = 0;
    for (var half = 0; half < WORDS; half += 16) {
      var acc = 0;
      for (var w = half; w < half + 16; w++) {
        var x = words[a + w] ^ words[b + w];
        x = x - ((x >>> 1) & 0x55555555);
        x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
        acc = (acc + ((x + (x >>> 4)) & 0x0f0f0f0f)) | 0;   // each byte <= 8 per word, <= 128 after 16
      }
      acc = (acc & 0x00ff00ff) + ((acc >>> 8) & 0x00ff00ff);
      total += (acc & 0xffff) + (acc >>> 16);
    }
    return total;
  }

  /**
   * The whole collection ranked by similarity to item `query`: the query first, then by descending score,
   * ties in database order. Items without a code are left out.
   * @param {{count: number, words: Int32Array, missing: Uint8Array}} codes  from parseCodes
   * @param {number} query  an item index
   * @returns {{order: Int32Array, scores: Uint16Array}}  scores by item index
   */
  function rank(codes, query) {
    var count = codes.count;
    var words = codes.words;
    var missing = codes.missing;
    var scores = new Uint16Array(count);
    var buckets = new Int32Array(BITS + 2);
    var q = query * WORDS;
    var kept = 0;
    for (var i = 0; i < count; i++) {
      if (missing[i] || i === query) continue;
      var d = differing(words, q, i * WORDS);
      scores[i] = BITS - d;
      buckets[d + 1]++;
      kept++;
    }
    for (var b = 1; b < buckets.length; b++) buckets[b] += buckets[b - 1];
    var order = new Int32Array(kept + (missing[query] ? 0 : 1));
    var offset = 0;
    if (!missing[query]) {
      scores[query] = BITS;
      order[0] = query;
      offset = 1;
    }
    for (var j = 0; j < count; j++) {
      if (missing[j] || j === query) continue;
      order[offset + buckets[BITS - scores[j]]++] = j;
    }
    return { order: order, scores: scores };
  }

  /**
   * How many of a ranking to show: the leading items scoring at least `floor` (the query scores BITS).
   * @param {Int32Array|number[]} order  @param {Uint16Array} scores  from rank
   * @param {number} [floor]  FLOOR unless given
   */
  function similarCount(order, scores, floor) {
    var least = floor === undefined ? FLOOR : floor;
    var lo = 0;
    var hi = order.length;
    while (lo < hi) {   // scores fall along the order: the first below the floor
      var mid = (lo + hi) >> 1;
      if (scores[order[mid]] >= least) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /**
   * The items of the duplicates view: each near-duplicate group (largest first), then items stored at
   * several paths that are not in a group already.
   * @returns {number[]} item indices
   */
  function duplicateOrder(codes) {
    var seen = new Set();
    var out = [];
    codes.groups.slice().sort(function (a, b) { return b.items.length - a.items.length; }).forEach(function (group) {
      group.items.forEach(function (index) {
        if (!seen.has(index) && index >= 0 && index < codes.count) { seen.add(index); out.push(index); }
      });
    });
    codes.exact.forEach(function (index) {
      if (!seen.has(index) && index >= 0 && index < codes.count) { seen.add(index); out.push(index); }
    });
    return out;
  }

  var api = {
    BITS: BITS,
    FLOOR: FLOOR,
    similarCount: similarCount,
    parseCodes: parseCodes,
    toWords: toWords,
    similarity: similarity,
    rank: rank,
    duplicateOrder: duplicateOrder
  };
  hgsite.similar = api;

  // ---------------------------------------------------------------------------------------------------
  // The view (browser only)

  var app = hgsite.app;
  if (app && root.document) {
    var loading = null;
    /** The codes, loaded on first use and checked against the database. @returns {Promise<Object>} */
    api.load = function () {
      if (!loading) {
        loading = hgsite.loadData('similar').then(function (data) {
          return parseCodes(data, app.entries.length);
        });
        loading.catch(function () { loading = null; });
      }
      return loading;
    };
    var indexOf = function (id) {
      for (var i = 0; i < app.entries.length; i++) if (app.entries[i].id === id) return i;
      return -1;
    };
    var shown = { key: '', list: null, heading: null };
    var showList = function (indices, key, heading) {
      if (shown.key === key && app.list === shown.list) {   // back from the viewer: keep the scroll
        app.setHeading(shown.heading);
        return;
      }
      var list = Array.prototype.map.call(indices, function (i) { return app.entries[i]; });
      app.setHeading(heading);
      app.setList(list, { grouped: false });
      if (shown.key !== key) root.scrollTo(0, 0);
      shown = { key: key, list: list, heading: heading };
    };
    var failed = function (error) {
      app.notify(error && error.message ? error.message : String(error));
      app.navigate('#/', true);
    };
    /** "Similar to <name>" with the photo (a link to it in the viewer) and how many are shown. */
    var headingFor = function (entry, count) {
      var h = hgsite.h;
      var preview = hgsite.pickPreview(entry, 160 * hgsite.ui.dpr());
      var others = count - 1;
      return h('section.list-heading.similar-heading', { 'aria-labelledby': 'hgsite-list-title' }, [
        h('a.list-heading-photo', { href: hgsite.formatRoute('view', { id: entry.id }), title: hgsite.entryName(entry) }, [
          h('img', { alt: hgsite.entryName(entry), src: preview ? preview.url : null, decoding: 'async' })
        ]),
        h('div.list-heading-text', {}, [
          h('h2.list-heading-title', { id: 'hgsite-list-title', text: 'Similar to ' + hgsite.entryName(entry) }),
          h('p.list-heading-note', {
            text: others ? hgsite.formatNumber(others) + (others === 1 ? ' similar item' : ' similar items') + ', most similar first; the rest of the gallery is not alike enough to show.'
              : 'Nothing else in the gallery is alike enough to show.'
          })
        ])
      ]);
    };

    app.view({
      route: 'similar',
      param: 'id',
      render: function (route) {
        var id = route.params.id;
        app.closeViewer();
        var index = indexOf(id);
        if (index < 0) {
          app.notify('There is no item with the id ' + id + '.');
          return app.navigate('#/', true);
        }
        return api.load().then(function (codes) {
          if (app.route !== route) return;
          if (codes.missing[index]) {
            app.notify('This item has no similarity data (it could not be analysed).');
            return app.navigate('#/', true);
          }
          var ranked = rank(codes, index);
          var count = similarCount(ranked.order, ranked.scores);
          var key = 'similar:' + id;
          showList(ranked.order.subarray(0, count), key, shown.key === key ? shown.heading : headingFor(app.entries[index], count));
          root.document.title = 'Similar to ' + hgsite.entryName(app.entries[index]) + ' – ' + app.title;
          return undefined;
        }, failed);
      }
    });

    app.viewerAction({
      key: 's',
      label: 'Similar (s)',
      icon: 'similar',
      order: 10,
      run: function (entry) { app.navigate(hgsite.formatRoute('similar', { id: entry.id })); }
    });
  }

  if (typeof module !== 'undefined' && module.exports) module.exports = api;
}(typeof window !== 'undefined' ? window : {}));
