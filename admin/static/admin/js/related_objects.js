'use strict';

// The links beside a relation's select (RelatedFieldWidgetWrapper),
// Django's RelatedObjectLookups and related-widget-wrapper.js.
//
// Without JavaScript each link opens the related admin's add, change,
// view or delete page, whose success answer is then a page saying the
// popup closes. With it, a link opens that page in a popup window named
// after the select; popup_response.js, loaded by the answer, hands it
// back here as a "staffroom:related-popup" event, and the select gains
// the added object (selected), shows the changed one's new text and
// value, or loses the deleted one. The change, view and delete links
// follow the select's choice. Nothing is left on window.
(function () {
  const PREFIX = 'staffroom_related__';
  const QUOTED = '":/_#?;@&=+$,[]<>%\n\\';

  // quote is the admin's Quote of an object id in a URL path.
  function quote(s) {
    let out = '';
    for (const c of s) {
      out += QUOTED.includes(c) ? '_' + c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0') : c;
    }
    return encodeURIComponent(out);
  }

  function updateLinks(select) {
    const wrapper = select.closest('.related-widget-wrapper');
    if (!wrapper) {
      return;
    }
    const value = select.multiple ? '' : select.value;
    for (const link of wrapper.querySelectorAll(':scope > a[data-href-template]')) {
      if (value) {
        link.href = link.dataset.hrefTemplate.replace('__fk__', quote(value));
      } else {
        link.removeAttribute('href');
      }
    }
  }

  // selectsOf are the selects of the page listing the same model as
  // select, which a change or a deletion concerns too.
  function selectsOf(select) {
    const wrapper = select.closest('.related-widget-wrapper');
    const ref = wrapper && wrapper.dataset.modelRef;
    if (!ref) {
      return [select];
    }
    const found = document.querySelectorAll('.related-widget-wrapper[data-model-ref="' + CSS.escape(ref) + '"] select');
    return Array.from(found).includes(select) ? Array.from(found) : [select].concat(Array.from(found));
  }

  // fieldControl is the control a person uses for select: the select,
  // or when a script hid it, the first visible control of its wrapper.
  function fieldControl(select) {
    if (select.offsetParent !== null) {
      return select;
    }
    const wrapper = select.closest('.related-widget-wrapper') || select.parentElement;
    const controls = wrapper.querySelectorAll('input:not([type=hidden]), select, textarea');
    return Array.from(controls).find((c) => c.offsetParent !== null) || select;
  }

  function added(select, data) {
    select.append(new Option(data.obj, data.value, true, true));
  }

  function changed(select, data) {
    for (const s of selectsOf(select)) {
      for (const option of s.options) {
        if (option.value === data.value) {
          option.text = data.obj;
          option.value = data.new_value;
        }
      }
    }
  }

  function deleted(select, data) {
    for (const s of selectsOf(select)) {
      for (const option of Array.from(s.options)) {
        if (option.value === data.value) {
          option.remove();
        }
      }
    }
  }

  document.addEventListener('change', function (e) {
    if (e.target.matches('.related-widget-wrapper select')) {
      updateLinks(e.target);
    }
  });
  document.querySelectorAll('.related-widget-wrapper select').forEach(updateLinks);

  document.addEventListener('click', function (e) {
    const link = e.target.closest('a.related-widget-wrapper-link[data-popup="yes"]');
    if (!link) {
      return;
    }
    e.preventDefault();
    if (!link.hasAttribute('href')) {
      return;
    }
    const id = link.id.replace(/^(change|add|delete|view)_/, '');
    const w = window.open(link.href, PREFIX + id, 'height=500,width=800,resizable=yes,scrollbars=yes');
    if (w) {
      w.focus();
    }
  });

  document.addEventListener('staffroom:related-popup', function (e) {
    const select = document.getElementById(e.detail.id);
    let data;
    try {
      data = JSON.parse(e.detail.data);
    } catch (err) {
      return;
    }
    if (!select || select.tagName !== 'SELECT') {
      return;
    }
    if (data.action === 'change') {
      changed(select, data);
    } else if (data.action === 'delete') {
      deleted(select, data);
    } else {
      added(select, data);
    }
    select.dispatchEvent(new Event('change', {bubbles: true}));
    // The popup has closed: the keyboard comes back to the field it
    // answered, or to the control a script shows for it (an
    // autocomplete's combobox).
    window.focus();
    fieldControl(select).focus();
  });
})();
