'use strict';

// Where the keyboard starts on a change form, as Django's change_form.js:
// after a submission with errors, in the first field in error; on a
// fresh add form, in its first field. The links of the error summary
// move the focus to their fields. Loaded with defer after the
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

  // controlFor is the control that takes the focus for the input with
  // the id: the input itself, else, when a script hides it (the two-box
  // chooser, an autocomplete), the first control beside it.
  function controlFor(id) {
    const field = document.getElementById(id);
    if (!field) {
      return null;
    }
    if (focusable(field)) {
      return field;
    }
    const box = field.closest('.fieldBox, td, .form-row');
    return (box && firstIn(box)) || null;
  }

  // errorControl is the control of the first field in error: the one its
  // error list is named after ("<id>_error"), else the first one beside
  // the list.
  function errorControl() {
    for (const list of form.querySelectorAll('ul.errorlist[id$="_error"]')) {
      const control = controlFor(list.id.slice(0, -'_error'.length));
      const box = list.closest('.fieldBox, td, .form-row');
      const other = control || (box && firstIn(box));
      if (other) {
        return other;
      }
    }
    return null;
  }

  // A link of the error summary (role="alert", so screen readers read it
  // out on load) puts the focus in its field, even one a script replaced,
  // and opens a folded fieldset on the way. Enter is handled on keydown
  // and its keypress kept from the field it lands in (swallowEnter),
  // which would submit the form.
  function follow(event) {
    const link = event.target.closest('.error-summary a[href^="#"]');
    if (!link) {
      return;
    }
    const id = decodeURIComponent(link.getAttribute('href').slice(1));
    const field = document.getElementById(id);
    const details = field && field.closest('details');
    if (details) {
      details.open = true;
    }
    const control = controlFor(id);
    if (control) {
      event.preventDefault();
      control.focus();
      control.scrollIntoView({block: 'center'});
    }
  }
  form.addEventListener('click', follow);
  form.addEventListener('keydown', function (event) {
    if (event.key === 'Enter' && !event.altKey && !event.ctrlKey && !event.metaKey && !event.shiftKey) {
      follow(event);
      if (event.defaultPrevented) {
        swallowEnter();
      }
    }
  });

  let target = errorControl();
  if (!target && script.dataset.add) {
    target = Array.from(form.querySelectorAll('fieldset')).map(firstIn).find(Boolean);
  }
  if (target) {
    target.focus();
  }
})();
