/*
 * hgsite data: loading a data file of the bundle in both worlds: over http(s) fetch of
 * data/<name>.json.gz, from file:// (where browsers block fetch) the classic script data/<name>.js that
 * stores the same bytes as base64 in window.hgsiteData. Needs errors.js and bytes.js first.
 */
(function (root) {
  'use strict';

  // in node (tests) there is no window: the namespace comes with the files this one needs
  var hgsite = root.hgsite || (typeof module !== 'undefined' && module.exports ? require('./bytes.js') : (root.hgsite = {}));
  var DataError = hgsite.DataError;
  var decodeBase64 = hgsite.decodeBase64;
  var parseData = hgsite.parseData;

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

  hgsite.dataVersion = dataVersion;
  hgsite.loadData = loadData;

  if (typeof module !== 'undefined' && module.exports) module.exports = hgsite;
}(typeof window !== 'undefined' ? window : {}));
