/*
 * hgsite head: the first entries of the database from the start of its JSON text, for the first
 * screen of the grid while the whole file is still being decompressed and parsed. Pure; never throws.
 */
(function (root) {
  'use strict';

  // in node (tests) there is no window: errors.js makes the namespace
  var hgsite = root.hgsite || (typeof module !== 'undefined' && module.exports ? require('./errors.js') : (root.hgsite = {}));

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

  hgsite.parseHead = parseHead;

  if (typeof module !== 'undefined' && module.exports) module.exports = hgsite;
}(typeof window !== 'undefined' ? window : {}));
