'use strict';

// Warns before leaving a change form that holds unsaved edits: once any
// of its inputs changes, leaving the page asks the browser's "Leave
// site?" confirmation; submitting the form does not. Loaded with defer
// on the forms that can be saved; nothing is left on window.
{
  const form = document.querySelector('#content-main > form[method="post"]');
  if (form) {
    let edited = false;
    const edit = function () {
      edited = true;
    };
    form.addEventListener('input', edit);
    form.addEventListener('change', edit);
    // A submission leaves the page to save the edits. The listener is on
    // the window, so that it runs after the form's own: a submission
    // another script cancelled keeps the warning.
    window.addEventListener('submit', function (e) {
      if (e.target === form && !e.defaultPrevented) {
        edited = false;
      }
    });
    window.addEventListener('beforeunload', function (e) {
      if (edited) {
        e.preventDefault();
        e.returnValue = ''; // browsers before the standard's preventDefault
      }
    });
  }
}
