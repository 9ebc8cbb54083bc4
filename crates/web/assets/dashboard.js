/* Keyboard shortcuts for the moderation queue: j/k move between comments, a/r/b press the
 * matching button of the focused comment, n jumps to its note. Nothing else is scripted. */
(function () {
  'use strict';
  function cards() { return Array.prototype.slice.call(document.querySelectorAll('.card')); }
  function current() { var a = document.activeElement; return a && a.closest ? a.closest('.card') : null; }
  document.addEventListener('keydown', function (e) {
    if (e.ctrlKey || e.metaKey || e.altKey) return;
    var t = e.target;
    if (t && (t.tagName === 'INPUT' || t.tagName === 'TEXTAREA' || t.tagName === 'SELECT')) {
      if (e.key === 'Escape') { var c0 = current(); if (c0) c0.focus(); }
      return;
    }
    var list = cards();
    if (!list.length) return;
    var card = current();
    var i = card ? list.indexOf(card) : -1;
    if (e.key === 'j' || e.key === 'k') {
      var next = list[Math.max(0, Math.min(list.length - 1, i + (e.key === 'j' ? 1 : -1)))] || list[0];
      next.focus();
      e.preventDefault();
      return;
    }
    if (!card) return;
    if (e.key === 'n') { card.querySelector('.note').focus(); e.preventDefault(); return; }
    var button = card.querySelector('button[data-key="' + e.key + '"]');
    if (button) { e.preventDefault(); button.click(); }
  });
  var first = cards()[0];
  if (first && !document.querySelector('[autofocus]')) first.focus();
})();
