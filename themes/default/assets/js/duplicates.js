/*
 * hgsite duplicates: #/duplicates, the near-duplicate groups the build found (largest first), then the
 * items stored at several paths (docs/similarity.md). The list comes from similar.js's codes.
 * Needs similar.js and app.js first.
 */
(function (root) {
  'use strict';

  var hgsite = root.hgsite || (root.hgsite = {});
  var app = hgsite.app;
  var similar = hgsite.similar;
  if (!root.document || !app || !similar || !similar.load) return;

  var shown = null;   // the list this view showed last: back from the viewer, the grid keeps its scroll

  /** The view's message: how many groups and items it shows. */
  function summary(codes) {
    return codes.groups.length + (codes.groups.length === 1 ? ' group' : ' groups') + ' of near-duplicates' +
      (codes.exact.length ? ', ' + codes.exact.length + ' items stored at several paths' : '') + '.';
  }

  app.view({
    route: 'duplicates',
    render: function (route) {
      app.closeViewer();
      return similar.load().then(function (codes) {
        if (app.route !== route) return;
        var order = similar.duplicateOrder(codes);
        if (app.list !== shown) {   // a new list starts at its top (app.setList)
          shown = Array.prototype.map.call(order, function (i) { return app.entries[i]; });
          app.setList(shown);
        }
        root.document.title = 'Duplicates – ' + app.title;
        app.notify(order.length ? summary(codes) : 'No duplicates found.');
      }, function (error) {
        app.notify(error && error.message ? error.message : String(error));
        app.navigate('#/', true);
      });
    }
  });
}(typeof window !== 'undefined' ? window : {}));
