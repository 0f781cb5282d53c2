'use strict';

// The answer of a related-object popup (popup_response.html): hands the
// JSON of its data-popup-response to the opener, as a
// "staffroom:related-popup" event naming the field the popup was opened
// for (the window's name), then closes the popup. related_objects.js
// takes it for a select, related_lookup.js for a raw id input (an object
// added from the lookup popup's "Add" link). A page not opened by either
// just stays, saying it is closing.
(function () {
  const PREFIXES = ['staffroom_related__', 'staffroom_lookup__'];
  const script = document.getElementById('staffroom-popup-response');
  const opener = window.opener;
  const prefix = PREFIXES.find(function (p) {
    return window.name.startsWith(p);
  });
  if (!script || !opener || !prefix) {
    return;
  }
  try {
    const detail = {id: window.name.slice(prefix.length), data: script.dataset.popupResponse};
    opener.document.dispatchEvent(new opener.CustomEvent('staffroom:related-popup', {detail: detail}));
  } catch (err) {
    return; // the opener went elsewhere
  }
  window.close();
})();
