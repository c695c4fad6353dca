/*
 * hgsite bytes: data-file bytes to objects: base64, gzip (DecompressionStream), UTF-8 and JSON, with
 * the start of the text handed over early so the page can show the first screen meanwhile.
 * Needs errors.js first. Pure apart from the browser's (or node's) streams; tested with node --test.
 */
(function (root) {
  'use strict';

  // in node (tests) there is no window: the namespace comes with the files this one needs
  var hgsite = root.hgsite || (typeof module !== 'undefined' && module.exports ? require('./errors.js') : (root.hgsite = {}));
  var DataError = hgsite.DataError;

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

  hgsite.decodeBase64 = decodeBase64;
  hgsite.isGzip = isGzip;
  hgsite.gunzip = gunzip;
  hgsite.parseData = parseData;

  if (typeof module !== 'undefined' && module.exports) module.exports = hgsite;
}(typeof window !== 'undefined' ? window : {}));
