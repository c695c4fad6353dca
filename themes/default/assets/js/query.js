/*
 * hgsite query: the search language (HomeGallery-compatible, docs/search.md), parsed and evaluated in
 * plain JS. No DOM: the same file runs in the page and in `node --test`.
 *
 *   parse(text)                 -> Query (throws QueryError with a message and a position; a term with an
 *                                  unknown key is left out and its QueryError listed in query.errors)
 *   run(entries, query, opts)   -> {entries, grouped}: the matching entries in the query's order
 *   search(entries, text, opts) -> parse + run, strict: an unknown key throws too
 *   quote(value)                -> a value written so that parse reads it back unchanged
 *
 * Precedence, loosest first: juxtaposition (implicit AND), `or`, `and`, `not`; so `a b or c` is
 * `a and (b or c)`. `similar:<id>` ranks through a pluggable ranker (opts.rankers.similar).
 */
(function (root) {
  'use strict';

  var hgsite = root.hgsite || (root.hgsite = {});

  // ---------------------------------------------------------------------------------------------------
  // Errors

  /**
   * A problem with a query, for the person who typed it.
   * @param {string} message
   * @param {number} pos  0-based offset of the problem in the query text
   * @param {number} [length]  how many characters the problem spans (at least 1)
   * @param {string} [hint]
   * @constructor
   */
  function QueryError(message, pos, length, hint) {
    var error = new Error(message);
    Object.setPrototypeOf(error, QueryError.prototype);
    error.name = 'QueryError';
    error.pos = Math.max(0, pos || 0);
    error.length = Math.max(1, length || 1);
    error.hint = hint || '';
    return error;
  }
  QueryError.prototype = Object.create(Error.prototype);
  QueryError.prototype.constructor = QueryError;

  // ---------------------------------------------------------------------------------------------------
  // Tokens

  /** @typedef {{type: string, value: string, pos: number, end: number, quoted?: boolean}} Token */

  var PUNCTUATION = { '(': 'lparen', ')': 'rparen', '[': 'lbracket', ']': 'rbracket', ',': 'comma' };
  var OPERATORS = ['<=', '>=', '!=', '<', '>', '=', '~', ':'];
  var WORD_STOP = /[\s()[\],:=<>~"']/;

  /**
   * Split a query into tokens. Inside [ ] a colon always separates; elsewhere `1:30` stays one word, and
   * so does a value after an operator: `file:C:/photos`, `a=b:c`, `key:foo://bar`.
   * @param {string} text
   * @returns {Token[]}
   */
  function tokenize(text) {
    var tokens = [];
    var depth = 0;
    var i = 0;
    while (i < text.length) {
      var c = text[i];
      if (/\s/.test(c)) { i++; continue; }
      if (PUNCTUATION[c]) {
        if (c === '[') depth++;
        if (c === ']') depth = Math.max(0, depth - 1);
        tokens.push({ type: PUNCTUATION[c], value: c, pos: i, end: i + 1 });
        i++;
        continue;
      }
      if (c === '"' || c === "'") { i = readQuoted(text, i, tokens); continue; }
      var op = operatorAt(text, i);
      if (op) {
        tokens.push({ type: 'op', value: op, pos: i, end: i + op.length });
        i += op.length;
        continue;
      }
      var last = tokens[tokens.length - 1];
      i = readWord(text, i, depth, tokens, depth === 0 && !!last && last.type === 'op');
    }
    tokens.push({ type: 'end', value: '', pos: text.length, end: text.length });
    return tokens;
  }

  function operatorAt(text, i) {
    for (var k = 0; k < OPERATORS.length; k++) {
      if (text.substr(i, OPERATORS[k].length) === OPERATORS[k]) return OPERATORS[k];
    }
    return '';
  }

  function readQuoted(text, start, tokens) {
    var quote = text[start];
    var value = '';
    for (var i = start + 1; i < text.length; i++) {
      var c = text[i];
      if (c === '\\' && i + 1 < text.length) {
        value += text[++i];
      } else if (c === quote) {
        tokens.push({ type: 'word', value: value, pos: start, end: i + 1, quoted: true });
        return i + 1;
      } else {
        value += c;
      }
    }
    throw new QueryError('Missing closing quote ' + quote, start, text.length - start,
      'Close the quote, or put a backslash before a quote that belongs to the text.');
  }

  function readWord(text, start, depth, tokens, value) {
    var i = start;
    while (i < text.length) {
      var c = text[i];
      if (c === '!' && text[i + 1] === '=') break;
      if (c === ':' && value && i > start && /[^\s()[\],]/.test(text[i + 1] || ' ')) {
        i++;   // a value right after an operator keeps its colons
        continue;
      }
      if (c === ':' && depth === 0 && /^\d+(:\d+)*$/.test(text.slice(start, i)) && /\d/.test(text[i + 1] || '')) {
        i++;   // 1:30, 12:30:00 (durations, times) are one word outside ranges
        continue;
      }
      if (WORD_STOP.test(c)) break;
      i++;
    }
    tokens.push({ type: 'word', value: text.slice(start, i), pos: start, end: i });
    return i;
  }

  // ---------------------------------------------------------------------------------------------------
  // Keys

  /**
   * Every key the language knows. kind decides which operators and values it takes:
   * text (one string), list (several strings), number, bytes, ratio, duration, part (of the date), date,
   * id, type, geo, similar.
   */
  var KEYS = {
    id: { kind: 'id' },
    type: { kind: 'type' },
    file: { kind: 'list', get: files, map: withAndWithoutSource, exact: true },
    filename: { kind: 'list', get: files, map: baseName, exact: true },
    path: { kind: 'list', get: files, map: folderWithAndWithoutSource, exact: true },
    index: { kind: 'list', get: files, map: sourceName, exact: true },
    folder: { kind: 'list', get: folders },
    ext: { kind: 'list', get: files, map: extension },
    filesize: { kind: 'bytes', get: field('size') },
    width: { kind: 'number', get: field('width') },
    height: { kind: 'number', get: field('height') },
    iso: { kind: 'number', get: field('iso') },
    fnumber: { kind: 'number', get: field('fnumber') },
    focal: { kind: 'number', get: field('focal') },
    ratio: { kind: 'ratio', get: ratioOf },
    duration: { kind: 'duration', get: field('duration') },
    year: { kind: 'part', from: 0, to: 4 },
    month: { kind: 'part', from: 5, to: 7 },
    day: { kind: 'part', from: 8, to: 10 },
    hour: { kind: 'part', from: 11, to: 13 },
    minute: { kind: 'part', from: 14, to: 16 },
    date: { kind: 'date' },
    make: { kind: 'text', get: field('make') },
    model: { kind: 'text', get: field('model') },
    camera: { kind: 'list', get: cameraNames },
    lens: { kind: 'text', get: field('lens') },
    description: { kind: 'text', get: field('description') },
    country: { kind: 'text', get: field('country') },
    state: { kind: 'text', get: field('state') },
    city: { kind: 'text', get: field('city') },
    road: { kind: 'text', get: field('road') },
    location: { kind: 'list', get: placeNames },
    latitude: { kind: 'number', get: field('lat') },
    longitude: { kind: 'number', get: field('lon') },
    geo: { kind: 'geo' },
    tag: { kind: 'list', get: field('tags') },
    label: { kind: 'list', get: field('labels') },
    person: { kind: 'list', get: field('people') },
    faces: { kind: 'list', get: faceNames },
    similar: { kind: 'similar' }
  };

  var ALIASES = {
    y: 'year', m: 'month', d: 'day', H: 'hour', M: 'minute', h: 'hour',
    lat: 'latitude', lon: 'longitude', lng: 'longitude', street: 'road', place: 'location',
    tags: 'tag', labels: 'label', object: 'label', objects: 'label', aperture: 'fnumber',
    size: 'filesize', files: 'file', people: 'person', face: 'faces'
  };

  /** @returns {string|null} the canonical key for what the user wrote (exact case first: m/M differ) */
  function canonicalKey(name) {
    if (Object.prototype.hasOwnProperty.call(ALIASES, name)) return ALIASES[name];
    if (Object.prototype.hasOwnProperty.call(KEYS, name)) return name;
    var lower = name.toLowerCase();
    if (Object.prototype.hasOwnProperty.call(ALIASES, lower)) return ALIASES[lower];
    if (Object.prototype.hasOwnProperty.call(KEYS, lower)) return lower;
    return null;
  }

  function field(name) { return function (e) { return e[name]; }; }
  function files(e) { return e.files; }
  function baseName(path) { return path.slice(path.lastIndexOf('/') + 1); }
  function dirName(path) { var i = path.lastIndexOf('/'); return i < 0 ? '' : path.slice(0, i); }
  /** Files are "<source folder name>/<path>"; HomeGallery's paths are relative to the source: match both. */
  function withoutSource(path) { var i = path.indexOf('/'); return i < 0 ? path : path.slice(i + 1); }
  function withAndWithoutSource(path) { return [path, withoutSource(path)]; }
  function folderWithAndWithoutSource(path) { return [dirName(path), dirName(withoutSource(path))]; }
  function sourceName(path) { var i = path.indexOf('/'); return i < 0 ? '' : path.slice(0, i); }
  /** Every folder an entry's files are in, with all their parents: folder:"a/b" finds a/b and below. */
  function folders(e) {
    var found = [];
    (e.files || []).forEach(function (file) {
      for (var dir = dirName(file); dir; dir = dirName(dir)) if (found.indexOf(dir) < 0) found.push(dir);
    });
    return found;
  }
  function extension(path) {
    var name = baseName(path);
    var i = name.lastIndexOf('.');
    return i <= 0 ? '' : name.slice(i + 1);
  }
  /** Names of the named face regions ([name, x, y, w, h] each). */
  function faceNames(e) {
    return Array.isArray(e.faces) ? e.faces.map(function (face) { return Array.isArray(face) ? face[0] : face; }) : undefined;
  }
  function ratioOf(e) { return e.width > 0 && e.height > 0 ? e.width / e.height : undefined; }
  function cameraNames(e) {
    var names = [];
    if (e.make) names.push(String(e.make));
    if (e.model) names.push(String(e.model));
    if (e.make && e.model) names.push(String(e.make) + ' ' + String(e.model));   // 'Apple iPhone 7' 
    return names;
  }
  function placeNames(e) {
    return [e.country, e.state, e.city, e.road, e.place].filter(function (x) { return x; });
  }

  /** The known key closest to a misspelt one, or '' (one edit for short names, two from 6 letters). */
  function suggestKey(name) {
    var lower = name.toLowerCase();
    var best = '';
    var bestDistance = Infinity;
    Object.keys(KEYS).concat(Object.keys(ALIASES)).forEach(function (key) {
      if (key.length < 3) return;
      var d = editDistance(lower, key.toLowerCase());
      if (d < bestDistance) { best = key; bestDistance = d; }
    });
    return bestDistance <= (lower.length >= 6 ? 2 : 1) ? best : '';
  }

  /** Optimal string alignment distance (insertions, deletions, substitutions, transpositions). */
  function editDistance(a, b) {
    var d = [];
    for (var i = 0; i <= a.length; i++) {
      d[i] = [i];
      for (var j = 1; j <= b.length; j++) {
        if (i === 0) { d[i][j] = j; continue; }
        var cost = a[i - 1] === b[j - 1] ? 0 : 1;
        d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
        if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
      }
    }
    return d[a.length][b.length];
  }

  // ---------------------------------------------------------------------------------------------------
  // Parser: recursive descent over the tokens; every node keeps its position for error messages

  /**
   * @typedef {{type: string, pos: number, end: number}} Node  plus fields by type (see the node functions)
   * @typedef {{text: string, where: (Node|null), order: ({by: string, key: string, dir: string, pos: number}|null),
   *            similar: Array<{value: string, pos: number, end: number}>}} Query
   */

  var KEYWORDS = { and: 1, or: 1, not: 1, order: 1 };

  function Parser(text) {
    this.text = text;
    this.tokens = tokenize(text);
    this.i = 0;
    this.errors = [];   // problems the query is still run without: unknown keys (their terms are skipped)
  }

  Parser.prototype.peek = function (offset) { return this.tokens[Math.min(this.i + (offset || 0), this.tokens.length - 1)]; };
  Parser.prototype.next = function () { return this.tokens[this.i++]; };

  /** @returns {boolean} the token is the unquoted keyword `word` (any case) */
  function isWord(token, word) {
    return token.type === 'word' && !token.quoted && token.value.toLowerCase() === word;
  }

  Parser.prototype.fail = function (message, token, hint) {
    var end = token.type === 'end' ? token.pos + 1 : token.end;
    throw new QueryError(message, token.pos, end - token.pos, hint);
  };

  Parser.prototype.expect = function (type, what) {
    var token = this.peek();
    if (token.type !== type) this.fail('Expected ' + what + ' ' + describe(token), token);
    return this.next();
  };

  function describe(token) {
    if (token.type === 'end') return 'at the end';
    return 'before ' + JSON.stringify(token.quoted ? '"' + token.value + '"' : token.value);
  }

  /** @returns {Query} */
  Parser.prototype.parseQuery = function () {
    var where = null;
    var token = this.peek();
    if (token.type !== 'end' && !this.atOrder()) where = this.parseTerms();
    var order = this.atOrder() ? this.parseOrder() : null;
    token = this.peek();
    if (token.type === 'rparen') this.fail('Unmatched ")"', token, 'Remove it or add the "(" it closes.');
    if (token.type !== 'end') this.fail('Unexpected ' + JSON.stringify(token.value) + ' after "order by"', token, '"order by" comes last.');
    var query = { text: this.text, where: where, order: order, similar: [], errors: this.errors };
    collectSimilar(where, query.similar, true);
    return query;
  };

  Parser.prototype.atOrder = function () { return isWord(this.peek(), 'order') && isWord(this.peek(1), 'by'); };

  /** Terms: one or more or-expressions side by side, joined by an implicit AND. */
  Parser.prototype.parseTerms = function () {
    this.skipCommas();
    var items = [this.parseOr()];
    for (this.skipCommas(); !this.atTermsEnd(); this.skipCommas()) items.push(this.parseOr());
    return items.length === 1 ? items[0] : node('and', items[0].pos, items[items.length - 1].end, { items: items });
  };

  /** Commas between terms are ignored ("rome, paris" is "rome paris"). */
  Parser.prototype.skipCommas = function () { while (this.peek().type === 'comma') this.next(); };

  Parser.prototype.atTermsEnd = function () {
    var token = this.peek();
    return token.type === 'end' || token.type === 'rparen' || this.atOrder();
  };

  Parser.prototype.parseOr = function () { return this.parseChain('or', this.parseAnd); };
  Parser.prototype.parseAnd = function () { return this.parseChain('and', this.parseNot); };

  Parser.prototype.parseChain = function (word, parseItem) {
    var items = [parseItem.call(this)];
    while (isWord(this.peek(), word)) {
      var keyword = this.next();
      if (this.atTermsEnd()) this.fail('Expected a search term after "' + keyword.value + '"', this.peek());
      items.push(parseItem.call(this));
    }
    return items.length === 1 ? items[0] : node(word, items[0].pos, items[items.length - 1].end, { items: items });
  };

  Parser.prototype.parseNot = function () {
    var token = this.peek();
    if (!isWord(token, 'not')) return this.parsePrimary();
    this.next();
    if (this.atTermsEnd()) this.fail('Expected a search term after "not"', this.peek());
    var inner = this.parseNot();
    return node('not', token.pos, inner.end, { item: inner });
  };

  Parser.prototype.parsePrimary = function () {
    var token = this.peek();
    if (token.type === 'lparen') return this.parseGroup();
    if (token.type !== 'word') {
      this.fail('Expected a search term ' + describe(token), token,
        token.type === 'op' ? 'Put text with ' + token.value + ' in quotes.' : '');
    }
    if (!token.quoted && (isWord(token, 'and') || isWord(token, 'or'))) {
      this.fail('Expected a search term before "' + token.value + '"', token, 'To search for the word, put it in quotes.');
    }
    var after = this.peek(1);
    if (!token.quoted && after.type === 'lparen') {
      var fn = token.value.toLowerCase();
      if (fn === 'exists') return this.parseExists();
      if (fn === 'count') return this.parseCount();
    }
    if (!token.quoted && after.type === 'op') return this.parseComparison();
    if (!token.quoted && isWord(after, 'in') && /^[[(]$/.test(this.peek(2).value)) return this.parseIn(false);
    if (!token.quoted && isWord(after, 'all') && isWord(this.peek(2), 'in') && this.peek(3).type === 'lparen') {
      return this.parseIn(true);
    }
    this.next();
    return node('term', token.pos, token.end, { value: token.value });
  };

  Parser.prototype.parseGroup = function () {
    var open = this.next();
    if (this.peek().type === 'rparen') this.fail('Empty parentheses', this.peek());
    var inner = this.parseTerms();
    if (this.peek().type !== 'rparen') this.fail('Missing ")" for the "(" at ' + (open.pos + 1), this.peek());
    var close = this.next();
    inner = Object.assign({}, inner);
    inner.pos = open.pos;
    inner.end = close.end;
    return inner;
  };

  /**
   * The key at the current token. An unknown one is recorded in this.errors (HomeGallery skips such a
   * term and so does run: the rest of the query still finds items) unless `strict`, when it throws.
   * @returns {{name: string, key: string, spec: Object, token: Token, unknown?: boolean}}
   */
  Parser.prototype.parseKey = function (strict) {
    var token = this.next();
    var key = canonicalKey(token.value);
    if (!key) {
      var suggestion = suggestKey(token.value);
      var hint = suggestion ? 'Did you mean "' + suggestion + '"?' :
        'Known keys: ' + Object.keys(KEYS).join(', ') + '. To search for text with a colon, put it in quotes.';
      var error = new QueryError('Unknown key "' + token.value + '"' + (suggestion ? ': did you mean "' + suggestion + '"?' : ''),
        token.pos, token.end - token.pos, hint);
      if (suggestion) error.replacement = suggestion;   // the page offers the corrected query
      if (strict) throw error;
      this.errors.push(error);
      return { name: token.value, key: '', spec: { kind: 'unknown' }, token: token, unknown: true };
    }
    return { name: token.value, key: key, spec: KEYS[key], token: token };
  };

  Parser.prototype.parseValue = function (what) {
    var token = this.peek();
    if (token.type !== 'word') this.fail('Expected ' + what + ' ' + describe(token), token);
    return this.next();
  };

  Parser.prototype.parseComparison = function () {
    var key = this.parseKey();
    var op = this.next();
    var value = this.parseValue('a value after "' + key.name + op.value + '"');
    if (key.unknown) return skip(key, value.end);
    return compileComparison(key, op.value === ':' ? '=' : op.value, value, op);
  };

  Parser.prototype.parseIn = function (all) {
    var key = this.parseKey();
    if (all) this.next();
    var inToken = this.next();
    var open = this.peek();
    if (open.type === 'lbracket' && !all) return this.parseRange(key);
    if (open.type !== 'lparen') this.fail('Expected "(" after "' + (all ? 'all in' : 'in') + '"', open);
    this.next();
    var values = [];
    while (this.peek().type !== 'rparen') {
      values.push(this.parseValue('a value or ")"'));
      if (this.peek().type === 'comma') this.next();
    }
    var close = this.next();
    if (!values.length) this.fail('Empty list after "' + key.name + ' in"', close);
    if (key.unknown) return skip(key, close.end);
    return compileList(key, all, values, inToken, close.end);
  };

  Parser.prototype.parseRange = function (key) {
    this.next();
    var low = this.parseValue('the start of the range');
    this.expect('op', '":" between the start and the end of the range');
    if (this.tokens[this.i - 1].value !== ':') this.fail('Expected ":" in the range', this.tokens[this.i - 1]);
    var high = this.parseValue('the end of the range');
    var close = this.expect('rbracket', '"]"');
    if (key.unknown) return skip(key, close.end);
    return compileRange(key, low, high, close.end);
  };

  Parser.prototype.parseExists = function () {
    var fn = this.next();
    this.next();
    var key = this.parseKey();
    var close = this.expect('rparen', '")"');
    if (key.unknown) return skip(key, close.end);
    return node('exists', fn.pos, close.end, { key: key.key, test: existsTest(key) });
  };

  Parser.prototype.parseCount = function () {
    var fn = this.next();
    this.next();
    var key = this.parseKey();
    this.expect('rparen', '")"');
    if (!key.unknown && !counted(key.key)) this.fail('count() works on tags, labels, files, faces and people, not "' + key.name + '"', key.token);
    var op = this.expect('op', 'a comparison after count(' + key.name + ')');
    var value = this.parseValue('a number after "' + op.value + '"');
    if (key.unknown) return skip(key, value.end);
    var n = number(value, 'count');
    var get = KEYS[key.key].get;
    var compare = comparator(op.value === ':' ? '=' : op.value, op);
    return node('count', fn.pos, value.end, {
      test: function (e) { var list = get(e); return compare(Array.isArray(list) ? list.length : 0, n); }
    });
  };

  Parser.prototype.parseOrder = function () {
    var start = this.next();
    this.next();
    var token = this.peek();
    var by;
    if (token.type === 'word' && !token.quoted && token.value.toLowerCase() === 'count' && this.peek(1).type === 'lparen') {
      this.next();
      this.next();
      var key = this.parseKey(true);
      this.expect('rparen', '")"');
      if (!counted(key.key)) this.fail('count() works on tags, labels, files, faces and people, not "' + key.name + '"', key.token);
      by = 'count:' + key.key;
    } else {
      var word = this.parseValue('what to order by (date, duration, width, height, filesize, random, count(tags))');
      by = ORDER_ALIASES[word.value.toLowerCase()] || '';
      if (!by) {
        this.fail('Cannot order by "' + word.value + '"', word,
          'Order by date, updated, duration, width, height, filesize, random or count(tags).');
      }
    }
    var dir = by === 'random' ? 'asc' : 'desc';
    if (isWord(this.peek(), 'asc') || isWord(this.peek(), 'desc')) dir = this.next().value.toLowerCase();
    return { by: by, dir: dir, pos: start.pos };
  };

  var ORDER_ALIASES = {
    date: 'date', updated: 'date', duration: 'duration', width: 'width', height: 'height',
    filesize: 'filesize', size: 'filesize', random: 'random'
  };

  function counted(key) { return key === 'tag' || key === 'label' || key === 'file' || key === 'faces' || key === 'person'; }

  /** A term with an unknown key: kept in the tree for its position, left out when the query runs. */
  function skip(key, end) { return node('skip', key.token.pos, end, {}); }

  function node(type, pos, end, fields) {
    var n = { type: type, pos: pos, end: end };
    Object.keys(fields).forEach(function (k) { n[k] = fields[k]; });
    return n;
  }

  /** Move similar:<id> out of the tree; it may only stand in the top-level AND. */
  function collectSimilar(n, out, top) {
    if (!n) return;
    if (n.type === 'similar') {
      if (!top) throw new QueryError('similar: can only be combined with other terms by "and"', n.pos, n.end - n.pos);
      out.push({ value: n.value, pos: n.pos, end: n.end });
      return;
    }
    var children = n.items || (n.item ? [n.item] : []);
    children.forEach(function (child) { collectSimilar(child, out, top && n.type === 'and'); });
  }

  // ---------------------------------------------------------------------------------------------------
  // Values

  function number(token, what) {
    var text = token.value.trim();
    if (!/^[-+]?(\d+\.?\d*|\.\d+)$/.test(text)) {
      throw new QueryError('Expected a number for ' + what + ', not "' + token.value + '"', token.pos, token.end - token.pos);
    }
    return Number(text);
  }

  var BYTE_UNITS = { '': 1, b: 1, k: 1024, kb: 1024, m: 1048576, mb: 1048576, g: 1073741824, gb: 1073741824, t: 1099511627776, tb: 1099511627776 };

  /** '2MB' -> 2097152 (1024-based like HomeGallery; 'kib', 'mib' too) */
  function bytes(token) {
    var m = /^(\d+(?:\.\d+)?)\s*([kmgt]?)(i?b?)$/i.exec(token.value.trim());
    if (!m || (m[3] && m[3].toLowerCase() !== 'b' && m[3].toLowerCase() !== 'ib') || (!m[2] && m[3].toLowerCase() === 'ib')) {
      throw new QueryError('Expected a file size such as 500k, 2MB or 1.5GB, not "' + token.value + '"', token.pos, token.end - token.pos);
    }
    return Number(m[1]) * BYTE_UNITS[(m[2] + (m[2] ? 'b' : '')).toLowerCase()];
  }

  /** seconds, or [[H:]M:]SS -> seconds */
  function duration(token) {
    var text = token.value.trim();
    if (/^\d+(\.\d+)?s?$/.test(text)) return parseFloat(text);
    if (/^\d{1,2}(:\d{1,2}){1,2}$/.test(text)) {
      return text.split(':').reduce(function (total, part) { return total * 60 + Number(part); }, 0);
    }
    throw new QueryError('Expected a duration in seconds or as MM:SS, not "' + token.value + '"', token.pos, token.end - token.pos);
  }

  var RATIO_NAMES = { landscape: ['>', 1], portrait: ['<', 1], square: ['=', 1], panorama: ['>', 2] };

  function ratio(token) {
    var m = /^(\d+(?:\.\d+)?)\s*[/:x]\s*(\d+(?:\.\d+)?)$/.exec(token.value.trim());
    if (m && Number(m[2]) > 0) return Number(m[1]) / Number(m[2]);
    return number(token, 'ratio (a number, 16/9, landscape, portrait, square or panorama)');
  }

  var MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

  function datePart(token, key) {
    if (key === 'month') {
      var index = MONTHS.indexOf(token.value.trim().toLowerCase().slice(0, 3));
      if (index >= 0 && /^[a-z]+$/i.test(token.value.trim())) return index + 1;
    }
    var n = number(token, key);
    if (n !== Math.floor(n)) throw new QueryError('Expected a whole number for ' + key, token.pos, token.end - token.pos);
    return n;
  }

  /** 'YYYY', 'YYYY-MM' or 'YYYY-MM-DD' (also with / or .), normalised to dashes */
  function dateValue(token) {
    var m = /^(\d{4})(?:[-/.](\d{1,2})(?:[-/.](\d{1,2}))?)?$/.exec(token.value.trim());
    if (!m) throw new QueryError('Expected a date as YYYY, YYYY-MM or YYYY-MM-DD, not "' + token.value + '"', token.pos, token.end - token.pos);
    var text = m[1];
    if (m[2]) text += '-' + pad2(m[2]);
    if (m[3]) text += '-' + pad2(m[3]);
    return text;
  }

  function pad2(text) { return text.length < 2 ? '0' + text : text; }

  function lower(value) { return value === undefined || value === null ? '' : String(value).toLowerCase(); }

  // ---------------------------------------------------------------------------------------------------
  // Predicates: each comparison becomes a function(entry) -> boolean at parse time

  function comparator(op, token) {
    switch (op) {
      case '=': return function (a, b) { return a === b; };
      case '!=': return function (a, b) { return a !== b; };
      case '<': return function (a, b) { return a < b; };
      case '<=': return function (a, b) { return a <= b; };
      case '>': return function (a, b) { return a > b; };
      case '>=': return function (a, b) { return a >= b; };
      default: throw new QueryError('"' + op + '" compares text; use it with a text key such as make or tag', token.pos, token.end - token.pos);
    }
  }

  var TEXT_OPS = { '=': 1, '!=': 1, '~': 1 };
  var ID_MIN = 5;   // characters an id (or its start) needs for id: and id =
  var KIND_NAMES = { text: 'text', list: 'text', id: 'text', type: 'text' };

  function compileComparison(key, op, value, opToken) {
    var spec = key.spec;
    var test = KIND_NAMES[spec.kind] ? textTest(key, op, value, opToken) : numericTest(key, op, value, opToken);
    return node(test.type || 'cmp', key.token.pos, value.end, test.type ? test : { test: test });
  }

  function textTest(key, op, value, opToken) {
    if (!TEXT_OPS[op]) {
      throw new QueryError('"' + key.name + '" is text: use ":", "=", "!=" or "~", not "' + op + '"', opToken.pos, opToken.end - opToken.pos);
    }
    var spec = key.spec;
    var needle = value.value.toLowerCase();
    if (spec.kind === 'id') {
      var idMatch = op === '~' ? function (e) { return lower(e.id).indexOf(needle) >= 0; }
        : needle.length < ID_MIN ? function () { return false; }   // as in HomeGallery: too short to name an item
          : function (e) { return lower(e.id).indexOf(needle) === 0; };
      return op === '!=' ? not(idMatch) : idMatch;
    }
    if (spec.kind === 'type') return typeTest(op, needle);
    var get = spec.get;
    var map = spec.map || null;
    var exact = value.value;
    var one = op === '~' ? function (s) { return lower(s).indexOf(needle) >= 0; }
      : spec.exact ? function (s) { return String(s) === exact; }   // file names: case matters, as in HomeGallery
        : function (s) { return lower(s) === needle; };
    var any = spec.kind === 'list' ? function (e) {
      var list = get(e);
      if (!Array.isArray(list)) return false;
      for (var i = 0; i < list.length; i++) {
        var v = map ? map(String(list[i])) : list[i];
        if (Array.isArray(v) ? one(v[0]) || one(v[1]) : one(v)) return true;
      }
      return false;
    } : function (e) { var v = get(e); return v !== undefined && v !== null && one(v); };
    return op === '!=' ? not(any) : any;
  }

  function not(test) { return function (e) { return !test(e); }; }

  function numericTest(key, op, value, opToken) {
    var spec = key.spec;
    if (spec.kind === 'similar') {
      if (op !== '=') throw new QueryError('Use similar:<id>', opToken.pos, opToken.end - opToken.pos);
      return { type: 'similar', value: value.value };
    }
    if (spec.kind === 'geo') {
      throw new QueryError('geo takes a range: geo in [from:to], or exists(geo); use lat and lon to compare',
        key.token.pos, value.end - key.token.pos);
    }
    if (spec.kind === 'ratio' && op === '=' && RATIO_NAMES[value.value.toLowerCase()]) {
      var named = RATIO_NAMES[value.value.toLowerCase()];
      return valueTest(spec.get, comparator(named[0], opToken), named[1]);
    }
    var compare = comparator(op, opToken);
    if (spec.kind === 'date') return dateTest(compare, dateValue(value), op);
    if (spec.kind === 'part') return valueTest(partGetter(spec), compare, datePart(value, key.key), op);
    var parsed = spec.kind === 'bytes' ? bytes(value) : spec.kind === 'duration' ? duration(value)
      : spec.kind === 'ratio' ? ratio(value) : number(value, key.name);
    if (spec.kind === 'ratio' && op === '=') {
      return valueTest(spec.get, function (a, b) { return Math.abs(a - b) < 0.01; }, parsed);
    }
    return valueTest(spec.get, compare, parsed, op);
  }

  /** The number written at date[from..to) (year, month, ...), read digit by digit (no string copies). */
  function partGetter(spec) {
    var from = spec.from;
    var to = spec.to;
    return function (e) {
      var text = e.date;
      if (typeof text !== 'string' || text.length < to) return undefined;
      var n = 0;
      for (var i = from; i < to; i++) {
        var digit = text.charCodeAt(i) - 48;
        if (digit < 0 || digit > 9) return undefined;
        n = n * 10 + digit;
      }
      return n;
    };
  }

  /** A comparison of a numeric field; a missing value only satisfies "!=". */
  function valueTest(get, compare, right, op) {
    return function (e) {
      var v = get(e);
      if (v === undefined || v === null || v === '' || isNaN(v)) return op === '!=';
      return compare(Number(v), right);
    };
  }

  /** Dates compare on the length written: date<=2019 holds for all of 2019, date=2019-05 for all of May. */
  function dateTest(compare, right, op) {
    var length = right.length;
    return function (e) {
      if (typeof e.date !== 'string' || e.date.length < length) return op === '!=';
      return compare(e.date.slice(0, length), right);
    };
  }

  function compileList(key, all, values, inToken, end) {
    var kind = key.spec.kind;
    if (all && kind !== 'list') {
      throw new QueryError('"all in" needs a key with several values (tags, labels, files), not "' + key.name + '"',
        key.token.pos, inToken.end - key.token.pos);
    }
    var tests = values.map(function (v) {
      var n = compileComparison(key, '=', v, inToken);
      if (n.type === 'similar') throw new QueryError('similar: takes one id', key.token.pos, end - key.token.pos);
      return n.test;
    });
    var test = all ? function (e) {
      for (var i = 0; i < tests.length; i++) if (!tests[i](e)) return false;
      return true;
    } : function (e) {
      for (var i = 0; i < tests.length; i++) if (tests[i](e)) return true;
      return false;
    };
    return node('cmp', key.token.pos, end, { test: test });
  }

  function compileRange(key, low, high, end) {
    var kind = key.spec.kind;
    var op = { value: ':', pos: low.pos, end: high.end };
    if (kind === 'geo') {
      var lat = { name: 'lat', key: 'latitude', spec: KEYS.latitude, token: key.token };
      var lon = { name: 'lon', key: 'longitude', spec: KEYS.longitude, token: key.token };
      var a = rangeTest(lat, low, high, op);
      var b = rangeTest(lon, low, high, op);
      return node('cmp', key.token.pos, end, { test: function (e) { return a(e) && b(e); } });
    }
    if (KIND_NAMES[kind] || kind === 'similar') {
      throw new QueryError('"' + key.name + '" is text and has no range; use in (a, b) for a list of values',
        key.token.pos, end - key.token.pos);
    }
    return node('cmp', key.token.pos, end, { test: rangeTest(key, low, high, op) });
  }

  /** low..high inclusive; a longitude range whose start is east of its end crosses the date line. */
  function rangeTest(key, low, high, op) {
    var from = numericTest(key, '>=', low, op);
    var to = numericTest(key, '<=', high, op);
    if (key.key === 'longitude' && number(low, 'lon') > number(high, 'lon')) {
      return function (e) { return from(e) || to(e); };
    }
    return function (e) { return from(e) && to(e); };
  }

  /**
   * type: image or video, and raw (HomeGallery: rawImage) for a camera RAW file, which is an image too
   * and has the `raw` field.
   */
  function typeTest(op, needle) {
    var isRaw = function (e) { return !!e.raw; };
    if (op === '~') return function (e) { return lower(e.type).indexOf(needle) >= 0 || (isRaw(e) && 'raw'.indexOf(needle) >= 0); };
    var test = needle === 'raw' || needle === 'rawimage' ? isRaw : function (e) { return e.type === needle; };
    return op === '=' ? test : not(test);
  }

  /** exists(key): the entry has a value (a non-empty list for tags, labels, files). */
  function existsTest(key) {
    var spec = key.spec;
    if (spec.kind === 'geo') return function (e) { return isFinite(e.lat) && isFinite(e.lon) && e.lat !== null && e.lon !== null; };
    if (spec.kind === 'part' || spec.kind === 'date') return function (e) { return typeof e.date === 'string' && e.date !== ''; };
    if (spec.kind === 'id' || spec.kind === 'type') return function (e) { return !!e[key.key]; };
    if (spec.kind === 'similar') throw new QueryError('exists(similar) is not a thing; use similar:<id>', key.token.pos, key.token.end - key.token.pos);
    var get = spec.get;
    return function (e) {
      var v = get(e);
      return Array.isArray(v) ? v.length > 0 : v !== undefined && v !== null && v !== '';
    };
  }

  // ---------------------------------------------------------------------------------------------------
  // Plain terms: substring of one lower-case text per entry, kept on the entry under a symbol (invisible
  // to JSON and Object.keys) and rebuilt when its tags list is replaced (tag editing does that)

  var TEXT = typeof Symbol === 'function' ? Symbol('hgsite.query.text') : '__hgsiteQueryText';
  var TAGS = typeof Symbol === 'function' ? Symbol('hgsite.query.tags') : '__hgsiteQueryTags';

  /** @returns {string} the lower-case text that plain terms search */
  function entryText(e) {
    var text = e[TEXT];
    return text !== undefined && e[TAGS] === e.tags ? text : buildText(e);
  }

  function buildText(e) {
    var text;
    var parts = [e.id, e.type, typeof e.date === 'string' ? e.date.slice(0, 10) : '', e.make, e.model, e.lens,
      e.description, e.country, e.state, e.city, e.road, e.place];
    ['files', 'tags', 'labels', 'people'].forEach(function (name) { if (Array.isArray(e[name])) parts = parts.concat(e[name]); });
    text = parts.filter(function (x) { return x !== undefined && x !== null && x !== ''; }).join('\n').toLowerCase();
    if (!Object.prototype.hasOwnProperty.call(e, TEXT)) {   // not enumerable: a copy of the entry starts afresh
      Object.defineProperty(e, TEXT, { value: text, writable: true, configurable: true });
      Object.defineProperty(e, TAGS, { value: e.tags, writable: true, configurable: true });
    } else {
      e[TEXT] = text;
      e[TAGS] = e.tags;
    }
    return text;
  }

  function termTest(value, corpus) {
    var needle = value.toLowerCase();
    var marks = corpus ? corpus.find(needle) : null;
    if (!marks) return function (e) { return entryText(e).indexOf(needle) >= 0; };
    return function (e, i) {
      if (corpus.entries[i] === e && corpus.tags[i] === e.tags) return marks[i] === 1;
      return entryText(e).indexOf(needle) >= 0;   // moved, or its tags were edited since
    };
  }

  // One string of every entry's text, so that a term is found by one indexOf over the whole collection
  // (a few ms for 100,000 entries) rather than one call per entry (five times as long). Kept per entries
  // array; an entry that moved or whose tags list was replaced since is tested on its own text.
  var CORPUS_FROM = 2000;   // smaller collections are searched entry by entry
  var SEPARATOR = '\u0001';   // between texts; a needle holding one is searched entry by entry
  var corpora = typeof WeakMap === 'function' ? new WeakMap() : null;

  function Corpus(entries) {
    var count = entries.length;
    var texts = new Array(count);
    var offset = 0;
    this.entries = entries.slice();
    this.tags = new Array(count);
    this.starts = new Int32Array(count + 1);
    for (var i = 0; i < count; i++) {
      texts[i] = entryText(entries[i]);
      this.tags[i] = entries[i].tags;
      this.starts[i] = offset;
      offset += texts[i].length + 1;
    }
    this.starts[count] = offset;
    this.text = texts.join(SEPARATOR);
  }

  /** @returns {Uint8Array|null} 1 for each entry whose text (as of the corpus) contains the needle */
  Corpus.prototype.find = function (needle) {
    if (needle === '' || needle.indexOf(SEPARATOR) >= 0) return null;
    var starts = this.starts;
    var marks = new Uint8Array(this.entries.length);
    var at = this.text.indexOf(needle);
    var entry = 0;
    while (at >= 0) {
      var hi = starts.length - 1;   // the entry holding `at`: the last start <= at, from the previous one on
      while (hi - entry > 1) {
        var mid = (entry + hi) >> 1;
        if (starts[mid] <= at) entry = mid; else hi = mid;
      }
      marks[entry] = 1;
      at = this.text.indexOf(needle, starts[entry + 1]);
    }
    return marks;
  };

  function corpusOf(entries) {
    if (!corpora || entries.length < CORPUS_FROM) return null;
    var corpus = corpora.get(entries);
    if (!corpus || corpus.entries.length !== entries.length) {
      corpus = new Corpus(entries);
      corpora.set(entries, corpus);
    }
    return corpus;
  }

  /** Build the term texts of entries[from..to) ahead of the first search (the page does it when idle);
   * the call that reaches the end also joins them into the corpus. */
  function warm(entries, from, to) {
    var end = to === undefined ? entries.length : Math.min(to, entries.length);
    for (var i = from || 0; i < end; i++) entryText(entries[i]);
    if (end === entries.length) corpusOf(entries);
  }

  function hasTerm(n) {
    if (n.type === 'term') return true;
    if (n.type === 'not') return hasTerm(n.item);
    return Array.isArray(n.items) && n.items.some(hasTerm);
  }

  // ---------------------------------------------------------------------------------------------------
  // Evaluation

  /** @returns {?function(Object, number): boolean} called with an entry and its index in the entries;
   * null for a part that is skipped (an unknown key) */
  function predicate(n, corpus) {
    switch (n.type) {
      case 'skip': return null;
      case 'term': return termTest(n.value, corpus);
      case 'cmp':
      case 'exists':
      case 'count': return n.test;
      case 'not': {
        var inner = predicate(n.item, corpus);
        return inner && function (e, at) { return !inner(e, at); };
      }
      case 'similar': return function () { return true; };
      default: {
        var parts = n.items.filter(function (item) { return item.type !== 'similar'; })
          .map(function (item) { return predicate(item, corpus); }).filter(function (p) { return p; });
        if (!parts.length) return n.items.some(function (item) { return item.type === 'similar'; }) ? function () { return true; } : null;
        if (parts.length === 1) return parts[0];
        if (n.type === 'or') {
          return function (e, at) { for (var i = 0; i < parts.length; i++) if (parts[i](e, at)) return true; return false; };
        }
        if (parts.length === 2) { var p = parts[0]; var q = parts[1]; return function (e, at) { return p(e, at) && q(e, at); }; }
        return function (e, at) { for (var i = 0; i < parts.length; i++) if (!parts[i](e, at)) return false; return true; };
      }
    }
  }

  /**
   * The entries that match, in the query's order.
   * @param {Array<Object>} entries  newest first (the database order)
   * @param {Query} query
   * @param {{rankers?: Object<string, function(string): (function(Object): (number|null|undefined))|null>,
   *          random?: function(): number}} [options]
   *   rankers.similar(id) returns a score function (higher is more similar; null/undefined drops an entry)
   *   or null when there is no such item.
   * @returns {{entries: Array<Object>, grouped: boolean}} grouped: in date order, so date headers make sense
   */
  function run(entries, query, options) {
    var opts = options || {};
    var where = query.where;
    var test = where ? predicate(where, hasTerm(where) ? corpusOf(entries) : null) : null;
    var result = [];
    for (var i = 0; i < entries.length; i++) if (!test || test(entries[i], i)) result.push(entries[i]);
    var scores = similarScores(query, opts.rankers || rankers);
    if (scores) result = rankBy(result, scores, !!query.order);   // an explicit order wins over similarity
    if (query.order) return { entries: sortBy(result, query.order, opts.random || Math.random), grouped: query.order.by === 'date' };
    return { entries: result, grouped: !scores };
  }

  /** Score functions of the query's similar: terms, combined by their mean; null without any. */
  function similarScores(query, available) {
    if (!query.similar.length) return null;
    var fns = query.similar.map(function (s) {
      var ranker = available.similar;
      if (typeof ranker !== 'function') {
        throw new QueryError('Similarity search is not available in this gallery', s.pos, s.end - s.pos);
      }
      var fn = ranker(s.value);
      if (typeof fn !== 'function') throw new QueryError('No item with the id "' + s.value + '" to compare with', s.pos, s.end - s.pos);
      return fn;
    });
    return function (e) {
      var sum = 0;
      for (var i = 0; i < fns.length; i++) {
        var score = fns[i](e);
        if (score === null || score === undefined || isNaN(score)) return null;
        sum += score;
      }
      return sum / fns.length;
    };
  }

  /** Entries with a score, most similar first (or in their incoming order with keepOrder). */
  function rankBy(list, score, keepOrder) {
    var ranked = [];
    for (var i = 0; i < list.length; i++) {
      var s = score(list[i]);
      if (s !== null) ranked.push({ e: list[i], s: s, i: i });
    }
    if (!keepOrder) ranked.sort(function (a, b) { return b.s - a.s || a.i - b.i; });
    return ranked.map(function (r) { return r.e; });
  }

  var ORDER_VALUES = {
    duration: field('duration'), width: field('width'), height: field('height'), filesize: field('size'),
    'count:tag': countOf('tags'), 'count:label': countOf('labels'), 'count:file': countOf('files'),
    'count:faces': countOf('faces'), 'count:person': countOf('people')
  };

  function countOf(name) { return function (e) { return Array.isArray(e[name]) ? e[name].length : 0; }; }

  /** Sort by the order clause as HomeGallery does: items without the value come last with desc and first
   * with asc, ties newest first with desc and oldest first with asc (the incoming order is newest first). */
  function sortBy(list, order, random) {
    if (order.by === 'date') return order.dir === 'asc' ? list.slice().reverse() : list;
    if (order.by === 'random') return shuffle(list.slice(), random);
    var get = ORDER_VALUES[order.by];
    var sign = order.dir === 'asc' ? 1 : -1;
    var keyed = list.map(function (e, i) {
      var raw = get(e);
      var v = raw === undefined || raw === null ? NaN : Number(raw);
      return { e: e, v: isNaN(v) ? null : v, i: i };
    });
    keyed.sort(function (a, b) {
      if (a.v === null || b.v === null) return a.v === b.v ? (a.i - b.i) * -sign : a.v === null ? -sign : sign;
      return (a.v - b.v) * sign || (a.i - b.i) * -sign;
    });
    return keyed.map(function (k) { return k.e; });
  }

  function shuffle(list, random) {
    for (var i = list.length - 1; i > 0; i--) {
      var j = Math.floor(random() * (i + 1));
      var t = list[i]; list[i] = list[j]; list[j] = t;
    }
    return list;
  }

  // ---------------------------------------------------------------------------------------------------
  // API

  /** @returns {Query} @throws {QueryError} */
  function parse(text) {
    return new Parser(String(text === undefined || text === null ? '' : text)).parseQuery();
  }

  /**
   * Strict: an unknown key is an error here (a selection made at build time must never widen because of a
   * typo); the page runs parse + run instead, which leave such a term out and report it in query.errors.
   * @param {Array<Object>} entries
   * @param {string} text
   * @param {Object} [options]  as for run
   * @returns {{entries: Array<Object>, grouped: boolean, query: Query}}
   */
  function search(entries, text, options) {
    var query = parse(text);
    if (query.errors.length) throw query.errors[0];
    var result = run(entries, query, options);
    result.query = query;
    return result;
  }

  /** A value written so that the parser reads it back as one word: quoted when it has to be. */
  function quote(value) {
    var text = String(value);
    if (text !== '' && !/[\s()[\],:=<>~"'\\]|!=/.test(text) && !KEYWORDS[text.toLowerCase()]) return text;
    return '"' + text.replace(/[\\"]/g, '\\$&') + '"';
  }

  /** Rankers the page registers (similar.js: hgsite.query.rankers.similar = function (id) {...}). */
  var rankers = {};

  var api = {
    QueryError: QueryError,
    tokenize: tokenize,
    parse: parse,
    run: run,
    search: search,
    quote: quote,
    warm: warm,
    rankers: rankers,
    keys: Object.keys(KEYS),
    aliases: ALIASES,
    suggestKey: suggestKey
  };
  hgsite.query = api;

  if (typeof module !== 'undefined' && module.exports) module.exports = api;
}(typeof window !== 'undefined' ? window : {}));
