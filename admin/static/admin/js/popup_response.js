'use strict';

// The answer of a related-object popup (popup_response.html): hands the
// JSON of its data-popup-response to the opener's related_objects.js, as
// a "staffroom:related-popup" event naming the select the popup was
// opened for (the window's name), then closes the popup. A page not
// opened by related_objects.js just stays, saying it is closing.
(function () {
  const PREFIX = 'staffroom_related__';
  const script = document.getElementById('staffroom-popup-response');
  const opener = window.opener;
  if (!script || !opener || !window.name.startsWith(PREFIX)) {
    return;
  }
  try {
    const detail = {id: window.name.slice(PREFIX.length), data: script.dataset.popupResponse};
    opener.document.dispatchEvent(new opener.CustomEvent('staffroom:related-popup', {detail: detail}));
  } catch (err) {
    return; // the opener went elsewhere
  }
  window.close();
})();
