/*
 * hgsite memories: #/memories, "On this day": the photos and videos taken on this month and day in
 * earlier years, by year ("3 years ago · 2023"), and a card for it at the top of the home grid. Worked
 * out in the page from the database and the browser's date (the bundle is static).
 *
 * Picking (memoriesOf, pure, tested with node --test):
 *   - candidates: items whose date as shot falls on today's month and day in an earlier year; when the
 *     day has fewer than MIN_DAY picks, the week around it (3 days either side) in each earlier year;
 *   - left out: screenshots and documents (labels such as "website" or "menu", a file name such as
 *     "Screenshot_...", a tag "screenshot" or "document");
 *   - one per burst (shots of the same camera at most BURST_SECONDS apart) and one per near-duplicate
 *     group (data/similar.json.gz), the one that scores best;
 *   - the score prefers photos with people, then sharp ones. The database has no measure of sharpness;
 *     what it has are the exposure settings, so "sharp" means: no camera shake to expect (exposure
 *     time at most 1/focal length in 35 mm terms, the photographer's rule), no very high ISO, and
 *     enough pixels for a screen. Items dated by file time only count a little less;
 *   - at most PER_YEAR shown per year (the best ones), "Show all" shows the rest.
 *
 * Needs dom.js, entries.js, format.js, ui.js, query.js, similar.js and app.js first for the page.
 */
