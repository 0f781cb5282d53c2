'use strict';

// Keyboard shortcuts. On a change list: j and k move to the next and
// previous row (the row's first control takes the focus), x selects or
// unselects the row for an action, Enter or o opens it. On a change form:
// Ctrl-S (Cmd-S) saves and keeps editing ("Save and continue editing", or
// "Save" where there is none). "?" (or Ctrl-/, also when single keys are
// off) shows them all, in a dialog whose switch turns the single-key ones
// off (WCAG 2.1.4), remembered per browser. Single keys never act while typing in a field or with a
// modifier held, so they do not take a browser's or a screen reader's
// keys.
(function () {
  const KEY = 'staffroom.shortcuts';
  let help = null;

  function singleKeysOn() {
    try {
      return window.localStorage.getItem(KEY) !== 'off';
    } catch (err) {
      return true;
    }
  }

  function setSingleKeys(on) {
    try {
      window.localStorage.setItem(KEY, on ? 'on' : 'off');
    } catch (err) {
      // Not remembered; nothing else to do.
    }
  }

  function typing(target) {
    if (!target || !target.tagName) {
      return false;
    }
    const tag = target.tagName.toLowerCase();
    if (tag === 'textarea' || tag === 'select' || target.isContentEditable) {
      return true;
    }
    if (tag !== 'input') {
      return false;
    }
    return !['checkbox', 'radio', 'button', 'submit', 'reset'].includes((target.type || '').toLowerCase());
  }

  // The change list's rows, and the one the focus is in.
  function rows() {
    return Array.from(document.querySelectorAll('#result_list tbody tr'));
  }

  function currentRow() {
    const el = document.activeElement;
    return el && el.closest ? el.closest('#result_list tbody tr') : null;
  }

  function focusRow(row) {
    for (const r of rows()) {
      r.classList.toggle('kbd-current', r === row);
    }
    const target = row.querySelector('input.action-select, a, input, select, textarea');
    if (target) {
      target.focus();
    }
    row.scrollIntoView({block: 'nearest'});
  }

  function move(step) {
    const all = rows();
    if (all.length === 0) {
      return false;
    }
    const at = all.indexOf(currentRow());
    const next = at < 0 ? (step > 0 ? 0 : all.length - 1) : Math.min(Math.max(at + step, 0), all.length - 1);
    focusRow(all[next]);
    return true;
  }

  function toggleRow() {
    const row = currentRow();
    const box = row && row.querySelector('input.action-select');
    if (!box) {
      return false;
    }
    box.click(); // as a click, so the action bar's counter follows
    box.focus();
    return true;
  }

  function openRow() {
    const row = currentRow();
    const link = row && row.querySelector('th a, td a');
    if (!link) {
      return false;
    }
    window.location.assign(link.href);
    return true;
  }

  function save() {
    const button = document.querySelector('.submit-row input[name="_continue"]') ||
      document.querySelector('.submit-row input[name="_save"]');
    if (!button) {
      return false;
    }
    button.click();
    return true;
  }

  function buildHelp() {
    help = document.createElement('dialog');
    help.id = 'shortcuts-help';
    help.className = 'shortcuts-help';
    help.setAttribute('aria-labelledby', 'shortcuts-title');
    const rowsHTML = [
      ['Ctrl K / ⌘ K', 'Go to a model or object'],
      ['Ctrl S / ⌘ S', 'Save and continue editing'],
      ['j / k', 'Next / previous row of a change list'],
      ['x', 'Select the row for an action'],
      ['Enter or o', 'Open the row'],
      ['? or Ctrl /', 'Show these shortcuts'],
    ];
    const title = document.createElement('h2');
    title.id = 'shortcuts-title';
    title.textContent = 'Keyboard shortcuts';
    const table = document.createElement('table');
    const body = document.createElement('tbody');
    for (const [keys, what] of rowsHTML) {
      const tr = document.createElement('tr');
      const th = document.createElement('th');
      th.scope = 'row';
      th.textContent = keys;
      const td = document.createElement('td');
      td.textContent = what;
      tr.append(th, td);
      body.append(tr);
    }
    table.append(body);
    const label = document.createElement('label');
    const box = document.createElement('input');
    box.type = 'checkbox';
    box.id = 'shortcuts-single';
    box.checked = singleKeysOn();
    box.addEventListener('change', () => setSingleKeys(box.checked));
    label.append(box, ' Single-key shortcuts (j, k, x, o, ?)');
    const close = document.createElement('button');
    close.type = 'button';
    close.className = 'button';
    close.textContent = 'Close';
    close.addEventListener('click', () => help.close());
    help.append(title, table, label, close);
    document.body.append(help);
  }

  function showHelp() {
    if (!help) {
      buildHelp();
    }
    if (!help.open) {
      const back = document.activeElement;
      // The close event comes a task after the dialog closed; by then
      // the browser may have put the focus back and a key moved it on,
      // which must not be undone.
      help.addEventListener('close', () => {
        const lost = document.activeElement === null || document.activeElement === document.body ||
          help.contains(document.activeElement);
        if (back && document.contains(back) && lost) {
          back.focus();
        }
      }, {once: true});
      help.showModal();
    }
    return true;
  }

  document.addEventListener('keydown', (e) => {
    if (e.defaultPrevented) {
      return;
    }
    if ((e.ctrlKey || e.metaKey) && !e.altKey && !e.shiftKey && e.key.toLowerCase() === 's') {
      if (save()) {
        e.preventDefault();
      }
      return;
    }
    if ((e.ctrlKey || e.metaKey) && !e.altKey && e.key === '/') {
      // The help, with the switch back on, even with single keys off.
      e.preventDefault();
      showHelp();
      return;
    }
    if (e.ctrlKey || e.metaKey || e.altKey || typing(e.target) || !singleKeysOn()) {
      return;
    }
    if (document.querySelector('dialog[open]') && e.key !== '?') {
      return;
    }
    let done = false;
    switch (e.key) {
      case 'j':
        done = move(1);
        break;
      case 'k':
        done = move(-1);
        break;
      case 'x':
        done = toggleRow();
        break;
      case 'o':
        done = openRow();
        break;
      case 'Enter':
        // Only on a row's checkbox, where Enter does nothing of its own.
        done = e.target.matches && e.target.matches('#result_list input.action-select') && openRow();
        break;
      case '?':
        done = showHelp();
        break;
    }
    if (done) {
      e.preventDefault();
    }
  });
  // Enter in a row's checkbox opens the row (above) and must not also
  // submit the change list's form, which a keypress would.
  document.addEventListener('keypress', (e) => {
    if (e.key === 'Enter' && singleKeysOn() && e.target.matches && e.target.matches('#result_list input.action-select')) {
      e.preventDefault();
    }
  });
})();
