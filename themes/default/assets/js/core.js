/*
 * hgsite core: the namespace, data loading, routing and small formatting helpers.
 *
 * A classic script (no ES modules: they are blocked on file://). It attaches everything to
 * `window.hgsite` and, when loaded by node (`require`), exports the same object so the pure parts can be
 * tested with `node --test` without a DOM. Nothing here touches the DOM at load time.
 */
(function (root) {
  'use strict';

  /** @type {any} */
  var hgsite = root.hgsite || (root.hgsite = {});

  // ---------------------------------------------------------------------------------------------------
  // Errors

  /**
   * An error whose message is meant for the person looking at the page.
   * @param {string} message
   * @param {string} [hint]  what the user can do about it
   * @constructor
   */
  function DataError(message, hint) {
    var error = new Error(message);
    Object.setPrototypeOf(error, DataError.prototype);
    error.name = 'DataError';
    error.hint = hint || '';
    return error;
  }
  DataError.prototype = Object.create(Error.prototype);
  DataError.prototype.constructor = DataError;

  // ---------------------------------------------------------------------------------------------------
  // Bytes: base64, gzip, JSON

  var DAMAGED = 'The file is damaged or incomplete: copy the site again or rebuild it.';

  /**
   * Decode base64 (whitespace tolerated) into bytes.
   * @param {string} text
   * @returns {Uint8Array}
   */
  function decodeBase64(text) {
    var binary;
    try {
      binary = atob(String(text).replace(/\s+/g, ''));
    } catch (err) {
      throw new DataError('The data is not valid base64.', DAMAGED);
    }
    var bytes = new Uint8Array(binary.length);
    for (var i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
    return bytes;
  }

  /**
   * @param {Uint8Array} bytes
   * @returns {boolean} true when the bytes start with the gzip magic number 1f 8b
   */
  function isGzip(bytes) {
    return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
  }

  /**
   * Decompress gzip bytes with the browser's (or node's) DecompressionStream.
   * @param {Uint8Array} bytes
   * @returns {Promise<Uint8Array>}
   */
  function gunzip(bytes, onPrefix) {
    if (typeof DecompressionStream === 'undefined') {
      return Promise.reject(new DataError(
        'This browser cannot decompress the gallery data (no DecompressionStream).',
        'Use a current version of Firefox, Chrome, Edge or Safari.'));
    }
    var stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream('gzip'));
    if (onPrefix && typeof stream.tee === 'function') {
      var branches = stream.tee();
      stream = branches[0];
      readPrefix(branches[1], onPrefix);
    }
    return new Response(stream).arrayBuffer().then(
      function (buffer) { return new Uint8Array(buffer); },
      function () { throw new DataError('The data is not valid gzip (corrupt or truncated).', DAMAGED); });
  }

  var PREFIX_BYTES = 192 * 1024;

  /**
   * Hand the first PREFIX_BYTES of a stream, as text, to onPrefix, then stop reading it (the page shows
   * the first screen of the grid from them while the whole file is still being decompressed and parsed).
   */
  function readPrefix(stream, onPrefix) {
    var reader = stream.getReader();
    var decoder = new TextDecoder('utf-8');
    var text = '';
    function pump() {
      return reader.read().then(function (result) {
        if (!result.done) text += decoder.decode(result.value, { stream: true });
        if (result.done || text.length >= PREFIX_BYTES) {
          reader.cancel().catch(function () { /* the other branch goes on */ });
          callPrefix(onPrefix, text);
          return undefined;
        }
        return pump();
      });
    }
    pump().catch(function () { /* the main branch reports damaged data */ });
  }

  function callPrefix(onPrefix, text) {
    try {
      onPrefix(text);
    } catch (err) {
      if (root.console) root.console.warn('hgsite: could not show the first items early:', err);
    }
  }

  /** Resolves after the browser had a chance to paint (the first screen, before a long parse). */
  function afterPaint() {
    return new Promise(function (resolve) {
      if (typeof root.requestAnimationFrame === 'function') {
        root.requestAnimationFrame(function () { setTimeout(resolve, 0); });
      } else {
        setTimeout(resolve, 0);
      }
    });
  }

  /**
   * Turn raw data-file bytes (gzip or already decoded JSON) into the parsed object, checking its type.
   * @param {Uint8Array} bytes
   * @param {{type?: string, source?: string, onPrefix?: function(string)}} [options]
   *   type: required prefix of the `type` field; onPrefix: gets the start of the JSON text early
   * @returns {Promise<any>}
   */
  function parseData(bytes, options) {
    var opts = options || {};
    var source = opts.source || 'the data file';
    var decoded;
    if (isGzip(bytes)) {
      decoded = gunzip(bytes, opts.onPrefix);
    } else {
      if (opts.onPrefix) callPrefix(opts.onPrefix, new TextDecoder('utf-8').decode(bytes.subarray(0, PREFIX_BYTES)));
      decoded = Promise.resolve(bytes);
    }
    if (opts.onPrefix) decoded = decoded.then(function (plain) { return afterPaint().then(function () { return plain; }); });
    return decoded.then(function (plain) {
      var text, data;
      try {
        text = new TextDecoder('utf-8', { fatal: true }).decode(plain);
      } catch (err) {
        throw new DataError(source + ' is not UTF-8 text.', DAMAGED);
      }
      try {
        data = JSON.parse(text);
      } catch (err) {
        throw new DataError(source + ' is not valid JSON: ' + err.message, DAMAGED);
      }
      var type = data && typeof data === 'object' ? data.type : undefined;
      if (opts.type && (typeof type !== 'string' || type.indexOf(opts.type) !== 0)) {
        throw new DataError(source + ' has type ' + JSON.stringify(type === undefined ? null : type) +
          ', expected ' + opts.type + '…', 'Rebuild the site with a matching hgsite version.');
      }
      return data;
    }, function (err) {
      if (err && err.name === 'DataError') err.message = source + ': ' + err.message;
      throw err;
    });
  }

  /**
   * The preview tags and the first entries of a database from the start of its JSON text (a prefix that
   * may end anywhere). Only complete entries are returned; never throws.
   * @param {string} text
   * @param {number} max  at most this many entries
   * @returns {{previews: (Object|null), entries: Array<Object>}}
   */
  function parseHead(text, max) {
    var out = { previews: null, entries: [] };
    try {
      var i = skipSpace(text, 0);
      if (text[i] !== '{') return out;
      i++;
      for (;;) {
        i = skipSpace(text, i);
        if (text[i] === ',') i = skipSpace(text, i + 1);
        if (text[i] !== '"') return out;
        var keyEnd = jsonValueEnd(text, i);
        if (keyEnd < 0) return out;
        var key = JSON.parse(text.slice(i, keyEnd));
        i = skipSpace(text, keyEnd);
        if (text[i] !== ':') return out;
        i = skipSpace(text, i + 1);
        if (key === 'entries') return headEntries(text, i, max, out);
        var end = jsonValueEnd(text, i);
        if (end < 0) return out;
        if (key === 'previews') out.previews = JSON.parse(text.slice(i, end));
        i = end;
      }
    } catch (err) {
      return out;
    }
  }

  function headEntries(text, i, max, out) {
    if (text[i] !== '[') return out;
    i++;
    while (out.entries.length < max) {
      i = skipSpace(text, i);
      if (text[i] === ',') i = skipSpace(text, i + 1);
      if (text[i] !== '{') break;
      var end = jsonValueEnd(text, i);
      if (end < 0) break;
      var entry = JSON.parse(text.slice(i, end));
      if (entry && typeof entry.id === 'string' && entry.id !== '') out.entries.push(entry);
      i = end;
    }
    return out;
  }

  function skipSpace(text, i) {
    while (i < text.length && (text[i] === ' ' || text[i] === '\n' || text[i] === '\r' || text[i] === '\t')) i++;
    return i;
  }

  /** Index just after the JSON value starting at i, or -1 when the text ends first. */
  function jsonValueEnd(text, i) {
    var c = text[i];
    if (c === '"') {
      for (var k = i + 1; k < text.length; k++) {
        if (text[k] === '\\') k++;
        else if (text[k] === '"') return k + 1;
      }
      return -1;
    }
    if (c === '{' || c === '[') {
      var depth = 0;
      for (var j = i; j < text.length; j++) {
        var d = text[j];
        if (d === '"') {
          j = jsonValueEnd(text, j) - 1;
          if (j < 0) return -1;
        } else if (d === '{' || d === '[') {
          depth++;
        } else if (d === '}' || d === ']') {
          depth--;
          if (depth === 0) return j + 1;
        }
      }
      return -1;
    }
    var m = /^[^,}\]\s]*/.exec(text.slice(i, i + 64));
    var stop = i + m[0].length;
    return stop < text.length ? stop : -1;
  }

  // ---------------------------------------------------------------------------------------------------
  // Loading data files in both worlds (http fetch, file:// script)

  /** @returns {string} the data version stamped on <html data-version> (cache buster), or '' */
  function dataVersion() {
    var doc = root.document;
    if (!doc) return '';
    var holder = doc.documentElement.hasAttribute('data-version') ? doc.documentElement : doc.body;
    return (holder && holder.getAttribute('data-version')) || '';
  }

  /** @param {string} url  @returns {Promise<Uint8Array>} */
  function fetchBytes(url) {
    if (typeof fetch !== 'function') return Promise.reject(new DataError('fetch is not available.'));
    return fetch(url).then(function (response) {
      if (!response.ok) throw new DataError('HTTP ' + response.status);
      return response.arrayBuffer();
    }).then(function (buffer) { return new Uint8Array(buffer); });
  }

  /** @type {Object<string, Promise<Uint8Array>>} loads in flight, shared by concurrent callers */
  var scriptLoads = {};

  /**
   * Load `data/<name>.js`, a classic script that stores base64 text in window.hgsiteData[name].
   * @param {string} name
   * @param {string} url
   * @returns {Promise<Uint8Array>}
   */
  function scriptBytes(name, url) {
    if (!scriptLoads[name]) {
      var load = insertScript(name, url).then(function () {
        var store = root.hgsiteData || {};
        var bytes = decodeBase64(store[name]);
        try { delete store[name]; } catch (err) { store[name] = undefined; }  // free the big string
        return bytes;
      });
      scriptLoads[name] = load;
      var forget = function () { delete scriptLoads[name]; };
      load.then(forget, forget);
    }
    return scriptLoads[name];
  }

  /** @returns {Promise<void>} resolves once window.hgsiteData[name] holds a string */
  function insertScript(name, url) {
    return new Promise(function (resolve, reject) {
      if (root.hgsiteData && typeof root.hgsiteData[name] === 'string') return resolve();
      var doc = root.document;
      if (!doc) return reject(new DataError('Cannot load ' + url + ' without a document.'));
      var script = doc.createElement('script');
      script.src = url;
      script.async = true;
      script.addEventListener('load', function () {
        script.remove();
        if (root.hgsiteData && typeof root.hgsiteData[name] === 'string') resolve();
        else reject(new DataError(url + ' loaded but did not contain the ' + name + ' data.'));
      });
      script.addEventListener('error', function () {
        script.remove();
        reject(new DataError('Could not load ' + url.replace(/\?.*$/, '') + '.',
          'Check that the "data" folder sits next to index.html and is complete.'));
      });
      doc.head.appendChild(script);
    });
  }

  /**
   * Load a data file of the bundle, e.g. loadData('database') for data/database.json.gz.
   * Over http(s) it fetches `<base><name>.json.gz`, falling back to the script; from file:// it inserts
   * `<base><name>.js` (browsers block fetch of local files). Resolves with the parsed JSON object.
   *
   * @param {string} name
   * @param {{version?: string, base?: string, type?: string, protocol?: string,
   *          fetchBytes?: function(string): Promise<Uint8Array>,
   *          scriptBytes?: function(string, string): Promise<Uint8Array>,
   *          onPrefix?: function(string)}} [options]
   *   type defaults to 'hgsite/<name>@'; fetchBytes/scriptBytes/protocol can be replaced for tests;
   *   onPrefix receives the first ~200 kB of the JSON text as soon as they are decompressed.
   * @returns {Promise<any>}
   */
  function loadData(name, options) {
    var opts = options || {};
    var version = opts.version !== undefined ? opts.version : dataVersion();
    var query = version ? '?v=' + encodeURIComponent(version) : '';
    var base = opts.base !== undefined ? opts.base : 'data/';
    var jsonUrl = base + name + '.json.gz' + query;
    var scriptUrl = base + name + '.js' + query;
    var protocol = opts.protocol || (root.location ? root.location.protocol : 'file:');
    var viaFetch = opts.fetchBytes || fetchBytes;
    var viaScript = opts.scriptBytes || scriptBytes;
    var bytes, source;
    if (protocol === 'file:') {
      source = base + name + '.js';
      bytes = viaScript(name, scriptUrl);
    } else {
      source = base + name + '.json.gz';
      bytes = viaFetch(jsonUrl).catch(function (fetchError) {
        source = base + name + '.js';
        return viaScript(name, scriptUrl).catch(function (scriptError) {
          throw new DataError('Could not load ' + base + name + '.json.gz (' + fetchError.message + ') nor ' +
            base + name + '.js (' + scriptError.message + ').', scriptError.hint || '');
        });
      });
    }
    return bytes.then(function (data) {
      return parseData(data, { type: opts.type || 'hgsite/' + name + '@', source: source, onPrefix: opts.onPrefix });
    });
  }

  /**
   * Check the database object and return its entries (entries without an id are dropped).
   * @param {any} data
   * @returns {Array<Object>}
   */
  function checkDatabase(data) {
    if (!data || !Array.isArray(data.entries)) {
      throw new DataError('The database has no "entries" list.');
    }
    setPreviewTags(data.previews);
    setVideoTags(data.videos);
    return data.entries.filter(function (entry) {
      return entry && typeof entry === 'object' && typeof entry.id === 'string' && entry.id !== '';
    });
  }

  // ---------------------------------------------------------------------------------------------------
  // Router: hash routes are a public contract (#/, #/view/<id>, later #/search/<q>, #/map, ...)

  /** @type {Object<string, {param: (string|null), rest: boolean}>} */
  var routes = {};

  /**
   * Declare a route. `#/<name>` for param null, `#/<name>/<value>` otherwise. With rest=true the value is
   * everything after the name, slashes included (search queries); otherwise one segment (ids).
   * @param {string} name
   * @param {{param?: (string|null), rest?: boolean}} [spec]
   */
  function defineRoute(name, spec) {
    routes[name] = { param: (spec && spec.param) || null, rest: !!(spec && spec.rest), optional: !!(spec && spec.optional) };
  }

  function decode(text) {
    try { return decodeURIComponent(text); } catch (err) { return text; }
  }

  /**
   * Parse a location hash. Unknown or malformed routes come back as {name: 'all', known: false}.
   * @param {string} hash  e.g. '#/view/3f9a0c2d4b5e6f71'
   * @returns {{name: string, params: Object<string, string>, known: boolean}}
   */
  function parseRoute(hash) {
    var path = String(hash || '').replace(/^#/, '').replace(/^\/+/, '');
    var fallback = { name: 'all', params: {}, known: path === '' };
    if (path === '') return fallback;
    var slash = path.indexOf('/');
    var name = slash < 0 ? path : path.slice(0, slash);
    var value = slash < 0 ? '' : path.slice(slash + 1);
    var spec = Object.prototype.hasOwnProperty.call(routes, name) ? routes[name] : null;
    if (!spec || name === 'all') return fallback;
    var params = {};
    if (spec.param) {
      if (!spec.rest) value = value.replace(/\/+$/, '');
      if (value === '' && spec.optional) return { name: name, params: {}, known: true };
      if (value === '' || (!spec.rest && value.indexOf('/') >= 0)) return fallback;
      params[spec.param] = decode(value);
    } else if (value.replace(/\/+$/, '') !== '') {
      return fallback;
    }
    return { name: name, params: params, known: true };
  }

  /**
   * Build the hash for a route: formatRoute('view', {id: 'ab'}) -> '#/view/ab'.
   * @param {string} name
   * @param {Object<string, string>} [params]
   * @returns {string}
   */
  function formatRoute(name, params) {
    if (name === 'all' || !routes[name]) return '#/';
    var spec = routes[name];
    if (!spec.param) return '#/' + name;
    var value = encodeURIComponent(String((params || {})[spec.param] || ''));
    if (spec.rest) value = value.replace(/%2F/g, '/');
    return value === '' && spec.optional ? '#/' + name : '#/' + name + '/' + value;
  }

  defineRoute('all');
  defineRoute('view', { param: 'id' });

  // ---------------------------------------------------------------------------------------------------
  // Entries and previews

  /**
   * @param {string} path
   * @returns {string} the last path component ('a/b/c.jpg' -> 'c.jpg'), both slash kinds
   */
  function baseName(path) {
    var text = String(path || '');
    return text.slice(Math.max(text.lastIndexOf('/'), text.lastIndexOf('\\')) + 1);
  }

  /** @returns {string} the entry's file name, its date, or its id, for alt texts and titles */
  function entryName(entry) {
    if (entry.files && entry.files.length) return baseName(entry.files[0]);
    if (entry.date) return formatDate(entry.date);
    return entry.id;
  }

  /** @returns {number} width / height, 1 when a dimension is missing, zero or not a number */
  function aspectRatio(entry) {
    var w = Number(entry.width);
    var h = Number(entry.height);
    return w > 0 && h > 0 && isFinite(w) && isFinite(h) ? w / h : 1;
  }

  /**
   * Preview tags of the loaded database: size -> the parameter tag in preview file names
   * (docs/database.md, "Preview URLs"). Set by checkDatabase.
   * @type {Object<string, string>}
   */
  var previewTags = {};

  /** @param {any} tags the database's top-level `previews` object */
  function setPreviewTags(tags) {
    previewTags = {};
    if (tags && typeof tags === 'object') {
      Object.keys(tags).forEach(function (size) {
        if (typeof tags[size] === 'string' && /^[0-9a-z]+$/.test(tags[size])) previewTags[size] = tags[size];
      });
    }
  }

  /**
   * Tags of the web copies of videos: size -> the parameter tag in their file names (docs/database.md,
   * "Video URLs"). Set by checkDatabase.
   * @type {Object<string, string>}
   */
  var videoTags = {};

  /** @param {any} tags the database's top-level `videos` object */
  function setVideoTags(tags) {
    videoTags = {};
    if (tags && typeof tags === 'object') {
      Object.keys(tags).forEach(function (size) {
        if (typeof tags[size] === 'string' && /^[0-9a-z]+$/.test(tags[size])) videoTags[size] = tags[size];
      });
    }
  }

  /**
   * The URL of the playable web copy of a video entry: files/<id[0:2]>/<id[2:4]>/<id[4:]>-v<size>-<tag>.mp4,
   * or null when the entry is no video or has no web copy.
   * @param {Object} entry
   * @returns {string|null}
   */
  function videoUrl(entry) {
    if (!entry || entry.type !== 'video' || typeof entry.id !== 'string') return null;
    var size = Number(entry.video);
    var tag = videoTags[String(size)];
    if (!(size > 0) || !tag) return null;
    var id = entry.id;
    return 'files/' + id.slice(0, 2) + '/' + id.slice(2, 4) + '/' + id.slice(4) + '-v' + size + '-' + tag + '.mp4';
  }

  /**
   * The bundle-relative URL of a preview: files/<id[0:2]>/<id[2:4]>/<id[4:]>-<size>-<tag>.jpg
   * @returns {string}
   */
  function previewUrl(id, size, tag) {
    return 'files/' + id.slice(0, 2) + '/' + id.slice(2, 4) + '/' + id.slice(4) + '-' + size + '-' + tag + '.jpg';
  }

  /**
   * The previews of an entry, smallest first. `px` is the real long edge: a preview is never larger
   * than the original, so it is min(size, long edge of the original).
   * @param {Object} entry
   * @returns {Array<{key: string, size: number, px: number, url: string}>}
   */
  function previewList(entry) {
    var sizes = Array.isArray(entry.previews) ? entry.previews : [];
    var longEdge = Math.max(Number(entry.width) || 0, Number(entry.height) || 0);
    var list = [];
    sizes.forEach(function (value) {
      var size = Number(value);
      var key = String(size);
      var tag = previewTags[key];
      if (!(size > 0) || !tag || typeof entry.id !== 'string') return;
      list.push({ key: key, size: size, px: longEdge > 0 ? Math.min(size, longEdge) : size, url: previewUrl(entry.id, size, tag) });
    });
    return list.sort(function (a, b) { return a.px - b.px || a.size - b.size; });
  }

  /**
   * The smallest preview whose long edge covers `needPx` device pixels; the largest one when none does.
   * @param {Object} entry
   * @param {number} needPx
   * @returns {{key: string, size: number, px: number, url: string}|null}
   */
  function pickPreview(entry, needPx) {
    var list = previewList(entry);
    if (!list.length) return null;
    for (var i = 0; i < list.length; i++) {
      if (list[i].px >= needPx - 1) return list[i];
    }
    var best = list[list.length - 1].px;
    for (var j = 0; j < list.length; j++) {
      if (list[j].px === best) return list[j];
    }
    return list[list.length - 1];
  }

  /**
   * The long edge (CSS px) an image of w×h must have to cover a box of boxW×boxH (object-fit: cover).
   * @returns {number}
   */
  function coverEdge(w, h, boxW, boxH) {
    if (!(w > 0 && h > 0)) return Math.max(boxW, boxH);
    return Math.max(boxW / w, boxH / h) * Math.max(w, h);
  }

  /**
   * Fit w×h inside maxW×maxH keeping the ratio; never upscales unless `upscale`.
   * @returns {{w: number, h: number}}
   */
  function containSize(w, h, maxW, maxH, upscale) {
    if (!(w > 0 && h > 0)) { w = 1; h = 1; upscale = true; }
    var scale = Math.min(maxW / w, maxH / h);
    if (!upscale) scale = Math.min(scale, 1);
    return { w: Math.max(1, Math.round(w * scale)), h: Math.max(1, Math.round(h * scale)) };
  }

  // ---------------------------------------------------------------------------------------------------
  // Formatting (fixed English formats: predictable, and dates shown exactly as they were written)

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

  // ---------------------------------------------------------------------------------------------------
  // DOM helper (used by app.js and later views; touches the document only when called)

  /**
   * Create an element. Text is always set with textContent, attributes with setAttribute: data from the
   * database never goes through innerHTML.
   * @param {string} tag  'div' or 'div.class-a.class-b'
   * @param {Object<string, *>} [attrs]  attribute values; `text` sets textContent; null/false skip
   * @param {Array<Node|string>} [children]
   * @returns {HTMLElement}
   */
  function h(tag, attrs, children) {
    var parts = tag.split('.');
    var node = root.document.createElement(parts[0]);
    if (parts.length > 1) node.className = parts.slice(1).join(' ');
    Object.keys(attrs || {}).forEach(function (key) {
      var value = attrs[key];
      if (value === null || value === undefined || value === false) return;
      if (key === 'text') node.textContent = String(value);
      else node.setAttribute(key, value === true ? '' : String(value));
    });
    (children || []).forEach(function (child) {
      if (child === null || child === undefined) return;
      node.appendChild(typeof child === 'string' ? root.document.createTextNode(child) : child);
    });
    return node;
  }

  var api = {
    DataError: DataError,
    decodeBase64: decodeBase64,
    isGzip: isGzip,
    gunzip: gunzip,
    parseData: parseData,
    parseHead: parseHead,
    dataVersion: dataVersion,
    loadData: loadData,
    checkDatabase: checkDatabase,
    router: { define: defineRoute, parse: parseRoute, format: formatRoute, routes: routes },
    parseRoute: parseRoute,
    formatRoute: formatRoute,
    baseName: baseName,
    entryName: entryName,
    aspectRatio: aspectRatio,
    previewList: previewList,
    previewUrl: previewUrl,
    setPreviewTags: setPreviewTags,
    setVideoTags: setVideoTags,
    videoUrl: videoUrl,
    pickPreview: pickPreview,
    coverEdge: coverEdge,
    containSize: containSize,
    parseDate: parseDate,
    formatDate: formatDate,
    formatExposure: formatExposure,
    formatFNumber: formatFNumber,
    formatFocal: formatFocal,
    formatNumber: formatNumber,
    formatBytes: formatBytes,
    formatDuration: formatDuration,
    formatCoordinates: formatCoordinates,
    formatDimensions: formatDimensions,
    formatCamera: formatCamera,
    describeEntry: describeEntry,
    quoteQuery: quoteQuery,
    h: h
  };
  Object.keys(api).forEach(function (key) { hgsite[key] = api[key]; });

  if (typeof module !== 'undefined' && module.exports) module.exports = hgsite;
}(typeof window !== 'undefined' ? window : {}));
