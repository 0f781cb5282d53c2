'use strict';

// Where the keyboard starts on a change form, as Django's change_form.js:
// after a submission with errors, in the first field in error; on a
// fresh add form, in its first field. Loaded with defer after the
// widgets' scripts, on forms that can be saved; its script element
// (id "staffroom-change-form") names the form's model in
// data-model-name and marks an add form with data-add. Nothing is left
// on window.
(function () {
  const script = document.getElementById('staffroom-change-form');
  const form = script && document.getElementById(script.dataset.modelName + '_form');
  if (!form) {
    return;
  }

  // focusable reports whether a control can take the focus now: enabled,
  // rendered, and neither a hidden input nor a submit button.
  function focusable(el) {
    return ['INPUT', 'SELECT', 'TEXTAREA', 'BUTTON'].includes(el.tagName) && !el.disabled &&
      el.type !== 'hidden' && el.type !== 'submit' && el.offsetParent !== null;
  }

  // firstIn is the first control under root that can take the focus.
  function firstIn(root) {
    return Array.from(root.querySelectorAll('input, select, textarea, button')).find(focusable);
  }

  // errorControl is the control of the first field in error: the one the
  // error list is named after ("<id>_error"), else, when a script hides
  // it (the two-box chooser, an autocomplete), the first one beside it.
  function errorControl() {
    for (const list of form.querySelectorAll('ul.errorlist[id$="_error"]')) {
      const field = document.getElementById(list.id.slice(0, -'_error'.length));
      if (field && focusable(field)) {
        return field;
      }
      const box = list.closest('.fieldBox, td, .form-row');
      const other = box && firstIn(box);
      if (other) {
        return other;
      }
    }
    return null;
  }

  let target = errorControl();
  if (!target && script.dataset.add) {
    target = Array.from(form.querySelectorAll('fieldset')).map(firstIn).find(Boolean);
  }
  if (target) {
    target.focus();
  }
})();
