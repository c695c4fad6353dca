/*
 * hgsite duplicates: #/duplicates, the duplicates the build found (docs/similarity.md), group by group
 * in the grid: first the near-duplicate groups (largest first), each under a header that says what
 * differs between its items, then the identical copies (one content stored in several files). The best
 * item of each group is marked; "Select all but the best" hands the others to the selection (tags.js)
 * for tagging, and "Export list" downloads the files one could remove as a text file.
 *
 * The grouping, the choice of the best item, the differences and the list are pure (node --test).
 * Needs format.js and entries.js first; the view needs similar.js, tags.js and app.js.
 */
(function (root) {
  'use strict';

  // in node (tests) there is no window: the namespace comes with the files this one needs
  var hgsite = root.hgsite || (typeof module !== 'undefined' && module.exports ? require('./format.js') : (root.hgsite = {}));

  /**
   * The best of a group's entries: the largest resolution (pixels), then the largest file, then the
   * earliest date (an original is older than its copies and exports), then the first in the database.
   * @param {Array<Object>} entries
   * @returns {Object} one of them
   */
  function bestOf(entries) {
    var best = entries[0];
    for (var i = 1; i < entries.length; i++) if (better(entries[i], best)) best = entries[i];
    return best;
  }

  function better(a, b) {
    var pixels = (a.width || 0) * (a.height || 0) - (b.width || 0) * (b.height || 0);
    if (pixels) return pixels > 0;
    var size = (a.size || 0) - (b.size || 0);
    if (size) return size > 0;
    var at = time(a);
    var bt = time(b);
    return at < bt;
  }

  function time(entry) {
    var t = entry.date ? Date.parse(String(entry.date)) : NaN;
    return isNaN(t) ? Infinity : t;
  }

  /** The format of a file: its extension in capitals ('JPG'), or '' */
  function formatOf(path) {
    var name = String(path || '');
    name = name.slice(name.lastIndexOf('/') + 1);
    var dot = name.lastIndexOf('.');
    return dot > 0 ? name.slice(dot + 1).toUpperCase() : '';
  }

  function folderOf(path) {
    var text = String(path || '');
    return text.slice(0, Math.max(0, text.lastIndexOf('/')));
  }

  var ASPECTS = [
    { key: 'resolution', label: 'resolution', of: function (e) { return e.width && e.height ? e.width + '×' + e.height : ''; } },
    { key: 'size', label: 'file size', of: function (e) { return hgsite.formatBytes(e.size); } },
    { key: 'format', label: 'format', of: function (e) { return formatOf(e.files && e.files[0]); } },
    { key: 'date', label: 'date', of: function (e) { return e.date ? hgsite.formatDate(e.date, { weekday: false, offset: false }) : ''; } },
    { key: 'camera', label: 'camera', of: function (e) { return hgsite.formatCamera(e.make, e.model); } },
    { key: 'folder', label: 'folder', of: function (e) { return folderOf(e.files && e.files[0]); } }
  ];

  /**
   * What differs between the entries of a group: each aspect with more than one value, its values in
   * the group's order (each once).
   * @returns {Array<{key: string, label: string, values: string[]}>}
   */
  function differences(entries) {
    var out = [];
    ASPECTS.forEach(function (aspect) {
      var values = [];
      entries.forEach(function (e) {
        var v = aspect.of(e) || '?';
        if (values.indexOf(v) < 0) values.push(v);
      });
      if (values.length > 1) out.push({ key: aspect.key, label: aspect.label, values: values });
    });
    return out;
  }

  /**
   * The groups of the view: near-duplicate groups (largest first; ties by similarity), then each item
   * stored in several files. Indices outside the database are dropped, and groups left with one item.
   * @param {{groups: Array<{items: number[], similarity: number}>, exact: number[]}} codes  parsed similar data
   * @param {Array<Object>} entries  the database's entries (the indices point into it)
   * @returns {Array<{kind: string, entries: Array<Object>, best: Object, similarity?: number, files?: string[]}>}
   */
  function duplicateGroups(codes, entries) {
    var out = [];
    codes.groups.map(function (group) {
      var items = [];
      group.items.forEach(function (i) { if (entries[i] && items.indexOf(entries[i]) < 0) items.push(entries[i]); });
      return { kind: 'near', entries: items, similarity: group.similarity };
    }).filter(function (group) { return group.entries.length > 1; }).sort(function (a, b) {
      return b.entries.length - a.entries.length || (b.similarity || 0) - (a.similarity || 0);
    }).forEach(function (group) {
      group.best = bestOf(group.entries);
      out.push(group);
    });
    codes.exact.forEach(function (i) {
      var entry = entries[i];
      var files = entry && Array.isArray(entry.files) ? entry.files : [];
      if (files.length > 1) out.push({ kind: 'exact', entries: [entry], best: entry, files: files.slice() });
    });
    return out;
  }

  /** A group's header: its kind, and what differs: "differ in resolution (1800×1200, 900×600), format (JPG, PNG)" */
  function describeGroup(group) {
    if (group.kind === 'exact') {
      var folders = [];
      group.files.forEach(function (f) { var d = folderOf(f) || '/'; if (folders.indexOf(d) < 0) folders.push(d); });
      return {
        title: 'Identical copies',
        detail: folders.length > 1 ? 'in ' + folders.join(', ') : 'under different names'
      };
    }
    var diffs = differences(group.entries);
    return {
      title: 'Near-duplicates',
      detail: diffs.length ? 'differ in ' + diffs.map(function (d) {
        var values = d.values.length > 3 ? d.values.slice(0, 3).concat(['…']) : d.values;
        return d.label + ' (' + values.join(', ') + ')';
      }).join(', ') : 'no difference in size, format, date or camera'
    };
  }

  /**
   * The files one could remove, as text: for each group the file kept (its best item's first file, or
   * an identical copy's first file) as a comment, then every other file, one path a line. An item stored
   * in several files keeps its other files for its identical-copies group; an item to remove whole from
   * a near-duplicate group has all its files there, and its identical-copies group is left out.
   */
  function removalList(groups) {
    var lines = ['# hgsite duplicates: the files besides the best of each group, one a line.',
      '# Lines starting with # name the file kept. Paths are as in the gallery (source folder name first).'];
    var removed = new Set();
    groups.forEach(function (group) {
      if (group.kind === 'near') othersOf(group).forEach(function (id) { removed.add(id); });
    });
    var n = 0;
    groups.forEach(function (group) {
      if (group.kind === 'exact' && removed.has(group.best.id)) return;
      var keep = group.best.files && group.best.files[0] ? group.best.files[0] : group.best.id;
      lines.push('', '# ' + (++n) + ', ' + (group.kind === 'exact' ? 'identical copies' : 'near-duplicates') + ': keep ' + keep);
      if (group.kind === 'exact') {
        lines.push.apply(lines, group.files.slice(1));
        return;
      }
      group.entries.forEach(function (e) {
        if (e !== group.best) lines.push.apply(lines, e.files && e.files.length ? e.files : ['# (no path for ' + e.id + ')']);
      });
    });
    return lines.join('\n') + '\n';
  }

  /** The ids to select in a group: all but the best (an identical copy is one item: none). */
  function othersOf(group) {
    return group.entries.filter(function (e) { return e !== group.best; }).map(function (e) { return e.id; });
  }

  var api = {
    bestOf: bestOf, differences: differences, duplicateGroups: duplicateGroups,
    describeGroup: describeGroup, removalList: removalList, othersOf: othersOf, formatOf: formatOf
  };
  hgsite.duplicates = api;
  if (typeof module !== 'undefined' && module.exports) module.exports = api;

  // ---------------------------------------------------------------------------------------------------
  // The view (browser only)

  var app = hgsite.app;
  var similar = hgsite.similar;
  var doc = root.document;
  if (!doc || !app || !similar || !similar.load) return;
  var h = hgsite.h;

  var state = { list: null, groups: [], best: new Set(), heading: null };   // best: list indices

  function selectOthers(groups) {
    var ids = [];
    groups.forEach(function (group) { ids = ids.concat(othersOf(group)); });
    if (hgsite.tags && hgsite.tags.select) hgsite.tags.select(ids);
    app.notify(ids.length ? 'Selected ' + ids.length + (ids.length === 1 ? ' item' : ' items') + ': tag them in the bar below.'
      : 'Nothing to select: identical copies are one item (export the list instead).');
  }

  function exportList() {
    var name = 'hgsite-duplicates-' + new Date().toISOString().slice(0, 10) + '.txt';
    var url = URL.createObjectURL(new Blob([removalList(state.groups)], { type: 'text/plain' }));
    var link = h('a', { href: url, download: name });
    doc.body.appendChild(link);
    link.click();
    link.remove();
    setTimeout(function () { URL.revokeObjectURL(url); }, 10000);
    app.notify('Saved ' + name + '.');
  }

  function heading(groups) {
    var near = groups.filter(function (g) { return g.kind === 'near'; }).length;
    var exact = groups.length - near;
    var parts = [];
    if (near) parts.push(near + (near === 1 ? ' group' : ' groups') + ' of near-duplicates');
    if (exact) parts.push(exact + (exact === 1 ? ' photo' : ' photos') + ' stored as identical files');
    var text = groups.length
      ? parts.join(', ') + '. The best of each group (largest, then biggest file, then oldest) is marked.'
      : 'No duplicates found.';
    var select = h('button.tagbar-button.duplicates-select', { type: 'button', text: 'Select all but the best' });
    select.addEventListener('click', function () { selectOthers(state.groups); });
    var save = h('button.tagbar-button.duplicates-export', { type: 'button', text: 'Export list' });
    save.addEventListener('click', exportList);
    return h('section.list-heading.duplicates-heading', { 'aria-labelledby': 'hgsite-list-title' }, [
      h('div.list-heading-text', {}, [
        h('h2.list-heading-title', { id: 'hgsite-list-title', text: 'Duplicates' }),
        h('p.list-heading-note', { text: text }),
        groups.length ? h('p.list-heading-actions', {}, [select, save]) : null
      ])
    ]);
  }

  function sections(groups) {
    var start = 0;
    return groups.map(function (group, n) {
      var text = describeGroup(group);
      var section = {
        start: start, key: 'group-' + (n + 1), label: text.title, detail: text.detail,
        count: group.kind === 'exact' ? group.files.length + ' files' : group.entries.length + ' items'
      };
      if (group.kind === 'near') {
        section.action = { label: 'Select all but the best', run: function () { selectOthers([group]); } };
      }
      start += group.entries.length;
      return section;
    });
  }

  function show(codes) {
    var groups = duplicateGroups(codes, app.entries);
    state.groups = groups;
    state.heading = heading(groups);
    state.list = [];
    state.best = new Set();   // list indices of the best items (an item may also show among identical copies)
    groups.forEach(function (group) {
      if (group.kind === 'near') state.best.add(state.list.length + group.entries.indexOf(group.best));
      state.list = state.list.concat(group.entries);
    });
    app.setHeading(state.heading);
    app.setList(state.list, { sections: sections(groups), headerHeight: 68 });
  }

  app.on('tile', function (el, entry) {
    if (!app.route || app.route.name !== 'duplicates' || app.list !== state.list) return;
    if (!state.best.has(Number(el.getAttribute('data-index'))) || state.list[Number(el.getAttribute('data-index'))] !== entry) return;
    el.classList.add('is-best');
    el.appendChild(h('span.tile-best', { text: 'Best' }));
  });

  app.view({
    route: 'duplicates',
    render: function (route) {
      app.closeViewer();
      return similar.load().then(function (codes) {
        if (app.route !== route) return;
        if (app.list === state.list && state.heading) app.setHeading(state.heading);   // back from the viewer
        else show(codes);
        doc.title = 'Duplicates – ' + app.title;
      }, function (error) {
        app.notify(error && error.message ? error.message : String(error));
        app.navigate('#/', true);
      });
    }
  });
}(typeof window !== 'undefined' ? window : {}));
