/*
 * hgsite map: #/map shows every photo with a position on an offline world map. The basemap is Natural
 * Earth's country shapes (data/world.json.gz, or data/world.js from file://) drawn by the vendored
 * Leaflet; nearby photos gather in clusters (leaflet.markercluster). A cluster click, a shift-drag box
 * or "Show photos in this area" searches for the area (lat in [..] lon in [..]), so the grid shows them.
 *
 * Leaflet and the basemap load on the first visit of #/map only. bounds() is pure and node-tested.
 * Needs dom.js, data.js, entries.js, ui.js and app.js first; the vendored scripts are named in
 * index.html's map template.
 */
(function (root) {
  'use strict';

  var hgsite = root.hgsite || (root.hgsite = {});

  function round(x) { return String(Number(x.toFixed(4))); }

  /**
   * The search for an area: 'lat in [s:n] lon in [w:e]'. Longitudes are wrapped into [-180, 180]
   * (west > east crosses the date line); an area wider than the world has no longitude range.
   * @param {{south: number, west: number, north: number, east: number}} box
   * @returns {string}
   */
  function areaQuery(box) {
    var south = Math.max(-90, Math.min(box.south, box.north));
    var north = Math.min(90, Math.max(box.south, box.north));
    var text = 'lat in [' + round(south) + ':' + round(north) + ']';
    if (box.east - box.west >= 360) return text;
    var wrap = function (x) { return ((x + 180) % 360 + 360) % 360 - 180; };
    var west = wrap(box.west);
    var east = wrap(box.east);
    if (east === -180 && box.east > box.west) east = 180;
    return text + ' lon in [' + round(west) + ':' + round(east) + ']';
  }

  /** @returns {boolean} the entry has a usable position */
  function located(e) {
    return typeof e.lat === 'number' && typeof e.lon === 'number' && isFinite(e.lat) && isFinite(e.lon) &&
      Math.abs(e.lat) <= 90 && Math.abs(e.lon) <= 180;
  }

  /**
   * Make a ring that crosses the date line continuous (170, 180, -175 -> 170, 180, 185), so that a flat
   * map draws it in one piece instead of with a line across the world. Rings cross it an even number of
   * times, so the ring ends where it started.
   * @param {Array<Array<number>>} ring  [lon, lat] points
   * @returns {Array<Array<number>>}
   */
  function unwrapRing(ring) {
    var out = [];
    var offset = 0;
    for (var i = 0; i < ring.length; i++) {
      var lon = ring[i][0];
      if (i > 0) {
        var step = lon - ring[i - 1][0];
        if (step > 180) offset -= 360;
        else if (step < -180) offset += 360;
      }
      out.push(offset ? [lon + offset, ring[i][1]] : ring[i]);
    }
    return out;
  }

  /** unwrapRing over every ring of a GeoJSON FeatureCollection of (Multi)Polygons, in place. */
  function unwrapShapes(collection) {
    collection.features.forEach(function (feature) {
      var g = feature.geometry;
      if (!g) return;
      var polygons = g.type === 'Polygon' ? [g.coordinates] : g.type === 'MultiPolygon' ? g.coordinates : [];
      polygons.forEach(function (polygon) {
        for (var i = 0; i < polygon.length; i++) polygon[i] = unwrapRing(polygon[i]);
      });
    });
    return collection;
  }

  var api = { areaQuery: areaQuery, located: located, unwrapRing: unwrapRing, unwrapShapes: unwrapShapes };
  hgsite.map = api;
  if (typeof module !== 'undefined' && module.exports) module.exports = api;

  // ---------------------------------------------------------------------------------------------------
  // Page

  var doc = root.document;
  var app = hgsite.app;
  if (!doc || !app || !hgsite.ui) return;
  var h = hgsite.h;

  hgsite.ui.defineIcons({
    map: 'M12 21s-7-6.2-7-11.5a7 7 0 0 1 14 0C19 14.8 12 21 12 21zM12 7.5a2 2 0 1 1 0 4a2 2 0 1 1 0-4z'
  });

  var state = { view: null, map: null, loading: null, cluster: null, count: null, points: 0 };

  /** Insert a classic script or a stylesheet; resolves when it has loaded. */
  function load(node) {
    return new Promise(function (resolve, reject) {
      var url = node.getAttribute(node.tagName === 'LINK' ? 'href' : 'src');
      var el = node.tagName === 'LINK' ? h('link', { rel: 'stylesheet', href: url }) : h('script', { src: url });
      el.addEventListener('load', function () { resolve(); });
      el.addEventListener('error', function () { reject(new Error('Could not load ' + url.replace(/\?.*$/, '') + '.')); });
      doc.head.appendChild(el);
    });
  }

  /** Leaflet, the cluster plugin and topojson, in order (each needs the one before). */
  function loadLibraries() {
    var template = doc.getElementById('hgsite-map-assets');
    if (!template) return Promise.reject(new Error('This page has no map libraries.'));
    var nodes = Array.prototype.slice.call(template.content.querySelectorAll('link[href], script[src]'));
    var styles = nodes.filter(function (n) { return n.tagName === 'LINK'; }).map(load);
    return nodes.filter(function (n) { return n.tagName === 'SCRIPT'; }).reduce(function (chain, node) {
      return chain.then(function () { return load(node); });
    }, Promise.all(styles));
  }

  function message(title, text) {
    return h('div.message', {}, [h('h2', { text: title }), h('p', { text: text })]);
  }

  /** The nav link shows until the database is there, then only if an item has a position. */
  function shown(data) {
    return !data || app.entries.some(function (e) { return e.lat !== undefined && e.lon !== undefined; });
  }

  app.view({
    route: 'map',
    nav: { label: 'Map', icon: 'map', order: 40, shown: shown },
    render: function () {
      app.closeViewer();
      doc.title = 'Map – ' + app.title;
      if (!state.view) state.view = h('section.page.page-map', { 'aria-label': 'Map' });
      app.setView(state.view);
      var points = app.entries.filter(located);
      if (!points.length) {
        state.view.textContent = '';
        state.view.appendChild(message('No locations', 'No photo in this gallery has a GPS position (or the gallery was built without them).'));
        return;
      }
      fit();
      if (state.map) {
        root.requestAnimationFrame(function () { state.map.invalidateSize(); });
        return;
      }
      if (!state.loading) state.loading = start(points);
    }
  });

  /** The map fills the window below the header. */
  function fit() {
    var header = doc.getElementById('hgsite-header');
    var top = header ? header.getBoundingClientRect().height : 0;
    state.view.style.height = Math.max(240, root.innerHeight - top - 16) + 'px';
  }

  root.addEventListener('resize', function () {
    if (!state.view || app.page !== state.view) return;
    fit();
    if (state.map) state.map.invalidateSize();
  });

  function start(points) {
    var canvas = h('div.map-canvas', { id: 'hgsite-map', 'aria-label': 'World map with the photos' });
    state.view.textContent = '';
    state.view.appendChild(canvas);
    canvas.classList.add('is-loading');
    var world = hgsite.loadData('world').catch(function (error) {
      app.notify('The world map could not be loaded: ' + error.message);
      return null;
    });
    return Promise.all([loadLibraries(), world]).then(function (results) {
      canvas.classList.remove('is-loading');
      draw(canvas, results[1], points);
      doc.documentElement.setAttribute('data-map', 'ready');
    }).catch(function (error) {
      state.loading = null;
      state.view.textContent = '';
      state.view.appendChild(message('The map could not be shown', error.message));
      if (root.console) root.console.error(error);
    });
  }

  function draw(canvas, world, points) {
    var L = root.L;
    // minZoom 0: the whole world fits a phone's width (256 px), so the first view can show every position
    // (at 1 it is 512 px wide: a phone's first view cut markers off and could not zoom out)
    var map = L.map(canvas, { preferCanvas: true, worldCopyJump: true, minZoom: 0, maxZoom: 18, zoomSnap: 0.5 });
    state.map = map;
    map.attributionControl.setPrefix('Leaflet');
    if (world && root.topojson) {
      var shapes = unwrapShapes(root.topojson.feature(world.topology, world.topology.objects.countries));
      L.geoJSON(shapes, {
        interactive: false,
        style: { color: '#4a515b', weight: 0.7, fillColor: '#2b3038', fillOpacity: 1 }
      }).addTo(map);
      map.attributionControl.addAttribution('Natural Earth');
    }
    state.cluster = cluster(L, points);
    map.addLayer(state.cluster);
    map.fitBounds(state.cluster.getBounds(), { padding: [24, 24], maxZoom: 12 });
    map.on('boxzoomend', function (event) { searchArea(event.boxZoomBounds); });
    map.on('moveend', updateCount);
    addAreaControl(L, map);
    updateCount();
  }

  /** The clustered markers; a cluster click searches its area, a marker click opens its photo. */
  function cluster(L, points) {
    var group = L.markerClusterGroup({
      chunkedLoading: true, showCoverageOnHover: false, zoomToBoundsOnClick: false, maxClusterRadius: 60
    });
    var icon = L.divIcon({ className: 'map-marker', iconSize: [14, 14] });
    group.on('clusterclick', function (event) { searchArea(event.layer.getBounds()); });
    group.addLayers(points.map(function (entry) {
      var marker = L.marker([entry.lat, entry.lon], { icon: icon, keyboard: false, title: hgsite.entryName(entry) });
      marker.on('click', function () { app.navigate(hgsite.formatRoute('view', { id: entry.id })); });
      marker.bindTooltip(function () { return tooltip(entry); }, { direction: 'top', offset: [0, -8] });
      return marker;
    }));
    state.points = points;
    return group;
  }

  function tooltip(entry) {
    var preview = hgsite.pickPreview(entry, 160 * (root.devicePixelRatio || 1));
    return h('div.map-tip', {}, [
      preview ? h('img.map-tip-img', { src: preview.url, alt: '' }) : null,
      h('span.map-tip-text', { text: hgsite.entryName(entry) })
    ]);
  }

  function boxOf(bounds) {
    return { south: bounds.getSouth(), west: bounds.getWest(), north: bounds.getNorth(), east: bounds.getEast() };
  }

  function searchArea(bounds) {
    var box = boxOf(bounds);
    var pad = 1e-4;   // a cluster of one place has an empty box
    app.navigate(hgsite.formatRoute('search', {
      query: areaQuery({ south: box.south - pad, west: box.west - pad, north: box.north + pad, east: box.east + pad })
    }));
  }

  /** A button under the zoom control that searches the visible area, with how many photos are in it. */
  function addAreaControl(L, map) {
    var Control = L.Control.extend({
      options: { position: 'topleft' },
      onAdd: function () {
        state.count = h('span.map-area-count');
        var button = h('button.map-area', { type: 'button', title: 'Show the photos in this area (or shift-drag a box)' },
          [h('span', { text: 'Show photos here' }), state.count]);
        L.DomEvent.disableClickPropagation(button);
        button.addEventListener('click', function () { searchArea(map.getBounds()); });
        return button;
      }
    });
    map.addControl(new Control());
  }

  function updateCount() {
    if (!state.map || !state.count) return;
    var box = boxOf(state.map.getBounds());
    var wide = box.east - box.west >= 360;
    var n = 0;
    for (var i = 0; i < state.points.length; i++) {
      var p = state.points[i];
      if (p.lat < box.south || p.lat > box.north) continue;
      if (wide || inLongitude(p.lon, box.west, box.east)) n++;
    }
    state.count.textContent = ' (' + hgsite.formatNumber(n) + ')';
  }

  function inLongitude(lon, west, east) {
    for (var k = -1; k <= 1; k++) {
      var x = lon + 360 * k;
      if (x >= west && x <= east) return true;
    }
    return false;
  }
}(typeof window !== 'undefined' ? window : {}));
