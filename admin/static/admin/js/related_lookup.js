'use strict';

// The lookup link of a raw id input (RawIDFields), Django's
// RelatedObjectLookups.
//
// Without JavaScript the link opens the related change list, filtered by
// the field's limit_choices_to, and the key is typed by hand. With it, the
// link opens that list in a popup window named after the input; in the
// popup, a row's link (data-popup-opener holds the key) puts the key in
// the opener's input (appended after a comma for a many-to-many input),
// fires "change" there and closes the popup. An object added through the
// popup list's "Add" link comes back the same way, from
// popup_response.js as a "staffroom:related-popup" event. Loaded with
// defer on the change form and the popup change list; nothing is left on
// window.
(function () {
  const PREFIX = 'staffroom_lookup__';

  // put gives the raw id input the key: appended after a comma to the
  // keys of a many-to-many input, else in place of its value.
  function put(input, key) {
    if (input.classList.contains('vManyToManyRawIdAdminField') && input.value.trim() !== '') {
      input.value += ',' + key;
    } else {
      input.value = key;
    }
    input.dispatchEvent(new Event('change', {bubbles: true}));
    input.focus();
  }

  document.addEventListener('staffroom:related-popup', function (e) {
    const input = document.getElementById(e.detail.id);
    if (!input || input.tagName !== 'INPUT') {
      return;
    }
    let data;
    try {
      data = JSON.parse(e.detail.data);
    } catch (err) {
      return;
    }
    if (!data.action && data.value !== undefined) {
      put(input, data.value);
    }
  });

  document.addEventListener('click', function (e) {
    const link = e.target.closest('a.related-lookup');
    if (!link || !link.id.startsWith('lookup_')) {
      return;
    }
    e.preventDefault();
    const w = window.open(link.href, PREFIX + link.id.slice('lookup_'.length), 'height=500,width=800,resizable=yes,scrollbars=yes');
    if (w) {
      w.focus();
    }
  });

  if (!window.opener || !window.name.startsWith(PREFIX)) {
    return;
  }
  document.addEventListener('click', function (e) {
    const link = e.target.closest('a[data-popup-opener]');
    if (!link) {
      return;
    }
    let input;
    try {
      input = window.opener.document.getElementById(window.name.slice(PREFIX.length));
    } catch (err) {
      return; // not our opener any more: follow the link
    }
    if (!input) {
      return;
    }
    e.preventDefault();
    put(input, link.dataset.popupOpener);
    window.close();
  });
})();
