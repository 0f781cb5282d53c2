'use strict';

// Search boxes for the change list's filters.
//
// Without JavaScript every choice of a filter is a link and the page
// works. This adds, above the choices of a filter box with more than MANY
// of them, a search input that hides the choices whose text does not
// contain what is typed (ignoring case). Enter follows the one choice
// left, if only one is.
//
// A box that lists only the first of its choices (.filter-more, past the
// admin's ListFilterMaxChoices) has a hidden input for this: it is shown
// and moved above the list, and Enter, when no single listed choice is
// left, looks further: it opens the related model's change list searched
// for the text (the box's "More…" link, with ?q=), or, for a box without
// one, this change list filtered by the text as the filter's exact value
// (the box's data-filter-param). Loaded with defer; nothing is left on
// window.
(function () {
  const MANY = 10;

  // further is the address Enter opens in a .filter-more box when no
  // single listed choice matches text, or '' for none.
  function further(more, text) {
    const link = more.querySelector('a.filter-more-link');
    let url;
    if (link) {
      url = new URL(link.href);
      url.searchParams.set('q', text);
    } else if (more.dataset.filterParam) {
      url = new URL(window.location.href);
      url.searchParams.set(more.dataset.filterParam, text);
      url.searchParams.delete('p'); // a new filter starts at the first page
    }
    return url ? url.href : '';
  }

  function enhance(box) {
    const list = box.querySelector('ul');
    const more = box.querySelector('.filter-more');
    if (!list) {
      return;
    }
    const choices = Array.from(list.querySelectorAll('li'));
    if (!more && choices.length <= MANY) {
      return;
    }
    let input = more && more.querySelector('input.filter-autocomplete');
    if (!input) {
      input = document.createElement('input');
      input.type = 'search';
      input.setAttribute('aria-label', 'Search the choices');
    }
    input.placeholder = more ? 'Search, then press Enter' : 'Filter the choices';
    input.classList.add('filter-search');
    input.hidden = false;
    list.before(input);

    const shown = () => choices.filter((li) => !li.classList.contains('hidden'));

    input.addEventListener('input', () => {
      const term = input.value.trim().toLocaleLowerCase();
      choices.forEach((li) => {
        li.classList.toggle('hidden', !li.textContent.toLocaleLowerCase().includes(term));
      });
    });

    input.addEventListener('keydown', (event) => {
      const text = input.value.trim();
      if (event.key !== 'Enter' || text === '') {
        return;
      }
      event.preventDefault();
      const left = shown();
      const link = left.length === 1 && left[0].querySelector('a');
      const href = link ? link.href : more && further(more, text);
      if (href) {
        window.location.assign(href);
      }
    });
  }

  document.querySelectorAll('#changelist-filter details').forEach(enhance);
}());
