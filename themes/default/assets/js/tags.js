/*
 * hgsite tags: select items, add and remove tags, undo, and export the changes for `hgsite import`.
 *
 * Every change is an event (events.js) kept in the browser and applied at once to the entries, so the
 * grid, the viewer and searches see it. Events the database already contains (a build imported them)
 * count as synced; the others are counted in the header until they are exported and built.
 * Needs dom.js, ui.js, events.js and app.js first.
 */
(function (root) {
  'use strict';

  var hgsite = root.hgsite || (root.hgsite = {});
  var doc = root.document;
  var h = hgsite.h;
  var ev = hgsite.events;
  var app = hgsite.app;
  if (!app || !doc) return;

  var state = {
    store: null,
    events: [],          // every event of this gallery stored in the browser, oldest first
    synced: new Set(),   // event ids the database already contains
    history: [],         // [{event, before}] of this session, for undo
    selecting: false,
    selected: new Set(),
    anchor: -1,          // list index of the last clicked tile, for shift-click ranges
    ui: {}
  };

  function unsynced() {
    return state.events.filter(function (e) { return !state.synced.has(e.id); });
  }

  // ---------------------------------------------------------------------------------------------------
  // Changing tags

  /** Record and apply a change; resolves to the event, or null when it would change nothing. */
  function change(ids, action, value) {
    var tag = ev.cleanTag(value);
    if (!tag || !ids.length) return Promise.resolve(null);
    var before = {};
    ids.forEach(function (id) {
      var entry = app.byId.get(id);
      if (entry) before[id] = (entry.tags || []).slice();
    });
    var event = ev.makeEvent(ids, [{ action: action, value: tag }]);
    if (!ev.applyEvent(app.byId, event).length) {
      app.notify(action === 'addTag' ? 'Already tagged "' + tag + '".' : 'No selected item has the tag "' + tag + '".');
      return Promise.resolve(null);
    }
    state.history.push({ event: event, before: before });
    return record(event);
  }

  function record(event) {
    state.events.push(event);
    refresh();
    return state.store.add(event).then(function () { return event; }, function (err) {
      app.notify('Could not store the change in this browser: ' + err.message);
      return event;
    });
  }

  function undo() {
    var last = state.history.pop();
    if (!last) return Promise.resolve(null);
    var inverse = ev.inverseEvent(last.event, last.before);
    if (!inverse) return Promise.resolve(null);
    ev.applyEvent(app.byId, inverse);
    return record(inverse);
  }

  function exportEvents() {
    var pending = unsynced();
    if (!pending.length) return null;
    var text = ev.toNdjson(pending);
    var name = 'hgsite-events-' + new Date().toISOString().slice(0, 19).replace(/[:T]/g, '-') + '.ndjson';
    var link = h('a', { href: URL.createObjectURL(new Blob([text], { type: 'application/x-ndjson' })), download: name });
    doc.body.appendChild(link);
    link.click();
    link.remove();
    return name;
  }

  // ---------------------------------------------------------------------------------------------------
  // Selection

  function setSelecting(on) {
    state.selecting = on;
    if (!on) state.selected.clear();
    state.anchor = -1;
    doc.documentElement.classList.toggle('is-selecting', on);
    refresh();
  }

  function toggle(id, index, range) {
    if (range && state.anchor >= 0) {
      var from = Math.min(state.anchor, index);
      var to = Math.max(state.anchor, index);
      for (var i = from; i <= to; i++) state.selected.add(app.list[i].id);
    } else if (state.selected.has(id)) {
      state.selected.delete(id);
    } else {
      state.selected.add(id);
    }
    state.anchor = index;
    if (!state.selecting) setSelecting(true);
    refresh();
  }

  /** Start selecting (if not yet) with these ids added: other views hand items over (duplicates.js). */
  function select(ids) {
    ids.forEach(function (id) { if (app.byId.has(id)) state.selected.add(id); });
    if (!state.selecting) setSelecting(true);
    else refresh();
  }

  function selectAll() { app.list.forEach(function (e) { state.selected.add(e.id); }); refresh(); }

  function invert() {
    app.list.forEach(function (e) {
      if (state.selected.has(e.id)) state.selected.delete(e.id);
      else state.selected.add(e.id);
    });
    refresh();
  }

  function clear() { state.selected.clear(); refresh(); }

  /** Clicks on tiles select instead of opening while selecting, or with shift/ctrl/cmd. */
  function onGridClick(event) {
    var tile = event.target.closest && event.target.closest('[data-id]');
    if (!tile || !(state.selecting || event.shiftKey || event.ctrlKey || event.metaKey)) return;
    event.preventDefault();
    toggle(tile.getAttribute('data-id'), Number(tile.getAttribute('data-index')), event.shiftKey);
  }

  /** A long press on a tile (touch) starts selecting with that tile. */
  function bindLongPress(grid) {
    var timer = 0;
    var pressed = null;
    grid.addEventListener('touchstart', function (event) {
      var tile = event.target.closest && event.target.closest('[data-id]');
      if (!tile || event.touches.length !== 1) return;
      timer = setTimeout(function () {
        pressed = tile;
        toggle(tile.getAttribute('data-id'), Number(tile.getAttribute('data-index')), false);
      }, 500);
    }, { passive: true });
    ['touchmove', 'touchend', 'touchcancel'].forEach(function (name) {
      grid.addEventListener(name, function () { clearTimeout(timer); }, { passive: true });
    });
    grid.addEventListener('click', function (event) {
      if (pressed && event.target.closest && event.target.closest('[data-id]') === pressed) event.preventDefault();
      pressed = null;
    }, true);
  }

  // ---------------------------------------------------------------------------------------------------
  // Widgets

  function button(label, onClick, cls) {
    var b = h('button.tagbar-button' + (cls ? '.' + cls : ''), { type: 'button', text: label });
    b.addEventListener('click', onClick);
    return b;
  }

  /** An input with the existing tags as suggestions, and buttons that act on its value. */
  function tagInput(id, placeholder, actions) {
    var input = h('input.tag-input', { type: 'text', list: 'hgsite-tag-list', placeholder: placeholder, 'aria-label': placeholder, id: id, autocomplete: 'off' });
    var buttons = actions.map(function (a) {
      return button(a.label, function () {
        var value = input.value;
        a.run(value).then(function (event) { if (event) input.value = ''; });
      });
    });
    input.addEventListener('keydown', function (event) {
      event.stopPropagation();   // typing is not a shortcut for the grid or the viewer
      if (event.key === 'Enter') buttons[0].click();
      if (event.key === 'Escape') input.blur();
    });
    return h('span.tag-field', {}, [input].concat(buttons));
  }

  function buildHeader() {
    var header = doc.getElementById('hgsite-header');
    state.ui.pending = h('span.tag-pending', { 'aria-live': 'polite' });
    state.ui.exportButton = button('Export', function () {
      var name = exportEvents();
      if (name) app.notify('Saved ' + name + '. Run "hgsite import" with it, then build again.');
    }, 'tag-export');
    state.ui.undoButton = button('Undo', function () { undo(); }, 'tag-undo');
    state.ui.selectButton = button('Select', function () { setSelecting(!state.selecting); }, 'tag-select');
    header.appendChild(h('div.tagtools', {}, [state.ui.pending, state.ui.exportButton, state.ui.undoButton, state.ui.selectButton]));
    state.ui.datalist = h('datalist', { id: 'hgsite-tag-list' });
    doc.body.appendChild(state.ui.datalist);
  }

  function buildSelectionBar() {
    state.ui.count = h('span.tagbar-count');
    var field = tagInput('hgsite-tag-input', 'Tag', [
      { label: 'Add', run: function (v) { return change(Array.from(state.selected), 'addTag', v); } },
      { label: 'Remove', run: function (v) { return change(Array.from(state.selected), 'removeTag', v); } }
    ]);
    state.ui.bar = h('div.tagbar', { role: 'toolbar', 'aria-label': 'Selection', hidden: true }, [
      state.ui.count,
      button('All', selectAll), button('Invert', invert), button('Clear', clear),
      field,
      button('Done', function () { setSelecting(false); })
    ]);
    doc.body.appendChild(state.ui.bar);
  }

  /**
   * The viewer's info panel: the Tags row becomes the editor, each tag a link to its search with a
   * remove button, and a field to add one (the panel shows every tag once). Without tags the row is added.
   */
  function fillInfo(entry, list) {
    var row = list.querySelector('dd.info-tags');
    var links = row ? Array.prototype.slice.call(row.querySelectorAll('a, span.chip')) : [];
    var chips = (entry.tags || []).map(function (tag, i) {
      var remove = h('button.chip-remove', { type: 'button', 'aria-label': 'Remove tag ' + tag, text: '×' });
      remove.addEventListener('click', function () { change([entry.id], 'removeTag', tag); });
      var label = links[i] && links[i].textContent === tag ? links[i] : h('span', { text: tag });
      label.classList.remove('chip');
      return h('span.chip.chip-editable', {}, [label, remove]);
    });
    var field = tagInput('hgsite-viewer-tag', 'Add a tag', [
      { label: 'Add', run: function (v) { return change([entry.id], 'addTag', v); } }
    ]);
    var editor = h('dd.info-tags.info-tag-editor', {}, chips.concat([field]));
    if (row) {
      list.replaceChild(editor, row);
    } else {
      var before = list.querySelector('dd.info-labels');
      before = before ? before.previousElementSibling : null;
      list.insertBefore(h('dt', { text: 'Tags' }), before);
      list.insertBefore(editor, before);
    }
  }

  function refresh() {
    var pending = unsynced().length;
    var ui = state.ui;
    if (!ui.pending) return;
    ui.pending.textContent = pending ? pending + (pending === 1 ? ' unsynced change' : ' unsynced changes') : '';
    ui.pending.setAttribute('data-count', String(pending));
    ui.exportButton.hidden = !pending;
    ui.undoButton.hidden = !state.history.length;
    ui.selectButton.setAttribute('aria-pressed', String(state.selecting));
    ui.bar.hidden = !state.selecting;
    ui.count.textContent = state.selected.size + ' selected';
    doc.querySelectorAll('.grid [data-id]').forEach(function (tile) { mark(tile); });
    ui.datalist.textContent = '';
    ev.tagCounts(app.entries).slice(0, 500).forEach(function (pair) {
      ui.datalist.appendChild(h('option', { value: pair[0] }));
    });
    if (app.viewer && app.viewer.isOpen && app.viewer.infoOpen) app.viewer.fillInfo(app.viewer.current());
  }

  function mark(tile) {
    var on = state.selected.has(tile.getAttribute('data-id'));
    tile.classList.toggle('is-selected', on);
    if (state.selecting) tile.setAttribute('aria-pressed', String(on));
    else tile.removeAttribute('aria-pressed');
  }

  // ---------------------------------------------------------------------------------------------------
  // Start-up: after the database is loaded, before the first route is shown

  app.on('data', function (data) {
    state.synced = new Set(Array.isArray(data.events) ? data.events : []);
    state.store = new ev.Store(typeof data.gallery === 'string' ? data.gallery : 'default');
    buildHeader();
    buildSelectionBar();
    app.grid.el.addEventListener('click', onGridClick);
    bindLongPress(app.grid.el);
    doc.addEventListener('keydown', function (event) {
      if (event.key === 'Escape' && state.selecting && !(app.viewer && app.viewer.isOpen)) setSelecting(false);
    });
    return state.store.open().then(function (stored) {
      state.events = stored;
      ev.ordered(unsynced()).forEach(function (event) { ev.applyEvent(app.byId, event); });
      refresh();
    });
  });
  app.on('tile', function (el) { mark(el); });
  app.on('info', fillInfo);

  hgsite.tags = { state: state, change: change, undo: undo, unsynced: unsynced, exportEvents: exportEvents, select: select };
}(typeof window !== 'undefined' ? window : {}));
