'use strict';

// The two-box chooser of FilterHorizontal and FilterVertical, Django's
// SelectFilter2.
//
// The server renders a <select multiple class="selectfilter"> (or
// "selectfilterstacked") with data-field-name, the field's verbose name,
// and data-is-stacked. Without JavaScript it is a plain multiple select.
// This hides it and builds two boxes beside it: "Available" and "Chosen",
// each with a filter input, "Choose all" and "Remove all", arrows that
// move the options picked in one box to the other, and a double-click (or
// Enter) that moves one. The hidden select stays the form's field: its
// options' selected state is what the boxes show, so the form posts as
// it always does.
//
// A relation with more objects than a page should list comes with only
// the chosen options and the autocomplete endpoint's attributes
// (data-ajax--url, data-app-label, data-model-name, data-relation-name):
// then the "Available" box holds a page of the endpoint's results for the
// filter's text, and "More results" loads the next page.
// The choosers of an inline row added by "Add another" are built when
// inlines.js dispatches "formset:added" on the row, as Django's do.
// Loaded with defer; nothing is left on window.
(function () {
  function el(tag, cls, text) {
    const e = document.createElement(tag);
    if (cls) {
      e.className = cls;
    }
    if (text !== undefined) {
      e.textContent = text;
    }
    return e;
  }

  function button(cls, text, id) {
    const b = el('button', cls, text);
    b.type = 'button';
    b.id = id;
    return b;
  }

  // matches reports whether every word of the filter is in the text,
  // ignoring case, as SelectBox.filter does.
  function matches(text, filter) {
    const t = text.toLowerCase();
    return filter.toLowerCase().split(/\s+/).every(function (w) {
      return t.includes(w);
    });
  }

  function setup(select) {
    const id = select.id || 'selectfilter_' + select.name;
    const name = select.dataset.fieldName || select.name;
    const search = select.hasAttribute('data-ajax--url');
    const box = el('div', 'selector' + (select.dataset.isStacked === '1' ? ' stacked' : ''));

    function side(cls, title, placeholder, suffix) {
      const div = el('div', cls);
      div.appendChild(el('h2', '', title + ' ' + name));
      const p = el('p', 'selector-filter');
      const input = el('input', 'vTextField');
      input.type = 'text';
      input.id = id + '_' + suffix + '_input';
      input.placeholder = placeholder;
      input.autocomplete = 'off';
      input.setAttribute('aria-label', 'Filter ' + title.toLowerCase() + ' ' + name);
      p.appendChild(input);
      div.appendChild(p);
      const list = el('select', 'filtered');
      list.multiple = true;
      list.id = id + '_' + (suffix === 'available' ? 'from' : 'to');
      list.setAttribute('aria-label', title + ' ' + name);
      div.appendChild(list);
      return {div: div, input: input, list: list};
    }

    const from = side('selector-available', 'Available', 'Filter', 'available');
    const to = side('selector-chosen', 'Chosen', 'Filter', 'selected');
    const chooseAll = button('selector-chooseall', 'Choose all', id + '_add_all');
    const removeAll = button('selector-clearall', 'Remove all', id + '_remove_all');
    const add = button('selector-add', 'Choose', id + '_add');
    const remove = button('selector-remove', 'Remove', id + '_remove');
    add.setAttribute('aria-label', 'Choose selected ' + name);
    remove.setAttribute('aria-label', 'Remove selected ' + name);
    from.div.appendChild(chooseAll);
    to.div.appendChild(removeAll);
    const chooser = el('div', 'selector-chooser');
    chooser.appendChild(add);
    chooser.appendChild(remove);
    const status = el('p', 'help selector-status');
    status.setAttribute('role', 'status');
    status.setAttribute('aria-live', 'polite');
    const more = button('selector-more', 'More results', id + '_more');
    more.hidden = true;
    if (search) {
      from.div.appendChild(more);
    }
    box.appendChild(from.div);
    box.appendChild(chooser);
    box.appendChild(to.div);
    box.appendChild(status);

    // found are the endpoint's results for the filter, in search mode.
    let found = [];
    let page = 0;
    let seq = 0;
    let timer = 0;

    function option(value, text) {
      const o = new Option(text, value);
      o.title = text;
      return o;
    }

    function draw() {
      const keepFrom = new Set(Array.from(from.list.selectedOptions, function (o) {
        return o.value;
      }));
      const keepTo = new Set(Array.from(to.list.selectedOptions, function (o) {
        return o.value;
      }));
      from.list.textContent = '';
      to.list.textContent = '';
      const chosen = new Set();
      Array.from(select.options).forEach(function (o) {
        if (o.selected) {
          chosen.add(o.value);
          if (matches(o.text, to.input.value)) {
            to.list.appendChild(option(o.value, o.text)).selected = keepTo.has(o.value);
          }
        } else if (!search && matches(o.text, from.input.value)) {
          from.list.appendChild(option(o.value, o.text)).selected = keepFrom.has(o.value);
        }
      });
      if (search) {
        found.forEach(function (r) {
          if (!chosen.has(r.id)) {
            from.list.appendChild(option(r.id, r.text)).selected = keepFrom.has(r.id);
          }
        });
      }
      buttons();
    }

    // buttons enables the buttons that have something to move. (Picking
    // options only calls this: rebuilding the boxes under the mouse would
    // lose a double-click.)
    function buttons() {
      chooseAll.disabled = from.list.options.length === 0;
      removeAll.disabled = to.list.options.length === 0;
      add.disabled = from.list.selectedOptions.length === 0;
      remove.disabled = to.list.selectedOptions.length === 0;
    }

    // move sets the hidden select's options of the given values chosen or
    // not, adding those the endpoint found, and redraws.
    function move(options, chosen) {
      Array.from(options).forEach(function (o) {
        let orig = Array.from(select.options).find(function (x) {
          return x.value === o.value;
        });
        if (!orig && chosen) {
          orig = select.appendChild(new Option(o.text, o.value));
        }
        if (orig) {
          orig.selected = chosen;
        }
      });
      from.list.selectedIndex = -1;
      to.list.selectedIndex = -1;
      draw();
      select.dispatchEvent(new Event('change', {bubbles: true}));
    }

    function load(nextPage) {
      const mine = ++seq;
      const url = new URL(select.getAttribute('data-ajax--url'), window.location.href);
      url.searchParams.set('term', from.input.value);
      url.searchParams.set('app_label', select.dataset.appLabel);
      url.searchParams.set('model_name', select.dataset.modelName);
      url.searchParams.set('field_name', select.dataset.relationName);
      url.searchParams.set('page', String(nextPage));
      status.textContent = 'Searching…';
      fetch(url, {credentials: 'same-origin', headers: {Accept: 'application/json'}}).then(function (r) {
        if (!r.ok) {
          throw new Error(String(r.status));
        }
        return r.json();
      }).then(function (res) {
        if (mine !== seq) {
          return; // a later search is under way
        }
        found = nextPage === 1 ? res.results : found.concat(res.results);
        page = nextPage;
        more.hidden = !res.pagination.more;
        status.textContent = found.length === 0 ? 'No results found' : found.length + (res.pagination.more ? '+' : '') + ' found';
        draw();
      }).catch(function () {
        if (mine === seq) {
          status.textContent = 'The results could not be loaded.';
        }
      });
    }

    from.input.addEventListener('input', function () {
      if (search) {
        clearTimeout(timer);
        timer = setTimeout(function () {
          load(1);
        }, 250);
      } else {
        draw();
      }
    });
    to.input.addEventListener('input', draw);
    [from.input, to.input].forEach(function (input) {
      input.addEventListener('keydown', function (e) {
        if (e.key === 'Enter') {
          e.preventDefault(); // filtering, not submitting the form
        }
      });
    });
    from.list.addEventListener('change', buttons);
    to.list.addEventListener('change', buttons);
    from.list.addEventListener('dblclick', function () {
      move(from.list.selectedOptions, true);
    });
    to.list.addEventListener('dblclick', function () {
      move(to.list.selectedOptions, false);
    });
    from.list.addEventListener('keydown', function (e) {
      if (e.key === 'Enter') {
        e.preventDefault();
        move(from.list.selectedOptions, true);
      }
    });
    to.list.addEventListener('keydown', function (e) {
      if (e.key === 'Enter') {
        e.preventDefault();
        move(to.list.selectedOptions, false);
      }
    });
    add.addEventListener('click', function () {
      move(from.list.selectedOptions, true);
    });
    remove.addEventListener('click', function () {
      move(to.list.selectedOptions, false);
    });
    chooseAll.addEventListener('click', function () {
      move(from.list.options, true);
    });
    removeAll.addEventListener('click', function () {
      move(to.list.options, false);
    });
    more.addEventListener('click', function () {
      load(page + 1);
    });

    const label = select.id ? document.querySelector('label[for="' + select.id + '"]') : null;
    if (label) {
      label.htmlFor = from.input.id;
    }
    select.hidden = true;
    select.classList.add('selectfilter-hidden');
    select.insertAdjacentElement('afterend', box);
    // An object added by the "+" popup arrives as a chosen option of the
    // select (related_objects.js), announced by a change event.
    select.addEventListener('change', draw);
    draw();
    if (search) {
      load(1);
    }
  }

  // setupIn builds the choosers under root, but not in an inline's empty
  // form: "Add another" copies that one, and the copy gets its own
  // chooser when inlines.js announces it with "formset:added".
  function setupIn(root) {
    root.querySelectorAll('select.selectfilter, select.selectfilterstacked').forEach(function (select) {
      if (!select.dataset.selectfilterReady && !select.closest('.empty-form') && !select.name.includes('__prefix__')) {
        select.dataset.selectfilterReady = '1';
        setup(select);
      }
    });
  }

  document.addEventListener('formset:added', function (e) {
    setupIn(e.target);
  });
  setupIn(document);
})();