(function (root) {
  'use strict';

  var hgsite = root.hgsite || (root.hgsite = {});

  var MIN_DAY = 4;          // fewer picks than this on the day: the week around it
  var WEEK_DAYS = 3;        // the week: the day and 3 days either side
  var PER_YEAR = 20;        // shown per year before "Show all"
  var BURST_SECONDS = 3;    // shots of one camera this close are one burst

  // ImageNet labels (and their synonyms) that mean a screen, a document or printed matter
  var DOCUMENT_LABELS = [
    'website', 'web site', 'internet site', 'menu', 'envelope', 'comic book', 'crossword', 'crossword puzzle',
    'dust jacket', 'book jacket', 'dust cover', 'ring binder', 'binder', 'monitor', 'crt monitor', 'screen',
    'crt screen', 'television', 'scoreboard', 'slide rule'
  ];
  var DOCUMENT_TAGS = ['screenshot', 'screenshots', 'document', 'documents', 'receipt', 'scan'];
  var SCREENSHOT_NAME = /(^|[\/_\- ])(screen ?shot|screenshot|bildschirmfoto|capture d.écran|schermata|captura de pantalla|schermafbeelding)/i;
  var MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September',
    'October', 'November', 'December'];

  var documentLabels = new Set(DOCUMENT_LABELS);
  var documentTags = new Set(DOCUMENT_TAGS);

  /** @returns {boolean} the item is a screenshot or a document: no memory */
  function isDocument(entry) {
    var i;
    var labels = entry.labels;
    if (labels) for (i = 0; i < labels.length; i++) if (documentLabels.has(String(labels[i]).toLowerCase())) return true;
    var tags = entry.tags;
    if (tags) for (i = 0; i < tags.length; i++) if (documentTags.has(String(tags[i]).toLowerCase())) return true;
    var files = entry.files;
    if (files) for (i = 0; i < files.length; i++) if (SCREENSHOT_NAME.test(files[i])) return true;
    return false;
  }

  /**
   * How good a memory an item makes, from what the database knows: people first, then sharpness
   * (the exposure settings), then the user's tags. Higher is better.
   * @returns {number}
   */
  function scoreOf(entry) {
    var score = 0;
    if ((entry.people && entry.people.length) || (entry.faces && entry.faces.length)) score += 4;
    score += sharpness(entry);
    if (entry.tags && entry.tags.length) score += 1;
    if (entry.dsrc === 'mtime') score -= 1;   // dated by the file's time: perhaps not taken that day
    return score;
  }

  /**
   * Sharpness as far as the database tells: +2 when the exposure was short enough for the focal length
   * to rule out camera shake (t <= 1/f35), -2 when it was more than twice that, -1 for ISO 3200 and
   * above (noise, smeared detail), -1 for less than a megapixel.
   */
  function sharpness(entry) {
    var score = 0;
    var t = Number(entry.exposure);
    var f = Number(entry.focal35);
    if (t > 0 && f > 0) {
      var shake = t * f;
      score += shake <= 1 ? 2 : shake > 2 ? -2 : 0;
    } else if (t > 1 / 15) {
      score -= 1;
    }
    if (Number(entry.iso) >= 3200) score -= 1;
    if (Number(entry.width) * Number(entry.height) < 1e6) score -= 1;
    return score;
  }

  /** Days since 1970-01-01 of a proleptic Gregorian date (no Date object: fast in a loop). */
  function dayNumber(y, m, d) {
    y -= m <= 2 ? 1 : 0;
    var era = Math.floor(y / 400);
    var yoe = y - era * 400;
    var doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
    var doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
    return era * 146097 + doe - 719468;
  }

  /** Two digits of a date string at `at` as a number, or -1. */
  function digits2(s, at) {
    var a = s.charCodeAt(at) - 48;
    var b = s.charCodeAt(at + 1) - 48;
    return a >= 0 && a <= 9 && b >= 0 && b <= 9 ? a * 10 + b : -1;
  }

  function seconds(date) {
    var h = digits2(date, 11);
    var m = digits2(date, 14);
    var s = digits2(date, 17);
    return h < 0 || m < 0 ? 0 : h * 3600 + m * 60 + (s < 0 ? 0 : s);
  }

  /** @returns {{year: number, month: number, day: number}} the local date of a Date (the browser's clock) */
  function localDay(date) {
    return { year: date.getFullYear(), month: date.getMonth() + 1, day: date.getDate() };
  }

  /**
   * Near-duplicate groups of data/similar.json.gz as a group number per entry index (-1: in none).
   * @param {Array<{items: number[]}>} groups
   * @param {number} count
   * @returns {Int32Array}
   */
  function groupIndex(groups, count) {
    var of = new Int32Array(count).fill(-1);
    (groups || []).forEach(function (group, g) {
      (group.items || []).forEach(function (i) { if (i >= 0 && i < count) of[i] = g; });
    });
    return of;
  }

  /**
   * The candidates of today's day and week in earlier years: one pass over the entries.
   * @returns {Array<{entry: Object, index: number, year: number, inDay: boolean, key: string}>}
   */
  function candidates(entries, today) {
    var centers = {};   // year -> day number of today's month and day in that year
    for (var y = today.year - 200; y < today.year + 1; y++) centers[y] = dayNumber(y, today.month, today.day);
    var out = [];
    var m0 = today.month;
    for (var i = 0; i < entries.length; i++) {
      var date = entries[i].date;
      if (typeof date !== 'string' || date.length < 10) continue;
      var m = digits2(date, 5);
      var near = m === m0 || m === m0 % 12 + 1 || m === (m0 + 10) % 12 + 1;
      if (!near) continue;
      var year = digits2(date, 0) * 100 + digits2(date, 2);
      var d = digits2(date, 8);
      if (year < 0 || d < 1 || year >= today.year + 1) continue;
      var n = dayNumber(year, m, d);
      for (var c = year - 1; c <= year + 1; c++) {
        if (c >= today.year || centers[c] === undefined) continue;
        var gap = n - centers[c];
        if (gap >= -WEEK_DAYS && gap <= WEEK_DAYS) {
          out.push({ entry: entries[i], index: i, year: c, inDay: gap === 0 && m === today.month && d === today.day, key: date.slice(0, 19) });
          break;
        }
      }
    }
    return out;
  }

  /** Union-find over positions 0..n-1. */
  function unions(n) {
    var parent = new Int32Array(n);
    for (var i = 0; i < n; i++) parent[i] = i;
    function find(a) {
      while (parent[a] !== a) { parent[a] = parent[parent[a]]; a = parent[a]; }
      return a;
    }
    return { find: find, join: function (a, b) { parent[find(a)] = find(b); } };
  }

  /** Better first: score, then more pixels (an original over its smaller copy), larger file, database order. */
  function better(a, b) {
    return b.score - a.score || b.pixels - a.pixels || (Number(b.entry.size) || 0) - (Number(a.entry.size) || 0) || a.index - b.index;
  }

  /**
   * One pick per burst and, with `groupOf`, per near-duplicate group: the best of each.
   * @returns {Array<Object>} the picks (candidate records with score), in no particular order
   */
  function pick(list, groupOf) {
    list.forEach(function (c) {
      c.score = scoreOf(c.entry);
      c.pixels = (Number(c.entry.width) || 0) * (Number(c.entry.height) || 0);
    });
    var sorted = list.slice().sort(function (a, b) { return a.key < b.key ? -1 : a.key > b.key ? 1 : a.index - b.index; });
    var sets = unions(sorted.length);
    var byGroup = new Map();
    var lastShot = new Map();   // camera and day -> position of its latest shot so far
    for (var i = 0; i < sorted.length; i++) {
      var c = sorted[i];
      var shot = camera(c.entry) + '\u0000' + c.key.slice(0, 10);
      var p = lastShot.get(shot);
      if (p !== undefined && seconds(c.key) - seconds(sorted[p].key) <= BURST_SECONDS) sets.join(i, p);
      lastShot.set(shot, i);
      var g = groupOf ? groupOf[c.index] : -1;
      if (g >= 0) {
        if (byGroup.has(g)) sets.join(i, byGroup.get(g));
        else byGroup.set(g, i);
      }
    }
    var best = new Map();
    for (var j = 0; j < sorted.length; j++) {
      var r = sets.find(j);
      var kept = best.get(r);
      if (!kept || better(sorted[j], kept) < 0) best.set(r, sorted[j]);
    }
    return Array.from(best.values());
  }

  function camera(entry) { return (entry.make || '') + '\u0000' + (entry.model || ''); }

  function pad2(n) { return (n < 10 ? '0' : '') + n; }

  function isoDay(y, m, d) {
    var t = new Date(Date.UTC(2000, m - 1, d));
    t.setUTCFullYear(y);
    return String(y).padStart(4, '0') + '-' + pad2(t.getUTCMonth() + 1) + '-' + pad2(t.getUTCDate());
  }

  /** The search of everything a year's memories come from: the day, or the week around it. */
  function yearQuery(year, today, mode) {
    if (mode === 'day') return 'date:' + isoDay(year, today.month, today.day);
    var center = new Date(Date.UTC(2000, today.month - 1, today.day));
    center.setUTCFullYear(year);
    var from = new Date(center.getTime() - WEEK_DAYS * 864e5);
    var to = new Date(center.getTime() + WEEK_DAYS * 864e5);
    return 'date in [' + isoDay(from.getUTCFullYear(), from.getUTCMonth() + 1, from.getUTCDate()) + ':' +
      isoDay(to.getUTCFullYear(), to.getUTCMonth() + 1, to.getUTCDate()) + ']';
  }

  /**
   * The memories of a day: the picks of each earlier year, newest year first, each year's picks in
   * database order (newest first).
   * @param {Array<Object>} entries  the database's entries, newest first
   * @param {{year: number, month: number, day: number}} today  the browser's local date
   * @param {{groupOf?: Int32Array, perYear?: number}} [options]  groupOf: near-duplicate group per entry index
   * @returns {{mode: string, today: Object, count: number,
   *            years: Array<{year: number, ago: number, label: string, query: string, found: number,
   *                          picks: Array<Object>, top: Array<Object>}>}}
   *   mode 'day' or 'week'; picks: every pick of the year; top: the best perYear of them, in database
   *   order; found: the year's items before any was left out
   */
  function memoriesOf(entries, today, options) {
    var opts = options || {};
    var perYear = opts.perYear || PER_YEAR;
    var found = candidates(entries, today);
    var all = found.filter(function (c) { return !isDocument(c.entry); });
    var day = all.filter(function (c) { return c.inDay; });
    // the mode does not depend on the near-duplicate data, so the home card and the page agree
    var onDay = pick(day, null).length;
    var mode = onDay >= MIN_DAY || pick(all, null).length <= onDay ? 'day' : 'week';
    var chosen = mode === 'day' ? day : all;
    var picks = pick(chosen, opts.groupOf || null);
    var byYear = new Map();
    picks.forEach(function (c) {
      if (!byYear.has(c.year)) byYear.set(c.year, []);
      byYear.get(c.year).push(c);
    });
    var counts = new Map();
    found.forEach(function (c) {
      if (mode === 'week' || c.inDay) counts.set(c.year, (counts.get(c.year) || 0) + 1);
    });
    var years = Array.from(byYear.keys()).sort(function (a, b) { return b - a; }).map(function (year) {
      var list = byYear.get(year);
      var top = list.slice().sort(better).slice(0, perYear);
      var inOrder = function (a, b) { return a.index - b.index; };
      var ago = today.year - year;
      return {
        year: year,
        ago: ago,
        label: (ago === 1 ? '1 year ago' : ago + ' years ago') + ' · ' + year,
        query: yearQuery(year, today, mode),
        found: counts.get(year) || list.length,
        picks: list.slice().sort(inOrder).map(entryOf),
        top: top.sort(inOrder).map(entryOf),
        best: list.slice().sort(better)[0].entry
      };
    });
    return { mode: mode, today: today, count: picks.length, years: years };
  }

  function entryOf(c) { return c.entry; }

  /** "June 15" */
  function dayName(today) { return MONTHS[today.month - 1] + ' ' + today.day; }

  /** "2023, 2021 and 2016"; past `max` years: "2023, 2021, 2016 and 5 more years" */
  function yearList(years, max) {
    var names = years.map(function (y) { return String(y.year); });
    var limit = max || 4;
    if (names.length > limit) {
      var more = names.length - (limit - 1);
      return names.slice(0, limit - 1).join(', ') + ' and ' + more + ' more years';
    }
    return names.length < 2 ? names.join('') : names.slice(0, -1).join(', ') + ' and ' + names[names.length - 1];
  }

  var api = {
    MIN_DAY: MIN_DAY, PER_YEAR: PER_YEAR, BURST_SECONDS: BURST_SECONDS, WEEK_DAYS: WEEK_DAYS,
    memoriesOf: memoriesOf, scoreOf: scoreOf, sharpness: sharpness, isDocument: isDocument,
    groupIndex: groupIndex, localDay: localDay, dayNumber: dayNumber, yearQuery: yearQuery,
    dayName: dayName, yearList: yearList
  };
  hgsite.memories = api;
  if (typeof module !== 'undefined' && module.exports) module.exports = api;

  // ---------------------------------------------------------------------------------------------------
  // The page and the home card (browser only)

  var doc = root.document;
  var app = hgsite.app;
  if (!doc || !app || !hgsite.ui) return;
  var h = hgsite.h;
  var ui = hgsite.ui;

  ui.defineIcons({ memories: 'M12 7v5l3 2M12 3a9 9 0 1 1-8.5 6M3 4v5h5' });

  var state = {
    key: '',          // the day and database the computed memories are for
    plain: null,      // memories without the near-duplicate data (the home card)
    page: null,       // the #/memories page last made, and its memories
    pageKey: '',
    expanded: new Set(),
    list: null,       // the list the page gave the viewer
    card: null
  };

  function todayKey() {
    var t = localDay(new Date());
    return { today: t, key: t.year + '-' + t.month + '-' + t.day + '/' + app.entries.length };
  }

  /** Memories without near-duplicate groups, for the card (the same days, years and best picks). */
  function plainMemories() {
    var now = todayKey();
    if (state.key !== now.key) {
      state.key = now.key;
      state.plain = memoriesOf(app.entries, now.today);
    }
    return state.plain;
  }

  function coverImg(entry, size, cls) {
    var preview = hgsite.pickPreview(entry, size * ui.dpr());
    var img = h('img.' + cls, { alt: '', loading: 'lazy', decoding: 'async', draggable: 'false', src: preview ? preview.url : null });
    img.addEventListener('load', function () { app.loaded.add(img.getAttribute('src')); img.classList.add('is-loaded'); });
    return img;
  }

  // ---- the card at the top of the home grid ----

  function showCard(show) {
    var main = doc.getElementById('hgsite-main');
    var memories = show && app.entries.length ? plainMemories() : null;
    if (!memories || !memories.count || !main || app.grid.el.parentNode !== main) {
      if (state.card) state.card.remove();
      state.card = null;
      return;
    }
    if (state.card && state.card.getAttribute('data-key') === state.key) {
      if (state.card.nextSibling !== app.grid.el) main.insertBefore(state.card, app.grid.el);
      return;
    }
    if (state.card) state.card.remove();
    var covers = h('span.memories-card-covers');
    memories.years.slice(0, 4).forEach(function (year) { covers.appendChild(coverImg(year.best, 96, 'memories-card-cover')); });
    state.card = h('a.memories-card', { href: '#/memories', 'data-key': state.key }, [
      covers,
      h('span.memories-card-text', {}, [
        h('span.memories-card-title', { text: memories.mode === 'day' ? 'On this day' : 'This week in earlier years' }),
        h('span.memories-card-years', { text: 'From ' + yearList(memories.years) })
      ])
    ]);
    main.insertBefore(state.card, app.grid.el);
  }

  // the card is worked out in idle time, so it never delays the grid's first full screen
  var idle = root.requestIdleCallback || function (fn) { return setTimeout(fn, 50); };
  app.on('route', function (route) {
    if (route.name === 'view') return;   // the viewer opens over what is shown
    if (route.name !== 'all' || state.key === todayKey().key) return showCard(route.name === 'all');
    idle(function () { if (app.route && app.route.name === 'all') showCard(true); }, { timeout: 1000 });
    return undefined;
  });

  // ---- the page ----

  function countText(list) {
    var videos = list.filter(function (e) { return e.type === 'video'; }).length;
    var photos = list.length - videos;
    var parts = [];
    if (photos) parts.push(photos + (photos === 1 ? ' photo' : ' photos'));
    if (videos) parts.push(videos + (videos === 1 ? ' video' : ' videos'));
    return parts.join(' and ');
  }

  function tile(entry) {
    var link = h('a.memories-tile', { href: hgsite.formatRoute('view', { id: entry.id }), 'data-id': entry.id, title: hgsite.entryName(entry) },
      [coverImg(entry, 240, 'memories-img')]);
    var ratio = hgsite.aspectRatio(entry);
    link.style.flexGrow = String(ratio);
    link.style.flexBasis = Math.round(ratio * 180) + 'px';
    if (entry.type === 'video') link.appendChild(h('span.tile-badge', { 'aria-hidden': 'true', text: '▶ ' + hgsite.formatDuration(entry.duration) }));
    return link;
  }

  /** The items the page shows now (the viewer and the slideshow step through them), in page order. */
  function shownList(memories) {
    var list = [];
    memories.years.forEach(function (year) {
      (state.expanded.has(year.year) ? year.picks : year.top).forEach(function (e) { list.push(e); });
    });
    return list;
  }

  function yearSection(memories, year) {
    var all = state.expanded.has(year.year);
    var shown = all ? year.picks : year.top;
    var tiles = h('div.memories-tiles');
    shown.forEach(function (entry) { tiles.appendChild(tile(entry)); });
    var section = h('section.memories-year', { 'data-year': String(year.year) }, [
      h('h3.memories-year-title', {}, [
        h('span', { text: year.label }),
        h('span.memories-year-count', { text: countText(year.picks) }),
        h('a.memories-year-search', { href: hgsite.formatRoute('search', { query: year.query }), text: 'All ' + year.found + ' from ' + (memories.mode === 'day' ? 'that day' : 'that week') })
      ]),
      tiles
    ]);
    if (year.picks.length > year.top.length) {
      var more = h('button.chip.memories-more', { type: 'button', 'aria-expanded': String(all), text: all ? 'Show the best ' + year.top.length : 'Show all ' + year.picks.length });
      more.addEventListener('click', function () {
        if (state.expanded.has(year.year)) state.expanded.delete(year.year);
        else state.expanded.add(year.year);
        section.replaceWith(yearSection(memories, year));
        setList(memories);
      });
      section.appendChild(more);
    }
    return section;
  }

  function setList(memories) {
    state.list = shownList(memories);
    app.setList(state.list, { grouped: false });
    if (hgsite.slideshow && hgsite.slideshow.update) hgsite.slideshow.update();   // its Play button
  }

  function fill(view, memories) {
    var intro = view.querySelector('.memories-intro');
    intro.textContent = memories.count
      ? (memories.mode === 'day' ? dayName(memories.today) : 'The week around ' + dayName(memories.today)) + ' · ' +
        countText(memories.years.reduce(function (all, y) { return all.concat(y.picks); }, [])) + ' from ' +
        memories.years.length + (memories.years.length === 1 ? ' year' : ' years')
      : 'Nothing from ' + dayName(memories.today) + ' or the days around it in earlier years.';
    view.querySelector('.page-title').textContent = memories.mode === 'day' || !memories.count ? 'On this day' : 'This week in earlier years';
    memories.years.forEach(function (year) { view.appendChild(yearSection(memories, year)); });
    view.setAttribute('data-state', 'ready');
    view.setAttribute('data-mode', memories.count ? memories.mode : 'none');
  }

  /** The near-duplicate groups (similar.js loads them), or null when the gallery has none to give. */
  function groups() {
    var similar = hgsite.similar;
    if (!similar || typeof similar.load !== 'function') return Promise.resolve(null);
    return similar.load().then(function (codes) { return groupIndex(codes.groups, app.entries.length); }, function () { return null; });
  }

  app.view({
    route: 'memories',
    render: function (route) {
      app.closeViewer();
      doc.title = 'On this day – ' + app.title;
      var now = todayKey();
      if (state.page && state.pageKey === now.key) {
        if (state.list && app.list !== state.list) app.setList(state.list, { grouped: false });
        app.setView(state.page);
        return undefined;
      }
      var view = ui.page('page-memories', 'On this day');
      view.setAttribute('data-state', 'loading');
      view.appendChild(h('p.memories-intro', { text: 'Looking back…' }));
      state.page = view;
      state.pageKey = now.key;
      state.expanded = new Set();
      app.setView(view);
      return groups().then(function (groupOf) {
        if (state.page !== view) return;
        var memories = memoriesOf(app.entries, now.today, { groupOf: groupOf });
        state.memories = memories;
        fill(view, memories);
        if (app.route === route) setList(memories);
      });
    }
  });

  /** The query of the list the page shows, for the slideshow (the same items on any day). */
  function listQuery() {
    var list = state.list || [];
    return list.length ? 'id in (' + list.map(function (e) { return e.id; }).join(', ') + ')' : null;
  }

  // the slideshow's Play button plays the page's list (slideshow.js may come after this script)
  app.on('start', function () {
    if (hgsite.slideshow && hgsite.slideshow.source) hgsite.slideshow.source('memories', listQuery);
  });
}(typeof window !== 'undefined' ? window : {}));
