'use strict';

// Autocomplete for the selects of AutocompleteFields (and of relations
// with too many objects to list).
//
// The server renders a <select class="admin-autocomplete"> holding only
// the chosen objects, with the data attributes of Django's
// AutocompleteSelect. Without JavaScript the form still posts the chosen
// value. This hides the select and puts a combobox (WAI-ARIA 1.2: an input
// with a listbox popup) in its place: typing asks the site's
// autocomplete/ endpoint for the first page of matches, scrolling to the
// end of the list (or choosing "More results") loads the next one, and
// choosing an option sets the select's value (adds it, for a multiple
// select), firing "change". Loaded with defer; nothing is left on window.
(function () {
  let counter = 0;

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

  function setup(select) {
    const multiple = select.multiple;
    const data = select.dataset;
    const delay = parseInt(select.getAttribute('data-ajax--delay'), 10) || 250;
    const n = ++counter;
    const box = el('div', 'autocomplete');
    const input = el('input', 'autocomplete-input vTextField');
    const list = el('ul', 'autocomplete-listbox');
    const status = el('span', 'visually-hidden');
    const chosen = el('ul', 'autocomplete-chosen');
    input.type = 'text';
    input.id = (select.id || 'autocomplete' + n) + '_autocomplete';
    input.autocomplete = 'off';
    input.setAttribute('role', 'combobox');
    input.setAttribute('aria-autocomplete', 'list');
    input.setAttribute('aria-expanded', 'false');
    list.id = input.id + '_listbox';
    list.setAttribute('role', 'listbox');
    list.hidden = true;
    input.setAttribute('aria-controls', list.id);
    status.setAttribute('role', 'status');
    status.setAttribute('aria-live', 'polite');
    const label = select.id ? document.querySelector('label[for="' + select.id + '"]') : null;
    if (label) {
      label.htmlFor = input.id;
      list.setAttribute('aria-label', label.textContent.replace(/:\s*$/, ''));
    }
    if (select.getAttribute('aria-describedby')) {
      input.setAttribute('aria-describedby', select.getAttribute('aria-describedby'));
    }
    if (select.getAttribute('aria-invalid')) {
      input.setAttribute('aria-invalid', select.getAttribute('aria-invalid'));
    }

    let term = '';
    let page = 0;
    let more = false;
    let active = -1;
    let seq = 0;
    let timer = 0;

    function options() {
      return Array.from(list.querySelectorAll('[role="option"]'));
    }

    function setActive(i) {
      const opts = options();
      opts.forEach(function (o, j) {
        o.setAttribute('aria-selected', String(j === i));
      });
      active = i;
      if (i >= 0 && opts[i]) {
        input.setAttribute('aria-activedescendant', opts[i].id);
        opts[i].scrollIntoView({block: 'nearest'});
      } else {
        input.removeAttribute('aria-activedescendant');
      }
    }

    function open() {
      list.hidden = false;
      input.setAttribute('aria-expanded', 'true');
    }

    function close() {
      list.hidden = true;
      input.setAttribute('aria-expanded', 'false');
      setActive(-1);
    }

    function selectedText() {
      const o = select.selectedOptions[0];
      return o && o.value !== '' ? o.text : '';
    }

    function drawChosen() {
      chosen.textContent = '';
      Array.from(select.selectedOptions).forEach(function (o) {
        if (o.value === '') {
          return;
        }
        const li = el('li', 'autocomplete-chosen-item', o.text + ' ');
        const remove = el('button', 'autocomplete-remove', '×');
        remove.type = 'button';
        remove.setAttribute('aria-label', 'Remove ' + o.text);
        remove.addEventListener('click', function () {
          o.selected = false;
          o.remove();
          drawChosen();
          select.dispatchEvent(new Event('change', {bubbles: true}));
          input.focus();
        });
        li.appendChild(remove);
        chosen.appendChild(li);
      });
    }

    function choose(id, text) {
      let opt = Array.from(select.options).find(function (o) {
        return o.value === id;
      });
      if (!opt) {
        opt = new Option(text, id);
        select.appendChild(opt);
      }
      if (multiple) {
        opt.selected = true;
        input.value = '';
        drawChosen();
      } else {
        select.value = id;
        input.value = text;
      }
      close();
      select.dispatchEvent(new Event('change', {bubbles: true}));
    }

    function addMoreItem() {
      const li = el('li', 'autocomplete-more', 'More results…');
      li.id = list.id + '_more';
      li.setAttribute('role', 'option');
      li.dataset.more = '1';
      list.appendChild(li);
    }

    function load(nextPage) {
      const mine = ++seq;
      const url = new URL(select.getAttribute('data-ajax--url'), window.location.href);
      url.searchParams.set('term', term);
      url.searchParams.set('app_label', data.appLabel);
      url.searchParams.set('model_name', data.modelName);
      url.searchParams.set('field_name', data.fieldName);
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
        const keep = active;
        const moreItem = list.querySelector('[data-more]');
        if (moreItem) {
          moreItem.remove();
        }
        if (nextPage === 1) {
          list.textContent = '';
        }
        res.results.forEach(function (item, i) {
          const li = el('li', 'autocomplete-option', item.text);
          li.id = list.id + '_' + nextPage + '_' + i;
          li.setAttribute('role', 'option');
          li.setAttribute('aria-selected', 'false');
          li.dataset.value = item.id;
          list.appendChild(li);
        });
        page = nextPage;
        more = res.pagination.more;
        if (more) {
          addMoreItem();
        }
        const count = options().filter(function (o) {
          return !o.dataset.more;
        }).length;
        if (count === 0) {
          list.appendChild(el('li', 'autocomplete-empty', 'No results found'));
        }
        status.textContent = count === 0 ? 'No results found' : count + (more ? '+' : '') + ' results';
        open();
        setActive(nextPage === 1 ? -1 : keep);
      }).catch(function () {
        if (mine === seq) {
          status.textContent = 'The results could not be loaded.';
          list.textContent = '';
          list.appendChild(el('li', 'autocomplete-empty', 'The results could not be loaded.'));
          open();
        }
      });
    }

    function search() {
      term = input.value;
      if (!multiple && term === selectedText()) {
        term = '';
      }
      load(1);
    }

    function activate(li) {
      if (!li) {
        return;
      }
      if (li.dataset.more) {
        load(page + 1);
        return;
      }
      choose(li.dataset.value, li.textContent);
    }

    input.addEventListener('input', function () {
      clearTimeout(timer);
      if (!multiple && input.value === '' && data.allowClear === 'true' && select.value !== '') {
        select.value = '';
        select.dispatchEvent(new Event('change', {bubbles: true}));
      }
      timer = setTimeout(search, delay);
    });
    input.addEventListener('keydown', function (e) {
      const opts = options();
      switch (e.key) {
      case 'ArrowDown':
        e.preventDefault();
        if (list.hidden) {
          search();
        } else if (active === opts.length - 1 && more) {
          load(page + 1);
        } else {
          setActive(Math.min(active + 1, opts.length - 1));
        }
        break;
      case 'ArrowUp':
        e.preventDefault();
        setActive(Math.max(active - 1, 0));
        break;
      case 'Enter':
        if (!list.hidden) {
          e.preventDefault(); // choosing, not submitting the form
          activate(opts[active]);
        }
        break;
      case 'Escape':
        if (!list.hidden) {
          e.preventDefault();
          close();
          if (!multiple) {
            input.value = selectedText();
          }
        }
        break;
      }
    });
    input.addEventListener('focus', function () {
      if (!multiple) {
        input.select();
      }
    });
    input.addEventListener('blur', function () {
      setTimeout(function () {
        if (document.activeElement !== input) {
          close();
          if (!multiple && input.value !== '') {
            input.value = selectedText();
          }
        }
      }, 150);
    });
    list.addEventListener('mousedown', function (e) {
      e.preventDefault(); // keep the focus in the input
    });
    list.addEventListener('click', function (e) {
      activate(e.target.closest('[role="option"]'));
    });
    list.addEventListener('scroll', function () {
      if (more && list.scrollTop + list.clientHeight >= list.scrollHeight - 4) {
        more = false; // one request at a time
        load(page + 1);
      }
    });

    // The select changed from elsewhere (related_objects.js adding or
    // renaming an object from its popup): show its choice.
    select.addEventListener('change', function () {
      if (multiple) {
        drawChosen();
      } else {
        input.value = selectedText();
      }
    });
    if (multiple) {
      box.appendChild(chosen);
      drawChosen();
    } else {
      input.value = selectedText();
    }
    box.appendChild(input);
    box.appendChild(list);
    box.appendChild(status);
    select.hidden = true;
    select.classList.add('autocomplete-hidden');
    select.insertAdjacentElement('afterend', box);
  }

  function init(root) {
    root.querySelectorAll('select.admin-autocomplete').forEach(function (select) {
      if (!select.name.includes('__prefix__') && !select.dataset.autocompleteReady) {
        select.dataset.autocompleteReady = '1';
        setup(select);
      }
    });
  }

  init(document);
  // Inline rows added on the page bring their own selects.
  new MutationObserver(function (records) {
    records.forEach(function (rec) {
      rec.addedNodes.forEach(function (node) {
        if (node.nodeType === Node.ELEMENT_NODE) {
          init(node.parentNode || node);
        }
      });
    });
  }).observe(document.body, {childList: true, subtree: true});
})();
