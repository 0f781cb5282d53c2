'use strict';

// The command palette: Ctrl-K (Cmd-K on a Mac), or the header's search
// button, opens a dialog whose combobox jumps to any model the user may
// see, to their recent objects, and to the objects the registered admins'
// searches find (GET <admin root>palette/?term=, permission-checked by the
// server). Arrow keys move through the options, Enter opens one, Escape
// closes the dialog and gives the focus back to where it was.
(function () {
  const root = document.body.dataset.adminRoot;
  const toggles = document.querySelectorAll('button.palette-toggle');
  if (!root || toggles.length === 0) {
    return; // the login page and other pages without a user
  }
  let dialog = null;
  let input = null;
  let list = null;
  let status = null;
  let options = [];
  let active = -1;
  let returnFocus = null;
  let timer = 0;
  let inFlight = null;

  function el(tag, attrs, text) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      node.setAttribute(k, v);
    }
    if (text) {
      node.textContent = text;
    }
    return node;
  }

  function build() {
    dialog = el('dialog', {id: 'palette', class: 'palette', 'aria-labelledby': 'palette-title'});
    const title = el('h2', {id: 'palette-title', class: 'visually-hidden'}, 'Go to');
    const label = el('label', {for: 'palette-input', class: 'visually-hidden'}, 'Search models and objects');
    input = el('input', {
      id: 'palette-input', type: 'search', role: 'combobox', autocomplete: 'off', spellcheck: 'false',
      'aria-expanded': 'false', 'aria-controls': 'palette-list', 'aria-autocomplete': 'list',
      placeholder: 'Go to a model or search objects…',
    });
    list = el('ul', {id: 'palette-list', role: 'listbox', 'aria-label': 'Results'});
    status = el('p', {class: 'palette-status', role: 'status', 'aria-live': 'polite'});
    const hint = el('p', {class: 'palette-hint'}, '↑ ↓ to move, Enter to open, Esc to close');
    dialog.append(title, label, input, status, list, hint);
    document.body.append(dialog);
    input.addEventListener('input', () => {
      window.clearTimeout(timer);
      timer = window.setTimeout(() => load(input.value.trim()), 200);
    });
    input.addEventListener('keydown', onKey);
    dialog.addEventListener('close', () => {
      if (inFlight) {
        inFlight.abort();
      }
      if (returnFocus && document.contains(returnFocus)) {
        returnFocus.focus();
      }
    });
    dialog.addEventListener('click', (e) => {
      if (e.target === dialog) {
        dialog.close(); // a click on the backdrop
      }
    });
  }

  function open() {
    if (!dialog) {
      build();
    }
    if (dialog.open) {
      input.select();
      return;
    }
    returnFocus = document.activeElement;
    input.value = '';
    render(null);
    dialog.showModal();
    input.focus();
    load('');
  }

  function load(term) {
    if (inFlight) {
      inFlight.abort();
    }
    const ctrl = new AbortController();
    inFlight = ctrl;
    status.textContent = 'Searching…';
    fetch(root + 'palette/?term=' + encodeURIComponent(term), {
      credentials: 'same-origin', headers: {Accept: 'application/json'}, signal: ctrl.signal,
    }).then((resp) => {
      if (!resp.ok) {
        throw new Error('status ' + resp.status);
      }
      return resp.json();
    }).then((data) => {
      if (inFlight === ctrl) {
        inFlight = null;
        render(data);
      }
    }).catch((err) => {
      if (err.name !== 'AbortError') {
        status.textContent = 'The search failed; try again.';
      }
    });
  }

  // render lists the answer's models, recent objects and found objects,
  // each group under a heading that is not an option.
  function render(data) {
    list.replaceChildren();
    options = [];
    active = -1;
    input.setAttribute('aria-activedescendant', '');
    if (!data) {
      status.textContent = '';
      return;
    }
    const group = (name, items, make) => {
      if (items.length === 0) {
        return;
      }
      list.append(el('li', {role: 'presentation', class: 'palette-group'}, name));
      for (const item of items) {
        for (const [text, url, detail] of make(item)) {
          const li = el('li', {role: 'option', id: 'palette-option-' + options.length, 'aria-selected': 'false'});
          li.append(el('span', {class: 'palette-text'}, text));
          if (detail) {
            li.append(el('span', {class: 'palette-detail'}, detail));
          }
          li.dataset.url = url;
          li.addEventListener('click', () => go(li));
          li.addEventListener('mousemove', () => select(options.indexOf(li)));
          list.append(li);
          options.push(li);
        }
      }
    };
    group('Models', data.models, (m) => {
      const out = [];
      if (m.url) {
        out.push([m.name, m.url, m.app]);
      }
      if (m.add_url) {
        out.push(['Add ' + m.name.toLowerCase(), m.add_url, m.app]);
      }
      return out;
    });
    group('Recent', data.recent, (o) => [[o.text, o.url, o.type]]);
    group('Objects', data.objects, (o) => [[o.text, o.url, o.type]]);
    input.setAttribute('aria-expanded', options.length > 0 ? 'true' : 'false');
    const n = options.length;
    status.textContent = n === 0 ? 'Nothing found.' : n + (n === 1 ? ' result' : ' results') + (data.more ? ', and more: type more to narrow them.' : '.');
    if (n > 0) {
      select(0);
    }
  }

  function select(i) {
    if (i < 0 || i >= options.length) {
      return;
    }
    if (active >= 0 && options[active]) {
      options[active].setAttribute('aria-selected', 'false');
    }
    active = i;
    options[i].setAttribute('aria-selected', 'true');
    input.setAttribute('aria-activedescendant', options[i].id);
    options[i].scrollIntoView({block: 'nearest'});
  }

  function go(li) {
    window.location.assign(li.dataset.url);
  }

  function onKey(e) {
    switch (e.key) {
      case 'ArrowDown':
        e.preventDefault();
        select(Math.min(active + 1, options.length - 1));
        break;
      case 'ArrowUp':
        e.preventDefault();
        select(Math.max(active - 1, 0));
        break;
      case 'Home':
      case 'End':
        if (options.length > 0 && e.ctrlKey) {
          e.preventDefault();
          select(e.key === 'Home' ? 0 : options.length - 1);
        }
        break;
      case 'Enter':
        e.preventDefault();
        if (active >= 0) {
          go(options[active]);
        }
        break;
      case 'Escape':
        // A search input's Escape would only clear the term, so a
        // second one were needed: one closes the dialog.
        e.preventDefault();
        dialog.close();
        break;
    }
  }

  for (const button of toggles) {
    button.addEventListener('click', open);
  }
  document.addEventListener('keydown', (e) => {
    if ((e.ctrlKey || e.metaKey) && !e.altKey && !e.shiftKey && e.key.toLowerCase() === 'k') {
      e.preventDefault();
      open();
    }
  });
})();
