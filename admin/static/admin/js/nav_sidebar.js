'use strict';

// The navigation sidebar (#nav-sidebar): a button that folds it away and
// brings it back, and a box that filters its models as one types.
//
// Without JavaScript the sidebar shows on wide screens, is left out on
// phones, and both controls stay hidden. With it, the button
// (#toggle-nav-sidebar) sets #main's data-nav-sidebar to "open" or
// "closed", and its own aria-expanded with it. On a wide screen the choice
// is kept per browser in localStorage; on a phone the open sidebar would
// push the page down, so there it starts closed on every page and opening
// it is not remembered.
//
// The filter (#nav-filter) hides the models whose name does not contain
// what is typed, ignoring case, and the apps left with none; Escape
// empties it, and Enter opens the one model left when only one is. Loaded
// with defer; nothing is left on window.
(function () {
  const KEY = 'staffroom.navSidebar';
  const phone = window.matchMedia('(max-width: 767px)');
  const main = document.getElementById('main');
  const sidebar = document.getElementById('nav-sidebar');
  const toggle = document.getElementById('toggle-nav-sidebar');
  const filter = document.getElementById('nav-filter');
  if (!main || !sidebar) {
    return;
  }

  // localStorage throws when storage is disabled: the toggle then works
  // for the current page only.
  function stored() {
    try {
      return window.localStorage.getItem(KEY);
    } catch (err) {
      return null;
    }
  }

  function store(state) {
    try {
      window.localStorage.setItem(KEY, state);
    } catch (err) {
      // Not remembered; nothing else to do.
    }
  }

  function show(open) {
    main.dataset.navSidebar = open ? 'open' : 'closed';
    if (toggle) {
      toggle.setAttribute('aria-expanded', open ? 'true' : 'false');
    }
  }

  // initial is the state a page starts in: closed on a phone, else what
  // the browser remembers, else open.
  function initial() {
    return !phone.matches && stored() !== 'closed';
  }

  if (toggle) {
    toggle.hidden = false;
    show(initial());
    toggle.addEventListener('click', () => {
      const open = main.dataset.navSidebar !== 'open';
      show(open);
      if (!phone.matches) {
        store(open ? 'open' : 'closed');
      }
    });
    // A phone turned sideways, or a window narrowed, starts over.
    phone.addEventListener('change', () => show(initial()));
  }

  if (!filter) {
    return;
  }
  const rows = Array.from(sidebar.querySelectorAll('tbody tr'));
  const status = document.createElement('p');
  status.className = 'nav-filter-status';
  status.setAttribute('role', 'status');
  filter.after(status);
  filter.hidden = false;

  function name(row) {
    const th = row.querySelector('th');
    return (th ? th.textContent : row.textContent).trim().toLocaleLowerCase();
  }

  function apply() {
    const term = filter.value.trim().toLocaleLowerCase();
    const left = rows.filter((row) => {
      const match = name(row).includes(term);
      row.hidden = !match;
      return match;
    });
    sidebar.querySelectorAll('.module').forEach((app) => {
      app.hidden = app.querySelector('tbody tr:not([hidden])') === null;
    });
    filter.classList.toggle('no-results', left.length === 0);
    status.textContent = left.length === 0 ? 'No models match.' : '';
    return left;
  }

  filter.addEventListener('input', apply);
  filter.addEventListener('keydown', (event) => {
    if (event.key === 'Escape' && filter.value !== '') {
      event.preventDefault();
      filter.value = '';
      apply();
    } else if (event.key === 'Enter') {
      const left = apply();
      const link = left.length === 1 && left[0].querySelector('th a');
      if (link && filter.value.trim() !== '') {
        event.preventDefault();
        window.location.assign(link.href);
      }
    }
  });
  // The browser may put back what was typed before a reload.
  if (filter.value !== '') {
    apply();
  }
}());
