/**
 * The report page's only script, a constant allowed by its hash in the page's Content-Security-Policy:
 * sortable tables, and the failure gallery's filters (model, prompt version, class) and pages. It reads
 * data-* attributes and sets `hidden` and textContent only; it never builds markup from the page's text.
 */
import { createHash } from 'node:crypto';

/** Click a column header to sort by it (numbers by data-v); click again to reverse. */
export const SORT_SCRIPT = `document.querySelectorAll('table.sortable').forEach(function (table) {
  table.querySelectorAll('th').forEach(function (th, col) {
    th.addEventListener('click', function () {
      var body = table.tBodies[0];
      var rows = Array.prototype.slice.call(body.rows);
      var dir = th.getAttribute('aria-sort') === 'ascending' ? -1 : 1;
      table.querySelectorAll('th').forEach(function (h) { h.removeAttribute('aria-sort'); });
      th.setAttribute('aria-sort', dir === 1 ? 'ascending' : 'descending');
      function key(row) {
        var cell = row.cells[col];
        var v = cell ? cell.getAttribute('data-v') : null;
        if (v === null || v === '') return { n: null, s: cell ? cell.textContent : '' };
        var n = Number(v);
        return isNaN(n) ? { n: null, s: v } : { n: n, s: v };
      }
      rows.sort(function (a, b) {
        var x = key(a), y = key(b);
        if (x.n !== null && y.n !== null) return (x.n - y.n) * dir;
        if (x.n !== null) return -1;
        if (y.n !== null) return 1;
        return x.s.localeCompare(y.s) * dir;
      });
      rows.forEach(function (r) { body.appendChild(r); });
    });
  });
});`;

/** The gallery: show the cards matching every chosen filter, a page at a time. */
export const GALLERY_SCRIPT = `(function () {
  var gallery = document.getElementById('gallery');
  if (!gallery) return;
  var cards = Array.prototype.slice.call(gallery.querySelectorAll('.example'));
  var size = Number(gallery.getAttribute('data-page-size')) || 24;
  var selects = Array.prototype.slice.call(document.querySelectorAll('#gallery-filters select'));
  var label = document.getElementById('gallery-page');
  var buttons = document.querySelectorAll('#gallery-pager button');
  var page = 0;
  function matching() {
    return cards.filter(function (c) {
      return selects.every(function (s) { return !s.value || c.getAttribute('data-' + s.getAttribute('data-filter')) === s.value; });
    });
  }
  function show() {
    var shown = matching();
    var pages = Math.max(1, Math.ceil(shown.length / size));
    page = Math.min(Math.max(page, 0), pages - 1);
    cards.forEach(function (c) { c.hidden = true; });
    shown.slice(page * size, (page + 1) * size).forEach(function (c) { c.hidden = false; });
    label.textContent = shown.length ? 'Page ' + (page + 1) + ' of ' + pages + ' (' + shown.length + ' answers)' : 'No answers match';
    buttons[0].disabled = page === 0;
    buttons[1].disabled = page >= pages - 1;
  }
  selects.forEach(function (s) { s.addEventListener('change', function () { page = 0; show(); }); });
  Array.prototype.forEach.call(buttons, function (b) { b.addEventListener('click', function () { page += Number(b.getAttribute('data-page')); show(); }); });
  show();
})();`;

export const PAGE_SCRIPT = `${SORT_SCRIPT}\n${GALLERY_SCRIPT}`;

/** The CSP source allowing exactly PAGE_SCRIPT. */
export const pageScriptHash = (): string => `sha256-${createHash('sha256').update(PAGE_SCRIPT).digest('base64')}`;
