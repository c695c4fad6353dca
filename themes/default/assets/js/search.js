/*
 * hgsite search: the search box in the header and the #/search/<query> route (docs/search.md).
 *
 * The grid shows the entries that match; a query that cannot be read shows what is wrong and where,
 * never a blank page. Typing searches as you go once the query reads well; Enter searches at once.
 * Needs dom.js, router.js, query.js and app.js first.
 */
(function (root) {
  'use strict';

  var hgsite = root.hgsite || (root.hgsite = {});
  var doc = root.document;
  var app = hgsite.app;
  var query = hgsite.query;
  if (!doc || !app || !query) return;
  var h = hgsite.h;

  var EXAMPLES = [
    ['holiday 2019', 'words anywhere: file names, places, cameras, tags, dates'],
    ['tag:holiday or tag:family', 'either tag'],
    ['year >= 2019 not type:video', 'comparisons, not'],
    ['year in [2010:2015] month in [6:8]', 'ranges'],
    ['model:"iPhone 7" iso < 400', 'camera fields'],
    ['country:italy', 'places (city, state, country, location)'],
    ['ratio:panorama order by width', 'shapes; order by date, width, height, duration, filesize, random'],
    ['tags all in (holiday, family)', 'lists: in (...), all in (...)'],
    ['not exists(geo)', 'exists(geo), count(tags) > 2']
  ];

  var state = {
    text: null,        // the query the grid shows
    list: null,        // its result
    token: 0,          // the latest search started (async rankers may finish late)
    timer: 0,
    message: null,     // the message above the grid, if any
    last: null         // the last search run: {text, ms, count}
  };

  // ---------------------------------------------------------------------------------------------------
  // The box

  var input = h('input.search-input', {
    type: 'search', name: 'q', autocomplete: 'off', autocapitalize: 'off', spellcheck: 'false',
    enterkeyhint: 'search', placeholder: 'Search', 'aria-label': 'Search (/)', title: 'Search (/)'
  });
  var helpButton = h('button.search-help-button', { type: 'button', 'aria-label': 'Search help', title: 'Search help', 'aria-expanded': 'false', text: '?' });
  var help = buildHelp();
  var form = h('form.search', { role: 'search', action: '#' }, [input, helpButton, help]);

  function buildHelp() {
    var list = h('dl.search-examples');
    EXAMPLES.forEach(function (example) {
      list.appendChild(h('dt', {}, [h('a', { href: hgsite.formatRoute('search', { query: example[0] }), text: example[0] })]));
      list.appendChild(h('dd', { text: example[1] }));
    });
    return h('div.search-help', { id: 'hgsite-search-help', hidden: true }, [
      h('p', { text: 'Search works like HomeGallery\'s: words, "quoted phrases", and, or, not, ( ), key:value and comparisons.' }),
      list
    ]);
  }

  function toggleHelp(open) {
    help.hidden = !open;
    helpButton.setAttribute('aria-expanded', String(open));
  }

  form.addEventListener('submit', function (event) {
    event.preventDefault();
    clearTimeout(state.timer);
    toggleHelp(false);
    go(input.value, false);
  });
  input.addEventListener('input', function () {
    clearTimeout(state.timer);
    state.timer = setTimeout(function () { go(input.value, true); }, 250);
  });
  helpButton.addEventListener('click', function () { toggleHelp(help.hidden); });
  help.addEventListener('click', function (event) {
    if (event.target.closest && event.target.closest('a')) toggleHelp(false);
  });
  doc.addEventListener('keydown', function (event) {
    var tag = event.target && event.target.tagName;
    if (event.key !== '/' || event.ctrlKey || event.metaKey || event.altKey || /^(INPUT|TEXTAREA|SELECT)$/.test(tag)) return;
    if (app.viewer && app.viewer.isOpen) return;
    event.preventDefault();
    input.focus();
    input.select();
  });

  /**
   * Search for `text`: while typing (live) only when it reads well, replacing the history entry of the
   * search before; on Enter whatever it is, so that mistakes get explained.
   */
  function go(text, live) {
    var trimmed = text.trim();
    var onSearch = app.route && app.route.name === 'search';
    if (live) {
      try {
        var unknown = trimmed ? query.parse(trimmed).errors[0] : null;
        markInvalid(unknown || null);
        if (unknown) return;   // an unknown key is explained on Enter, with the results of the rest
      } catch (error) {
        if (error.name !== 'QueryError') throw error;
        markInvalid(error);
        return;
      }
    }
    var hash = trimmed ? hgsite.formatRoute('search', { query: trimmed }) : '#/';
    if (!trimmed && !onSearch) return;
    app.navigate(hash, live && onSearch);
  }

  function markInvalid(error) {
    if (error) {
      input.setAttribute('aria-invalid', 'true');
      input.title = error.message;
    } else {
      input.removeAttribute('aria-invalid');
      input.title = 'Search (/)';
    }
  }

  // ---------------------------------------------------------------------------------------------------
  // The route

  app.view({
    route: 'search',
    param: 'query',
    rest: true,
    render: function (route) {
      var text = route.params.query.trim();
      app.closeViewer();
      doc.title = text + ' – ' + app.title;
      if (doc.activeElement !== input || input.value.trim() !== text) input.value = text;
      markInvalid(null);
      if (text === state.text && app.list === state.list) return;
      run(text);
    }
  });

  function run(text) {
    var token = ++state.token;
    var parsed;
    try {
      parsed = query.parse(text);
    } catch (error) {
      return failed(text, error);
    }
    var ready = prepare(parsed);
    if (!ready) return show(text, parsed);
    setMessage(h('p.search-message', { role: 'status', text: 'Searching…' }));
    return ready.then(function () {
      if (token === state.token) show(text, parsed);
    }, function (error) {
      if (token === state.token) failed(text, error);
    });
  }

  /** A promise when a ranker the query uses has data to load first (similar.js may), else null. */
  function prepare(parsed) {
    var ranker = parsed.similar.length ? query.rankers.similar : null;
    return ranker && typeof ranker.load === 'function' ? Promise.resolve(ranker.load()) : null;
  }

  function show(text, parsed) {
    var result;
    var started = root.performance ? root.performance.now() : 0;
    try {
      result = query.run(app.entries, parsed);
    } catch (error) {
      return failed(text, error);
    }
    state.last = { text: text, ms: root.performance ? root.performance.now() - started : 0, count: result.entries.length };
    state.text = text;
    state.list = result.entries;
    app.setList(result.entries, { grouped: result.grouped });
    if (parsed.errors.length) {   // unknown keys: said, and their terms left out of the results shown
      markInvalid(parsed.errors[0]);
      var count = result.entries.length;
      var rest = !count ? 'The rest of the search finds nothing.' : count === 1 ? 'Showing the item the rest of the search finds.'
        : 'Showing the ' + hgsite.formatNumber(count) + ' items the rest of the search finds.';
      setMessage(explain(text, parsed.errors[0], rest));
      return undefined;
    }
    setMessage(result.entries.length ? null : h('div.search-message', { role: 'status' }, [
      h('p', { text: 'Nothing matches ' + text + '.' }),
      h('p.search-message-hint', {}, [h('a', { href: '#/', text: 'Show everything' })])
    ]));
    return undefined;
  }

  /** Explain a query that cannot be read: the message, the query with the place marked, a hint. */
  function failed(text, error) {
    if (!error || error.name !== 'QueryError') {
      app.notify('The search failed: ' + (error && error.message ? error.message : String(error)));
      if (root.console) root.console.error(error);
      return;
    }
    state.text = text;
    state.list = [];
    app.setList([]);
    markInvalid(error);
    setMessage(explain(text, error));
  }

  /** The message about a problem of the query: what, the query with the place marked, a hint, a note. */
  function explain(text, error, note) {
    var end = Math.min(text.length, error.pos + error.length);
    var shown = h('p.search-error-query', {}, [
      h('code', {}, [text.slice(0, error.pos), h('mark', { text: text.slice(error.pos, end) || ' ' }), text.slice(end)])
    ]);
    var hint = error.hint ? h('p.search-message-hint', { text: error.hint }) : null;
    if (error.replacement) {
      var fixed = text.slice(0, error.pos) + error.replacement + text.slice(end);
      hint = h('p.search-message-hint', {}, ['Search for ', h('a.search-fix', { href: hgsite.formatRoute('search', { query: fixed }), text: fixed }), ' instead?']);
    }
    return h('div.search-message.search-error', { role: 'alert' }, [
      h('p.search-error-title', { text: error.message + ' (at character ' + (error.pos + 1) + ')' }),
      shown,
      hint,
      note ? h('p.search-message-hint.search-error-rest', { text: note }) : null
    ]);
  }

  function setMessage(node) {
    if (state.message) state.message.remove();
    state.message = node;
    var main = doc.getElementById('hgsite-main');
    if (node && main) main.insertBefore(node, app.grid.el);
  }

  app.on('route', function (route) {
    if (route.name === 'search' || route.name === 'view') return;
    setMessage(null);
    state.text = null;
    markInvalid(null);
    if (doc.activeElement !== input) input.value = '';
  });

  /**
   * The ranker of similar:<id> (an id or a prefix of one) over similar.js's codes, which load on first use.
   * @returns {(function(string): (function(Object): (number|null))|null) & {load: function(): Promise}}
   */
  function similarRanker() {
    var similar = hgsite.similar;
    if (!similar || typeof similar.load !== 'function') return null;
    var codes = null;
    var positions = null;
    var ranker = function (id) {
      if (!codes) return null;
      if (!positions) {
        positions = new Map();
        app.entries.forEach(function (e, i) { positions.set(e.id, i); });
      }
      var index = positions.get(id);
      for (var i = 0; index === undefined && id.length >= 6 && i < app.entries.length; i++) {
        if (app.entries[i].id.indexOf(id) === 0) index = i;
      }
      if (index === undefined || codes.missing[index]) return null;
      var scores = similar.rank(codes, index).scores;
      return function (e) {
        var at = positions.get(e.id);
        return at === undefined || codes.missing[at] ? null : scores[at];
      };
    };
    ranker.load = function () { return similar.load().then(function (loaded) { codes = loaded; }); };
    return ranker;
  }

  app.on('data', function () {
    if (!query.rankers.similar) {
      var ranker = similarRanker();
      if (ranker) query.rankers.similar = ranker;
    }
    // once the page is shown, build the texts that plain terms search in idle time, a few thousand
    // entries at a time (no long task), so that the first search is as fast as the next ones
    var idle = root.requestIdleCallback || function (fn) { return setTimeout(function () { fn(null); }, 50); };
    var from = 0;
    function step(deadline) {
      do {
        query.warm(app.entries, from, from + 1000);
        from += 1000;
      } while (from < app.entries.length && deadline && deadline.timeRemaining() > 8);
      if (from < app.entries.length) idle(step);
    }
    app.ready.then(function () { idle(step); });
  });

  var title = doc.querySelector('.bar-title');
  if (title && title.parentNode) title.parentNode.insertBefore(form, title.nextSibling);

  /** @returns {{text: string, ms: number, count: number}|null} the last search run, with its time */
  function last() { return state.last; }

  hgsite.search = { input: input, run: run, last: last };
}(typeof window !== 'undefined' ? window : {}));
