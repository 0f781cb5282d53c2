'use strict';

// Date and time shortcuts, Django's DateTimeShortcuts.js and calendar.js.
//
// After each date input of a form (the admin's text input of class
// vDateField, or a browser date input) this adds "Today | Choose a Date": the
// first fills in today's date, the second opens a month calendar; after
// each time input "Now | Choose a Time", a list of Now, Midnight, 6 a.m.,
// Noon and 6 p.m.; after a date-time input, "Now". Without JavaScript
// the inputs still take a date typed as 2024-05-01.
//
// The admin reads times typed as times of the request's time zone, whose
// offset from UTC the page's body carries (data-admin-utc-offset, in
// seconds, 0 for UTC), so Today and Now are that zone's, as Django's
// shortcuts use the server's time zone.
//
// The calendar is a grid of day buttons: the arrow keys move by a day or
// a week, Page Up and Page Down by a month, Home and End to the start and
// end of the week, Enter or Space choose, Escape closes and returns to
// the button that opened it. Loaded with defer; nothing is left on window.
(function () {
  const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July',
    'August', 'September', 'October', 'November', 'December'];
  const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
  const pad = (n) => String(n).padStart(2, '0');

  // utc is a date at midnight UTC, the calendar's unit.
  const utc = (y, m, d) => new Date(Date.UTC(y, m, d));
  const iso = (d) => `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
  // serverNow is now on the zone's clocks, read with the getUTC methods.
  const serverNow = () => new Date(Date.now() + 1000 * (Number(document.body.dataset.adminUtcOffset) || 0));
  const today = () => { const n = serverNow(); return utc(n.getUTCFullYear(), n.getUTCMonth(), n.getUTCDate()); };
  const addDays = (d, n) => utc(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() + n);
  const nowTime = () => { const n = serverNow(); return `${pad(n.getUTCHours())}:${pad(n.getUTCMinutes())}:${pad(n.getUTCSeconds())}`; };

  // addMonths keeps the day of the month where the month has it, else
  // takes the month's last day.
  function addMonths(d, n) {
    const last = utc(d.getUTCFullYear(), d.getUTCMonth() + n + 1, 0).getUTCDate();
    return utc(d.getUTCFullYear(), d.getUTCMonth() + n, Math.min(d.getUTCDate(), last));
  }

  function parse(value) {
    const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(value);
    return m ? utc(+m[1], +m[2] - 1, +m[3]) : null;
  }

  // set fills an input as typing would, so other scripts see the change.
  function set(input, value) {
    input.value = value;
    input.dispatchEvent(new Event('input', { bubbles: true }));
    input.dispatchEvent(new Event('change', { bubbles: true }));
  }

  function button(text, className, onClick) {
    const b = document.createElement('button');
    b.type = 'button';
    b.className = className;
    b.textContent = text;
    b.addEventListener('click', onClick);
    return b;
  }

  let open = null; // the box shown: {box, toggle}

  function close(refocus) {
    if (!open) {
      return;
    }
    const { box, toggle } = open;
    open = null;
    box.remove();
    toggle.setAttribute('aria-expanded', 'false');
    if (refocus) {
      toggle.focus();
    }
  }

  function show(box, toggle) {
    close(false);
    toggle.after(box);
    toggle.setAttribute('aria-expanded', 'true');
    open = { box, toggle };
    inView(box);
  }

  // inView moves the box left when it would stick out of the window's
  // right edge (a time input at the end of its row, a phone's narrow
  // screen), which would make the whole page scroll sideways.
  function inView(box) {
    const margin = 8;
    const r = box.getBoundingClientRect();
    const right = document.documentElement.clientWidth - margin;
    if (r.right > right) {
      box.style.left = `${Math.max(right - r.right, margin - r.left)}px`;
    }
  }

  // calendar opens the month calendar of a date input.
  function calendar(input, toggle) {
    const box = document.createElement('div');
    box.className = 'calendarbox module';
    box.setAttribute('role', 'dialog');
    box.setAttribute('aria-label', 'Choose a Date');
    let focused = parse(input.value) || today();

    const choose = (d) => {
      set(input, iso(d));
      close(false);
      input.focus();
    };
    const render = (focus) => {
      box.replaceChildren();
      const nav = document.createElement('div');
      nav.className = 'calendarnav';
      const caption = document.createElement('h2');
      caption.id = input.id + '_calendar_caption';
      caption.setAttribute('aria-live', 'polite');
      caption.textContent = `${MONTHS[focused.getUTCMonth()]} ${focused.getUTCFullYear()}`;
      nav.append(
        button('‹', 'calendarnav-previous', () => { focused = addMonths(focused, -1); render(false); }),
        caption,
        button('›', 'calendarnav-next', () => { focused = addMonths(focused, 1); render(false); }));
      nav.firstChild.setAttribute('aria-label', 'Previous month');
      nav.lastChild.setAttribute('aria-label', 'Next month');

      const table = document.createElement('table');
      table.setAttribute('role', 'grid');
      table.setAttribute('aria-labelledby', caption.id);
      const head = table.createTHead().insertRow();
      for (const day of DAYS) {
        const th = document.createElement('th');
        th.scope = 'col';
        th.abbr = day;
        th.textContent = day[0];
        head.append(th);
      }
      const body = table.createTBody();
      const first = utc(focused.getUTCFullYear(), focused.getUTCMonth(), 1);
      const days = utc(focused.getUTCFullYear(), focused.getUTCMonth() + 1, 0).getUTCDate();
      const chosen = parse(input.value);
      let row = body.insertRow();
      for (let i = 0; i < first.getUTCDay(); i++) {
        row.insertCell();
      }
      for (let day = 1; day <= days; day++) {
        if (row.cells.length === 7) {
          row = body.insertRow();
        }
        const d = utc(focused.getUTCFullYear(), focused.getUTCMonth(), day);
        const b = button(String(day), 'calendar-day', () => choose(d));
        b.dataset.date = iso(d);
        b.tabIndex = day === focused.getUTCDate() ? 0 : -1;
        b.setAttribute('aria-label', `${DAYS[d.getUTCDay()]} ${day} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()}`);
        if (chosen && iso(chosen) === iso(d)) {
          b.classList.add('selected');
          b.setAttribute('aria-pressed', 'true');
        }
        if (iso(today()) === iso(d)) {
          b.classList.add('today');
        }
        row.insertCell().append(b);
      }
      table.addEventListener('keydown', (e) => {
        const moves = { ArrowLeft: -1, ArrowRight: 1, ArrowUp: -7, ArrowDown: 7 };
        let next = null;
        if (e.key in moves) {
          next = addDays(focused, moves[e.key]);
        } else if (e.key === 'PageUp' || e.key === 'PageDown') {
          next = addMonths(focused, e.key === 'PageUp' ? -1 : 1);
        } else if (e.key === 'Home' || e.key === 'End') {
          const wd = focused.getUTCDay();
          next = addDays(focused, e.key === 'Home' ? -wd : 6 - wd);
        }
        if (next) {
          e.preventDefault();
          focused = next;
          render(true);
        }
      });

      const shortcuts = document.createElement('div');
      shortcuts.className = 'calendar-shortcuts';
      shortcuts.append(
        button('Yesterday', 'calendar-shortcut', () => choose(addDays(today(), -1))), ' | ',
        button('Today', 'calendar-shortcut', () => choose(today())), ' | ',
        button('Tomorrow', 'calendar-shortcut', () => choose(addDays(today(), 1))));
      const cancel = document.createElement('p');
      cancel.className = 'calendar-cancel';
      cancel.append(button('Cancel', 'calendar-cancel-button', () => close(true)));
      box.append(nav, table, shortcuts, cancel);
      if (focus) {
        box.querySelector('.calendar-day[tabindex="0"]').focus();
      }
    };
    render(false);
    show(box, toggle);
    box.querySelector('.calendar-day[tabindex="0"]').focus();
  }

  // clock opens the list of times of a time input.
  function clock(input, toggle) {
    const box = document.createElement('div');
    box.className = 'clockbox module';
    box.setAttribute('role', 'dialog');
    box.setAttribute('aria-label', 'Choose a Time');
    const h2 = document.createElement('h2');
    h2.textContent = 'Choose a Time';
    const list = document.createElement('ul');
    list.className = 'timelist';
    const times = [['Now', null], ['Midnight', '00:00:00'], ['6 a.m.', '06:00:00'], ['Noon', '12:00:00'], ['6 p.m.', '18:00:00']];
    for (const [label, value] of times) {
      const li = document.createElement('li');
      li.append(button(label, 'clock-time', () => {
        set(input, value || nowTime());
        close(false);
        input.focus();
      }));
      list.append(li);
    }
    const cancel = document.createElement('p');
    cancel.className = 'calendar-cancel';
    cancel.append(button('Cancel', 'calendar-cancel-button', () => close(true)));
    box.append(h2, list, cancel);
    show(box, toggle);
    list.querySelector('button').focus();
  }

  // shortcuts adds the links after an input: the quick one and, when
  // opener is given, the button opening a box.
  function shortcuts(input, quick, fill, title, opener) {
    const span = document.createElement('span');
    span.className = 'datetimeshortcuts';
    span.append(button(quick, 'datetimeshortcut', () => { set(input, fill()); input.focus(); }));
    if (opener) {
      const toggle = button('', opener.className, () => {
        if (open && open.toggle === toggle) {
          close(true);
        } else {
          opener.open(input, toggle);
        }
      });
      toggle.title = title;
      toggle.setAttribute('aria-label', title);
      toggle.setAttribute('aria-haspopup', 'dialog');
      toggle.setAttribute('aria-expanded', 'false');
      span.append(' | ', toggle);
    }
    input.after(span);
  }

  // init adds the shortcuts to the date and time inputs under root, the
  // admin's text inputs (vDateField, vTimeField) and the browser's own,
  // leaving out an inline's empty form, which "Add another" copies.
  function init(root) {
    const fresh = (input) => !input.closest('.empty-form') && !input.dataset.shortcuts && (input.dataset.shortcuts = '1');
    for (const input of root.querySelectorAll('input.vDateField, input[type="date"]')) {
      if (fresh(input)) {
        shortcuts(input, 'Today', () => iso(today()), 'Choose a Date', { className: 'date-icon', open: calendar });
      }
    }
    for (const input of root.querySelectorAll('input.vTimeField, input[type="time"]')) {
      if (fresh(input)) {
        shortcuts(input, 'Now', nowTime, 'Choose a Time', { className: 'clock-icon', open: clock });
      }
    }
    for (const input of root.querySelectorAll('input[type="datetime-local"]')) {
      if (fresh(input)) {
        shortcuts(input, 'Now', () => `${iso(today())}T${nowTime()}`, '', null);
      }
    }
  }
  for (const form of document.querySelectorAll('form')) {
    init(form);
  }
  // A row added to an inline gets them too (inlines.js's formset:added).
  document.addEventListener('formset:added', (e) => init(e.target));

  document.addEventListener('keydown', (e) => {
    if (e.key === 'Escape' && open) {
      e.preventDefault();
      close(true);
    }
  });
  document.addEventListener('click', (e) => {
    if (open && !open.box.contains(e.target) && !open.toggle.contains(e.target)) {
      close(false);
    }
  });
})();
