'use strict';

// Theme toggle for the Staffroom admin.
//
// A button.theme-toggle cycles auto -> light -> dark. The choice is kept in
// localStorage under "staffroom.theme" and applied as
// document.documentElement.dataset.theme; the stylesheets read that
// attribute ("auto" follows prefers-color-scheme). Loaded with defer, so the
// DOM is ready; no inline script is needed and nothing is left on window.
(function () {
  const KEY = 'staffroom.theme';
  const THEMES = ['auto', 'light', 'dark'];
  const root = document.documentElement;

  function valid(theme) {
    return THEMES.includes(theme) ? theme : 'auto';
  }

  // The stored choice wins; without one, a data-theme the server rendered
  // is kept. localStorage throws when storage is disabled; the toggle then
  // still works for the current page.
  function load() {
    let stored = null;
    try {
      stored = window.localStorage.getItem(KEY);
    } catch (err) {
      stored = null;
    }
    return valid(THEMES.includes(stored) ? stored : root.dataset.theme);
  }

  function save(theme) {
    try {
      window.localStorage.setItem(KEY, theme);
    } catch (err) {
      // Not persisted; nothing else to do.
    }
  }

  function apply(theme) {
    root.dataset.theme = theme;
    for (const button of document.querySelectorAll('button.theme-toggle')) {
      const label = button.querySelector('.visually-hidden');
      if (label) {
        label.textContent = 'Toggle theme (current theme: ' + theme + ')';
      }
      button.dataset.currentTheme = theme;
    }
  }

  function next(theme) {
    return THEMES[(THEMES.indexOf(valid(theme)) + 1) % THEMES.length];
  }

  function init() {
    apply(load());
    document.addEventListener('click', function (event) {
      const button = event.target.closest && event.target.closest('button.theme-toggle');
      if (!button) {
        return;
      }
      const theme = next(root.dataset.theme);
      save(theme);
      apply(theme);
    });
    // Keep other open admin tabs in step.
    window.addEventListener('storage', function (event) {
      if (event.key === KEY) {
        apply(valid(event.newValue));
      }
    });
  }

  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', init);
  } else {
    init();
  }
})();
