'use strict';

// Prepopulated fields: a slug filled in from other fields as they are
// typed, Django's prepopulate.js and urlify.js.
//
// The admin marks such a field, on add pages only, with the ids of its
// source inputs (data-dependency_ids, a JSON list), its length
// (data-maxlength) and whether Unicode letters stay (data-allow-unicode).
// Every input or change in a source sets the field to the sources'
// values, joined by a space and made a slug. The field is left alone once
// the user changes it, and when it already held a value as the page
// loaded, so a slug is never rewritten after the first save. Loaded with
// defer; nothing is left on window.
(function () {
  // urlify is Django's URLify: accents dropped (unless Unicode is
  // allowed), lower case, characters other than letters, digits, '_', '-'
  // and spaces dropped, trimmed, runs of spaces and hyphens made one
  // hyphen, cut to maxLength, trailing hyphens removed.
  function urlify(s, maxLength, allowUnicode) {
    if (!allowUnicode) {
      s = s.normalize('NFKD').replace(/[\u0300-\u036f]/g, '');
    }
    s = s.toLowerCase();
    if (allowUnicode) {
      s = s.replace(/[^-_\p{L}\p{N}\s]/gu, '');
    } else {
      s = s.replace(/[^-\w\s]/g, '');
    }
    s = s.trim().replace(/[-\s]+/g, '-');
    return s.substring(0, maxLength).replace(/-+$/g, '');
  }

  function prepopulate(field) {
    let ids;
    try {
      ids = JSON.parse(field.dataset.dependency_ids);
    } catch (e) {
      return;
    }
    const sources = ids.map((id) => document.getElementById(id.replace(/^#/, ''))).filter(Boolean);
    if (sources.length === 0 || field.value !== '') {
      return;
    }
    const maxLength = parseInt(field.dataset.maxlength, 10) || 50;
    const allowUnicode = field.dataset.allowUnicode === 'true';
    let changed = false;
    for (const type of ['input', 'change']) {
      field.addEventListener(type, () => { changed = true; });
    }
    const populate = () => {
      if (changed) {
        return;
      }
      const values = sources.map((s) => s.value).filter((v) => v.length > 0);
      field.value = urlify(values.join(' '), maxLength, allowUnicode);
    };
    for (const s of sources) {
      for (const type of ['input', 'keyup', 'change', 'focus']) {
        s.addEventListener(type, populate);
      }
    }
  }

  document.querySelectorAll('[data-dependency_ids]').forEach(prepopulate);
})();
