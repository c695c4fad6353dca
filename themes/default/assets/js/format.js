/*
 * hgsite format: values as text, in fixed English formats (predictable, and dates shown exactly as they
 * were written), and describeEntry: the rows of the viewer's details panel with the search each value
 * stands for. Pure; tested with node --test.
 */
(function (root) {
  'use strict';

  // in node (tests) there is no window: errors.js makes the namespace
  var hgsite = root.hgsite || (typeof module !== 'undefined' && module.exports ? require('./errors.js') : (root.hgsite = {}));

  var MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  var DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
  var DATE_RE = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/;

  /**
   * Split an ISO date into its written parts; no time zone conversion.
   * @param {string} iso
   * @returns {{year: number, month: number, day: number, hour: (number|null), minute: (number|null),
   *            second: (number|null), offset: (string|null)}|null}
   */
  function parseDate(iso) {
    var m = DATE_RE.exec(String(iso || '').trim());
    if (!m) return null;
    var month = +m[2];
    var day = +m[3];
    if (month < 1 || month > 12 || day < 1 || day > 31) return null;
    var offset = m[7] || null;
    if (offset && offset !== 'Z' && offset.indexOf(':') < 0) offset = offset.slice(0, 3) + ':' + offset.slice(3);
    return {
      year: +m[1], month: month, day: day,
      hour: m[4] !== undefined ? +m[4] : null,
      minute: m[5] !== undefined ? +m[5] : null,
      second: m[6] !== undefined ? +m[6] : null,
      offset: offset
    };
  }

  function pad2(n) { return (n < 10 ? '0' : '') + n; }

  /**
   * Format an ISO date as written: 'Tue, 21 May 2019, 13:45:01 (UTC+02:00)'.
   * Options: weekday (default true), time (true), seconds (true), offset (true).
   * Unparseable input comes back unchanged.
   * @param {string} iso
   * @param {{weekday?: boolean, time?: boolean, seconds?: boolean, offset?: boolean}} [options]
   * @returns {string}
   */
  function formatDate(iso, options) {
    var o = options || {};
    var d = parseDate(iso);
    if (!d) return String(iso || '');
    var text = d.day + ' ' + MONTHS[d.month - 1] + ' ' + d.year;
    if (o.weekday !== false) {
      text = DAYS[new Date(Date.UTC(d.year, d.month - 1, d.day)).getUTCDay()] + ', ' + text;
    }
    if (o.time !== false && d.hour !== null) {
      text += ', ' + pad2(d.hour) + ':' + pad2(d.minute);
      if (o.seconds !== false && d.second !== null) text += ':' + pad2(d.second);
      if (o.offset !== false && d.offset) text += ' (UTC' + (d.offset === 'Z' ? '' : d.offset) + ')';
    }
    return text;
  }

  /** Trim a number to at most `digits` decimals without trailing zeros: 2.80 -> '2.8', 4.0 -> '4'. */
  function trimNumber(value, digits) {
    return String(Number(Number(value).toFixed(digits === undefined ? 1 : digits)));
  }

  function isNumber(value) {
    return typeof value === 'number' ? isFinite(value) : value !== null && value !== '' && isFinite(Number(value));
  }

  /**
   * Exposure time in seconds as photographers write it: 0.004 -> '1/250 s', 2 -> '2 s', 0.4 -> '0.4 s'.
   * @param {number} seconds
   * @returns {string} '' when not a positive number
   */
  function formatExposure(seconds) {
    var s = Number(seconds);
    if (!isNumber(seconds) || !(s > 0)) return '';
    if (s >= 1) return trimNumber(s, 1) + ' s';
    var inverse = 1 / s;
    var rounded = Math.round(inverse);
    if (s < 0.25 || Math.abs(inverse - rounded) / inverse < 0.03) return '1/' + rounded + ' s';
    return trimNumber(s, 1) + ' s';
  }

  /** 2.8 -> 'f/2.8', 4 -> 'f/4'; '' when missing. */
  function formatFNumber(value) {
    return isNumber(value) && Number(value) > 0 ? 'f/' + trimNumber(value, 1) : '';
  }

  /** 4.25, 26 -> '4.3 mm (26 mm equiv.)'; '' when missing. */
  function formatFocal(mm, mm35) {
    if (!(isNumber(mm) && Number(mm) > 0)) return '';
    var text = trimNumber(mm, 1) + ' mm';
    if (isNumber(mm35) && Number(mm35) > 0 && Math.round(mm35) !== Math.round(mm)) {
      text += ' (' + trimNumber(mm35, 0) + ' mm equiv.)';
    }
    return text;
  }

  /** 1234567 -> '1,234,567' (fixed separator, independent of the browser locale). */
  function formatNumber(n) {
    return String(Math.round(Number(n) || 0)).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  }

  /** Decimal units like file managers: 999 -> '999 B', 3400000 -> '3.4 MB'. */
  function formatBytes(bytes) {
    var n = Number(bytes);
    if (!isNumber(bytes) || n < 0) return '';
    if (n < 1000) return Math.round(n) + ' B';
    var units = ['kB', 'MB', 'GB', 'TB'];
    var i = -1;
    do { n /= 1000; i++; } while (n >= 999.95 && i < units.length - 1);
    return (n < 10 ? trimNumber(n, 1) : String(Math.round(n))) + ' ' + units[i];
  }

  /** Seconds as m:ss or h:mm:ss: 7.4 -> '0:07', 3723 -> '1:02:03'. */
  function formatDuration(seconds) {
    if (!isNumber(seconds) || Number(seconds) < 0) return '';
    var total = Math.round(Number(seconds));
    var h = Math.floor(total / 3600);
    var m = Math.floor((total % 3600) / 60);
    var s = total % 60;
    return (h ? h + ':' + pad2(m) : String(m)) + ':' + pad2(s);
  }

  /** 48.856614, -2.3522 -> '48.85661° N, 2.35220° W'; '' when missing or out of range. */
  function formatCoordinates(lat, lon) {
    if (!isNumber(lat) || !isNumber(lon)) return '';
    var a = Number(lat);
    var b = Number(lon);
    if (Math.abs(a) > 90 || Math.abs(b) > 180) return '';
    return Math.abs(a).toFixed(5) + '° ' + (a < 0 ? 'S' : 'N') + ', ' +
      Math.abs(b).toFixed(5) + '° ' + (b < 0 ? 'W' : 'E');
  }

  /** 4000, 3000 -> '4000 × 3000 (12.0 MP)'. */
  function formatDimensions(width, height) {
    if (!(Number(width) > 0 && Number(height) > 0)) return '';
    var text = width + ' × ' + height;
    var mp = width * height / 1e6;
    return mp >= 0.1 ? text + ' (' + mp.toFixed(1) + ' MP)' : text;
  }

  /** Make and model without the usual repetition: 'Canon', 'Canon EOS 5D' -> 'Canon EOS 5D'. */
  function formatCamera(make, model) {
    var a = String(make || '').trim();
    var b = String(model || '').trim();
    if (!a || !b) return a || b;
    var first = a.split(/\s+/)[0].toLowerCase();
    return b.toLowerCase().indexOf(first) === 0 ? b : a + ' ' + b;
  }

  // ---------------------------------------------------------------------------------------------------
  // The details panel

  var DATE_SOURCES = { name: 'from the file name', mtime: 'file modification time' };

  /**
   * A value written for a search query (docs/search.md): as it is when it is one plain word, else in
   * double quotes with backslashes before quotes. Same rule as hgsite.query.quote.
   * @param {*} value
   * @returns {string}
   */
  function quoteQuery(value) {
    var text = String(value);
    if (text !== '' && !/[\s()[\],:=<>~"'\\]|!=/.test(text) && !/^(and|or|not|order)$/i.test(text)) return text;
    return '"' + text.replace(/[\\"]/g, '\\$&') + '"';
  }

  /**
   * The metadata of an entry as labelled, formatted rows for the info panel; missing fields are left out.
   * A value is a string, or a list of strings for files, tags, labels and places. `search` is the search
   * query a value stands for (the viewer links the value to it); list rows have one per item in `searches`.
   * @param {Object} e  an entry
   * @returns {Array<{key: string, label: string, value: (string|string[]), note?: string, search?: string,
   *                  searches?: string[]}>}
   */
  function describeEntry(e) {
    var rows = [];
    function add(key, label, value, note, search) {
      if (Array.isArray(value) ? value.length : value) {
        var row = { key: key, label: label, value: value };
        if (note) row.note = note;
        if (search && Array.isArray(value)) row.searches = search;
        else if (search) row.search = search;
        rows.push(row);
      }
    }
    function strings(list) {
      return Array.isArray(list) ? list.filter(function (x) { return x !== null && x !== ''; }).map(String) : [];
    }
    function term(key, value) { return key + ':' + quoteQuery(value); }
    function each(key, list) { return list.map(function (v) { return term(key, v); }); }
    function positive(name) { return isNumber(e[name]) && Number(e[name]) > 0; }
    var files = strings(e.files);
    var place = e.place ? String(e.place) : [e.city, e.state, e.country].filter(function (x) { return x; }).map(String);
    var placeSearch = e.place ? term('location', e.place)
      : [['city', e.city], ['state', e.state], ['country', e.country]].filter(function (p) { return p[1]; })
        .map(function (p) { return term(p[0], p[1]); });
    add('date', 'Date', e.date ? formatDate(e.date) : '', DATE_SOURCES[e.dsrc] || '',
      /^\d{4}-\d{2}-\d{2}/.test(String(e.date || '')) ? term('date', String(e.date).slice(0, 10)) : '');
    add('camera', 'Camera', formatCamera(e.make, e.model), '', e.model ? term('model', e.model) : e.make ? term('make', e.make) : '');
    add('lens', 'Lens', e.lens ? String(e.lens) : '', '', e.lens ? term('lens', e.lens) : '');
    add('exposure', 'Exposure', formatExposure(e.exposure));
    add('aperture', 'Aperture', formatFNumber(e.fnumber), '', positive('fnumber') ? term('fnumber', e.fnumber) : '');
    add('iso', 'ISO', positive('iso') ? 'ISO ' + Math.round(e.iso) : '', '', positive('iso') ? term('iso', Math.round(e.iso)) : '');
    add('focal', 'Focal length', formatFocal(e.focal, e.focal35), '', positive('focal') ? term('focal', e.focal) : '');
    add('dimensions', 'Dimensions', formatDimensions(e.width, e.height), '',
      positive('width') && positive('height') ? term('width', e.width) + ' ' + term('height', e.height) : '');
    add('duration', 'Duration', e.type === 'video' ? formatDuration(e.duration) : '', '', 'type:video');
    add('size', 'File size', formatBytes(e.size));
    add('files', files.length > 1 ? 'Files' : 'File', files, '', files.map(function (f) {
      var folder = f.slice(0, Math.max(0, f.lastIndexOf('/')));
      return folder ? term('path', folder) : term('file', f);
    }));
    add('place', 'Place', place, '', placeSearch);
    add('gps', 'GPS', formatCoordinates(e.lat, e.lon), '', nearby(e.lat, e.lon));
    add('people', 'People', strings(e.people), '', each('person', strings(e.people)));
    add('tags', 'Tags', strings(e.tags), '', each('tag', strings(e.tags)));
    add('labels', 'Labels', strings(e.labels), '', each('label', strings(e.labels)));
    add('id', 'ID', String(e.id || ''));
    return rows;
  }

  /** A search for about 1 km around a position: lat and lon ranges of ±0.01°. */
  function nearby(lat, lon) {
    if (!isNumber(lat) || !isNumber(lon)) return '';
    function range(x) { return '[' + trimNumber(Number(x) - 0.01, 5) + ':' + trimNumber(Number(x) + 0.01, 5) + ']'; }
    return 'lat in ' + range(lat) + ' lon in ' + range(lon);
  }

  hgsite.parseDate = parseDate;
  hgsite.formatDate = formatDate;
  hgsite.formatExposure = formatExposure;
  hgsite.formatFNumber = formatFNumber;
  hgsite.formatFocal = formatFocal;
  hgsite.formatNumber = formatNumber;
  hgsite.formatBytes = formatBytes;
  hgsite.formatDuration = formatDuration;
  hgsite.formatCoordinates = formatCoordinates;
  hgsite.formatDimensions = formatDimensions;
  hgsite.formatCamera = formatCamera;
  hgsite.describeEntry = describeEntry;
  hgsite.quoteQuery = quoteQuery;

  if (typeof module !== 'undefined' && module.exports) module.exports = hgsite;
}(typeof window !== 'undefined' ? window : {}));
