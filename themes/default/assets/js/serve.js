/*
 * hgsite serve: shown only in pages served by `hgsite serve`. When the last rebuild failed, the server
 * keeps serving the last good site and writes serve-status.json next to it; this script shows that
 * error on top of the page. (The live-reload client itself comes from the server.)
 */
(function (root) {
  'use strict';

  var hgsite = root.hgsite || (root.hgsite = {});
  var doc = root.document;

  function show(message) {
    var box = hgsite.h('div.serve-error', { role: 'alert' }, [
      hgsite.h('strong', { text: 'The last rebuild failed; this is the last good site. ' }),
      hgsite.h('span', { text: message })
    ]);
    doc.body.insertBefore(box, doc.body.firstChild);
  }

  function check() {
    if (!root.fetch || root.location.protocol === 'file:') return;
    root.fetch('serve-status.json', { cache: 'no-store' }).then(function (response) {
      return response.ok ? response.json() : null;
    }).then(function (status) {
      if (status && status.error) show(String(status.error));
    }).catch(function () { /* no status: the last build worked */ });
  }

  if (doc.readyState === 'loading') doc.addEventListener('DOMContentLoaded', check);
  else check();
}(typeof window !== 'undefined' ? window : {}));
