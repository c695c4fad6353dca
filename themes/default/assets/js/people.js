/*
 * hgsite people: #/people, the people named in the photos, each with a face cut out of one of their
 * photos, and the named face boxes drawn over the photo in the viewer (key f). A person searches
 * person:"<name>", so the page is a shareable link. peopleOf() is pure and tested with node --test.
 * Needs dom.js, entries.js, format.js, ui.js, query.js and app.js first.
 */
(function (root) {
  'use strict';

  var hgsite = root.hgsite || (root.hgsite = {});

  /**
   * People with their photo count and the face to show for each (from their newest photo with a box).
   * @returns {Array<{name: string, count: number, entry: Object, face: (Array|null)}>}
   */
  function peopleOf(entries) {
    var byName = new Map();
    entries.forEach(function (entry) {
      (entry.people || []).forEach(function (name) {
        var person = byName.get(name);
        if (!person) byName.set(name, person = { name: name, count: 0, entry: entry, face: null });
        person.count++;
        if (!person.face) {
          var face = (entry.faces || []).filter(function (f) { return f[0] === name; })[0];
          if (face) { person.face = face; person.entry = entry; }
        }
      });
    });
    return Array.from(byName.values()).sort(function (a, b) {
      return b.count - a.count || a.name.toLowerCase().localeCompare(b.name.toLowerCase());
    });
  }

  var api = { peopleOf: peopleOf };
  hgsite.people = api;
  if (typeof module !== 'undefined' && module.exports) module.exports = api;

  // ---------------------------------------------------------------------------------------------------
  // Page

  var doc = root.document;
  var app = hgsite.app;
  if (!doc || !app || !hgsite.ui || !hgsite.query) return;
  var h = hgsite.h;
  var ui = hgsite.ui;
  var quote = hgsite.query.quote;

  ui.defineIcons({
    people: 'M9 11a3.5 3.5 0 1 1 0-7a3.5 3.5 0 1 1 0 7zM2 20c0-4 3-6 7-6s7 2 7 6M16 4.5a3 3 0 0 1 0 6M18 14c2.5.5 4 2.3 4 5',
    faces: 'M4 8V4h4M16 4h4v4M20 16v4h-4M8 20H4v-4M9 10v.5M15 10v.5M9 15c1.7 1.3 4.3 1.3 6 0'
  });

  function search(text) { return hgsite.formatRoute('search', { query: text }); }

  function countText(n) { return hgsite.formatNumber(n) + (n === 1 ? ' item' : ' items'); }

  function cover(entry) {
    var preview = entry ? hgsite.pickPreview(entry, 320 * ui.dpr()) : null;
    var img = h('img.face-img', { alt: '', loading: 'lazy', decoding: 'async', src: preview ? preview.url : null });
    img.addEventListener('load', function () { app.loaded.add(img.getAttribute('src')); img.classList.add('is-loaded'); });
    return img;
  }

  /** A face cut out of a preview: the image scaled and shifted so the box fills the frame. */
  function faceCrop(person, size) {
    var frame = h('span.face-crop');
    frame.style.width = frame.style.height = size + 'px';
    var entry = person.entry;
    if (!person.face) {
      frame.appendChild(cover(entry));
      return frame;
    }
    var box = person.face;
    var side = Math.max(box[3] * entry.width, box[4] * entry.height) || 1;
    var scale = size / side;
    var w = entry.width * scale;
    var hgt = entry.height * scale;
    var preview = hgsite.pickPreview(entry, Math.max(w, hgt) * ui.dpr());
    var img = h('img.face-img', { alt: '', loading: 'lazy', decoding: 'async', src: preview ? preview.url : null });
    img.style.width = w + 'px';
    img.style.height = hgt + 'px';
    img.style.left = -((box[1] + box[3] / 2) * w - size / 2) + 'px';
    img.style.top = -((box[2] + box[4] / 2) * hgt - size / 2) + 'px';
    frame.appendChild(img);
    return frame;
  }

  app.view({
    route: 'people',
    nav: {
      label: 'People', icon: 'people', order: 60,
      shown: function () { return app.entries.some(function (e) { return e.people && e.people.length; }); }
    },
    render: function () {
      app.closeViewer();
      var view = ui.page('page-people', 'People');
      var list = h('ol.people-cards');
      peopleOf(app.entries).forEach(function (person) {
        list.appendChild(h('li.person-card', {}, [h('a.person-link', { href: search('person:' + quote(person.name)), 'data-person': person.name }, [
          faceCrop(person, 112),
          h('span.person-name', { text: person.name }),
          h('span.year-count', { text: countText(person.count) })
        ])]));
      });
      if (!list.childNodes.length) view.appendChild(h('p.page-empty', { text: 'No people are named in these photos.' }));
      else view.appendChild(list);
      app.setView(view);
      doc.title = 'People – ' + app.title;
    }
  });

  // ---------------------------------------------------------------------------------------------------
  // Face boxes over the photo in the viewer (key f)

  var showFaces = false;
  var overlay = h('div.face-boxes', { hidden: true });

  function drawFaces(entry, stage, size) {
    if (overlay.parentNode !== stage) stage.appendChild(overlay);
    overlay.textContent = '';
    var faces = showFaces && entry.type !== 'video' ? entry.faces || [] : [];
    overlay.hidden = !faces.length;
    if (!faces.length) return;
    var rect = stage.getBoundingClientRect();
    overlay.style.width = size.w + 'px';
    overlay.style.height = size.h + 'px';
    overlay.style.left = (rect.width - size.w) / 2 + 'px';
    overlay.style.top = (rect.height - size.h) / 2 + 'px';
    faces.forEach(function (face) {
      var box = h('a.face-box', { href: search('person:' + quote(face[0])), title: face[0] }, [h('span.face-name', { text: face[0] })]);
      box.style.left = face[1] * 100 + '%';
      box.style.top = face[2] * 100 + '%';
      box.style.width = face[3] * 100 + '%';
      box.style.height = face[4] * 100 + '%';
      overlay.appendChild(box);
    });
  }

  app.on('show', drawFaces);

  app.viewerAction({
    key: 'f',
    label: 'Faces (f)',
    icon: 'faces',
    order: 20,
    run: function () {
      showFaces = !showFaces;
      if (app.viewer && app.viewer.isOpen) app.viewer.render();
    }
  });
}(typeof window !== 'undefined' ? window : {}));
