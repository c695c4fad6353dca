/*
 * hgsite start: the last script of the page (scripts.json). It starts the app once every script
 * before it has registered its views, viewer actions and listeners, so the first route always finds
 * its view, over http as from file://. A page that sets window.hgsiteNoAutostart starts it itself.
 */
(function (root) {
  'use strict';

  var doc = root.document;
  var app = root.hgsite && root.hgsite.app;
  if (!doc || !app || root.hgsiteNoAutostart) return;
  if (doc.readyState === 'loading') doc.addEventListener('DOMContentLoaded', app.start);
  else app.start();
}(typeof window !== 'undefined' ? window : {}));
