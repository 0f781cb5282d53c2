'use strict';

// Folds the change list's filter sidebar (#changelist-filter) on phones.
//
// On a phone the filters sit above the results and would push them a
// screen or more down, so there they start folded: the sidebar's heading
// becomes a button (#changelist-filter-toggle, with aria-expanded and
// aria-controls) that unfolds them. On a wider screen the heading is
// plain again and the filters always show. Without JavaScript they
// always show. Loaded with defer; nothing is left on window.
(function () {
  const box = document.getElementById('changelist-filter');
  const heading = document.getElementById('changelist-filter-header');
  if (!box || !heading) {
    return;
  }
  const phone = window.matchMedia('(max-width: 767px)');

  // Everything under the heading goes into one element the button
  // controls.
  const body = document.createElement('div');
  body.id = 'changelist-filter-body';
  while (heading.nextSibling) {
    body.appendChild(heading.nextSibling);
  }
  box.appendChild(body);

  const text = document.createElement('span');
  text.textContent = heading.textContent;
  const button = document.createElement('button');
  button.type = 'button';
  button.id = 'changelist-filter-toggle';
  button.setAttribute('aria-controls', body.id);
  button.textContent = heading.textContent;
  heading.replaceChildren(text, button);

  function fold(folded) {
    body.hidden = folded;
    button.setAttribute('aria-expanded', folded ? 'false' : 'true');
  }

  function layout() {
    button.hidden = !phone.matches;
    text.hidden = phone.matches;
    fold(phone.matches);
  }

  button.addEventListener('click', () => fold(!body.hidden));
  phone.addEventListener('change', layout);
  layout();
}());
