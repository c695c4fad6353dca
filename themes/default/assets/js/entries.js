/*
 * hgsite entries: the database's entries checked, their names, aspect ratios, and the URLs of their
 * previews and web videos (docs/database.md), and the choice of the preview that covers a size.
 * Needs errors.js and format.js first. Pure apart from the preview tags checkDatabase keeps.
 */
(function (root) {
  'use strict';

  // in node (tests) there is no window: the namespace comes with the files this one needs
  var hgsite = root.hgsite || (typeof module !== 'undefined' && module.exports ? require('./format.js') : (root.hgsite = {}));
  var DataError = hgsite.DataError;
  var formatDate = hgsite.formatDate;

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

  hgsite.checkDatabase = checkDatabase;
  hgsite.baseName = baseName;
  hgsite.entryName = entryName;
  hgsite.aspectRatio = aspectRatio;
  hgsite.previewList = previewList;
  hgsite.previewUrl = previewUrl;
  hgsite.setPreviewTags = setPreviewTags;
  hgsite.setVideoTags = setVideoTags;
  hgsite.videoUrl = videoUrl;
  hgsite.pickPreview = pickPreview;
  hgsite.coverEdge = coverEdge;
  hgsite.containSize = containSize;

  if (typeof module !== 'undefined' && module.exports) module.exports = hgsite;
}(typeof window !== 'undefined' ? window : {}));
