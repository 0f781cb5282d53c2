'use strict';

// Change list actions for the Staffroom admin, after Django's actions.js.
//
// Without JavaScript the page already works: tick rows, choose an action,
// press Go. This adds the select-all box (#action-toggle), shift-click
// ranges of .action-select boxes, the live "N of M selected" counter
// (.action-counter), "Select all N" (.question) and "Clear selection"
// (.clear) for select_across, a warning before running an action over
// unsaved list_editable changes, and one before saving them with an
// action chosen. Loaded with defer; nothing is left on window.
(function () {
  const form = document.getElementById('changelist-form');
  if (!form) {
    return;
  }
  const boxes = Array.from(form.querySelectorAll('input.action-select'));
  const toggle = document.getElementById('action-toggle');
  const bars = Array.from(form.querySelectorAll('.actions'));
  const all = (selector) => Array.from(form.querySelectorAll(selector));
  const show = (selector, on) => all(selector).forEach((el) => el.classList.toggle('hidden', !on));
  let lastChecked = null;
  let editsPending = false;

  function markRow(box) {
    const row = box.closest('tr');
    if (row) {
      row.classList.toggle('selected', box.checked);
    }
  }

  function setAcross(value) {
    all('input.select-across').forEach((input) => { input.value = value; });
  }

  function reset() {
    show('.actions .clear', false);
    show('.actions .question', false);
    show('.actions .all', false);
    show('.actions .action-counter', true);
  }

  function showQuestion() {
    show('.actions .clear', false);
    show('.actions .question', true);
    show('.actions .all', false);
  }

  function showClear() {
    show('.actions .clear', true);
    show('.actions .question', false);
    show('.actions .all', true);
    show('.actions .action-counter', false);
    bars.forEach((bar) => bar.classList.remove('selected'));
  }

  function clearAcross() {
    reset();
    setAcross('0');
    bars.forEach((bar) => bar.classList.remove('selected'));
  }

  function updateCounter() {
    const selected = boxes.filter((box) => box.checked).length;
    all('.actions .action-counter').forEach((counter) => {
      counter.textContent = selected + ' of ' + counter.dataset.actionsIcnt + ' selected';
    });
    bars.forEach((bar) => bar.classList.toggle('selected', selected > 0));
    if (toggle) {
      toggle.checked = boxes.length > 0 && selected === boxes.length;
      if (toggle.checked) {
        showQuestion();
      } else {
        clearAcross();
      }
    }
  }

  function checkAll(checked) {
    boxes.forEach((box) => {
      box.checked = checked;
      markRow(box);
    });
  }

  // checkRange ticks or unticks every box between the last one clicked
  // and box, as a shift-click does.
  function checkRange(box) {
    const from = boxes.indexOf(lastChecked);
    const to = boxes.indexOf(box);
    if (from < 0 || to < 0) {
      return;
    }
    for (let i = Math.min(from, to); i <= Math.max(from, to); i++) {
      boxes[i].checked = box.checked;
      markRow(boxes[i]);
    }
  }

  if (toggle) {
    toggle.addEventListener('click', () => {
      checkAll(toggle.checked);
      updateCounter();
    });
  }

  boxes.forEach((box) => {
    box.addEventListener('click', (event) => {
      if (event.shiftKey && lastChecked && lastChecked !== box) {
        checkRange(box);
      }
      markRow(box);
      lastChecked = box;
      updateCounter();
    });
  });

  all('.actions .question a').forEach((link) => {
    link.addEventListener('click', (event) => {
      event.preventDefault();
      setAcross('1');
      showClear();
    });
  });

  all('.actions .clear a').forEach((link) => {
    link.addEventListener('click', (event) => {
      event.preventDefault();
      checkAll(false);
      if (toggle) {
        toggle.checked = false;
      }
      clearAcross();
      updateCounter();
    });
  });

  // A list_editable field changed: running an action would lose it.
  form.addEventListener('change', (event) => {
    const target = event.target;
    if (target.closest('#result_list') && !target.classList.contains('action-select') && target !== toggle) {
      editsPending = true;
    }
  });

  all('button[name="index"]').forEach((button) => {
    button.addEventListener('click', (event) => {
      if (editsPending && !window.confirm('You have unsaved changes on individual editable fields. If you run an action, your unsaved changes will be lost.')) {
        event.preventDefault();
      }
    });
  });

  // Save with an action chosen: the person may have meant Go.
  all('input[name="_save"]').forEach((save) => {
    save.addEventListener('click', (event) => {
      if (!all('select[name="action"]').some((select) => select.value)) {
        return;
      }
      const text = editsPending
        ? 'You have selected an action, but you haven’t saved your changes to individual fields yet. Please click OK to save. You’ll need to re-run the action.'
        : 'You have selected an action, and you haven’t made any changes on individual fields. You’re probably looking for the Go button rather than the Save button.';
      if (!window.confirm(text)) {
        event.preventDefault();
      }
    });
  });

  // Boxes the browser kept ticked when a person comes back to the page
  // show as selected and are counted. The browser puts them back after
  // deferred scripts have run, but before pageshow (which also follows a
  // return from the back-forward cache).
  window.addEventListener('pageshow', () => {
    boxes.forEach(markRow);
    updateCounter();
  });
}());
