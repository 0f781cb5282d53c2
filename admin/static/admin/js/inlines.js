// inlines.js: "Add another" and "Remove" for the inline formsets of a
// change form, as Django's inlines.js does. A new row is a copy of the
// inline's empty form with "__prefix__" replaced by its index, and the
// management form's TOTAL_FORMS counts it; removing an unsaved row
// renumbers those after it. A new row is announced with a bubbling
// "formset:added" event (detail.formsetName is the prefix), as Django's
// is, for the widgets that set themselves up in it. Without JavaScript
// the page still works with the blank rows the server renders.
'use strict';
{
  const indexPattern = (prefix) =>
    new RegExp('(' + prefix.replace(/[.*+?^${}()|[\]\\]/g, '\\$&') + '-(\\d+|__prefix__))');

  // renumber gives the fields of a row the index n.
  function renumber(row, prefix, n) {
    const re = indexPattern(prefix);
    const to = prefix + '-' + n;
    const elements = [row, ...row.querySelectorAll('*')];
    for (const el of elements) {
      for (const attr of ['id', 'name', 'for', 'aria-describedby']) {
        const v = el.getAttribute(attr);
        if (v !== null && re.test(v)) {
          el.setAttribute(attr, v.replace(re, to));
        }
      }
    }
    const label = row.querySelector('.inline_label');
    if (label && !row.classList.contains('has_original')) {
      label.textContent = '#' + (n + 1);
    }
  }

  // swallowEnter stops the keypress that follows an Enter handled on
  // keydown once the handler has moved the focus: it would reach the
  // input just focused and submit the form. (Chrome drops that keypress
  // after a keydown whose default is prevented, but not every key event
  // source does.)
  function swallowEnter() {
    const stop = (e) => {
      if (e.key === 'Enter') {
        e.preventDefault();
      }
    };
    document.addEventListener('keypress', stop, true);
    document.addEventListener('keyup', () => document.removeEventListener('keypress', stop, true), {capture: true, once: true});
  }

  function setUp(group) {
    const prefix = group.dataset.prefix;
    const total = document.getElementById('id_' + prefix + '-TOTAL_FORMS');
    const initial = document.getElementById('id_' + prefix + '-INITIAL_FORMS');
    const maxNum = document.getElementById('id_' + prefix + '-MAX_NUM_FORMS');
    const template = group.querySelector('.empty-form');
    if (!total || !initial || !template) {
      return; // the user may not add
    }
    const tabular = group.dataset.inlineType === 'tabular';
    const limit = () => (maxNum && maxNum.value !== '' ? parseInt(maxNum.value, 10) : Infinity);

    const link = document.createElement('a');
    link.href = '#';
    link.textContent = group.dataset.addText;
    let addRow;
    if (tabular) {
      addRow = document.createElement('tr');
      addRow.className = 'add-row';
      const cell = document.createElement('td');
      cell.colSpan = template.children.length;
      cell.append(link);
      addRow.append(cell);
      template.after(addRow);
    } else {
      addRow = document.createElement('div');
      addRow.className = 'add-row';
      addRow.append(link);
      template.after(addRow);
    }
    const update = () => {
      addRow.hidden = parseInt(total.value, 10) >= limit();
    };

    // renumberAll keeps the unsaved rows numbered from INITIAL_FORMS.
    const renumberAll = () => {
      const first = parseInt(initial.value, 10);
      const rows = [...group.querySelectorAll('.form-row, .inline-related')].filter(
        (row) => row.id.startsWith(prefix + '-') && !row.classList.contains('has_original') && !row.classList.contains('empty-form'));
      rows.forEach((row, i) => {
        renumber(row, prefix, first + i);
        row.id = prefix + '-' + (first + i);
      });
      total.value = first + rows.length;
      update();
    };

    const focusAfterRemove = () => {
      if (!addRow.hidden) {
        link.focus();
        return;
      }
      const heading = group.querySelector('h2');
      if (heading) {
        heading.tabIndex = -1;
        heading.focus();
      }
    };

    const addRemove = (row) => {
      const remove = document.createElement('a');
      remove.href = '#';
      remove.className = 'inline-deletelink';
      remove.textContent = 'Remove';
      remove.addEventListener('click', (e) => {
        e.preventDefault();
        const errors = row.previousElementSibling;
        if (errors && errors.classList.contains('row-form-errors')) {
          errors.remove();
        }
        // The focus was on the link just removed: give it to "Add
        // another", else to the group's heading, so the keyboard stays
        // in the inline rather than going back to the page's start.
        const hadFocus = row.contains(document.activeElement);
        row.remove();
        renumberAll();
        if (hadFocus) {
          focusAfterRemove();
        }
      });
      if (tabular) {
        row.lastElementChild.append(remove);
      } else {
        const h3 = row.querySelector('h3');
        (h3 || row).append(remove);
      }
    };

    // The blank rows the server rendered may be removed too.
    group.querySelectorAll('.form-row, .inline-related').forEach((row) => {
      if (row.id.startsWith(prefix + '-') && !row.classList.contains('has_original') && !row.classList.contains('empty-form')) {
        row.classList.add('dynamic-' + prefix);
        addRemove(row);
      }
    });

    const add = () => {
      const n = parseInt(total.value, 10);
      if (n >= limit()) {
        return;
      }
      const row = template.cloneNode(true);
      row.classList.remove('empty-form', 'last-related');
      row.classList.add('dynamic-' + prefix);
      renumber(row, prefix, n);
      row.id = prefix + '-' + n;
      addRemove(row);
      template.before(row);
      total.value = n + 1;
      update();
      // Django's event: the widgets of the new row (the two-box chooser, calendar.js)
      // set themselves up on it.
      row.dispatchEvent(new CustomEvent('formset:added', {bubbles: true, detail: {formsetName: prefix}}));
      const first = row.querySelector('input:not([type=hidden]), select, textarea');
      if (first) {
        first.focus();
      }
    };
    link.addEventListener('click', (e) => {
      e.preventDefault();
      add();
    });
    // Enter is taken on keydown, where a link follows it, and the
    // keypress after it kept from the new row's input (swallowEnter).
    link.addEventListener('keydown', (e) => {
      if (e.key === 'Enter' && !e.altKey && !e.ctrlKey && !e.metaKey && !e.shiftKey) {
        e.preventDefault();
        swallowEnter();
        add();
      }
    });
    update();
  }

  document.querySelectorAll('.js-inline-admin-formset').forEach(setUp);
}
