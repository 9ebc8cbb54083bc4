/* Jirga comment counts for a listing page. Every element with data-jirga-count="THREAD KEY"
 * (and data-jirga-site="SITE", or the script's data-site) gets its thread's count of published
 * comments: one request per site for all of them (100 threads a request at most), and the
 * answers kept a minute in sessionStorage, so going back to the listing asks nothing. Wording:
 * data-jirga-one ("1 comment"), data-jirga-many ("{n} comments"), data-jirga-zero (optional). */
(function () {
  'use strict';
  var script = document.currentScript || document.querySelector('script[src*="count.js"]');
  if (!script) return;
  var API = new URL(script.src, location.href).origin + '/api/v1';
  var SITE = script.getAttribute('data-site');
  var KEEP_MS = 60000;
  var BATCH = 100;

  function show(el, n) {
    var zero = el.getAttribute('data-jirga-zero');
    var one = el.getAttribute('data-jirga-one') || '1 comment';
    var many = el.getAttribute('data-jirga-many') || '{n} comments';
    el.textContent = n === 0 && zero !== null ? zero : (n === 1 ? one : many).replace('{n}', String(n));
  }
  function kept(site) {
    try {
      var c = JSON.parse(sessionStorage.getItem('jirga:counts:' + site));
      if (c && Date.now() - c.at < KEEP_MS) return c.counts;
    } catch (e) { /* unreadable or private mode: ask */ }
    return {};
  }
  function keep(site, counts) {
    var all = kept(site);
    for (var k in counts) all[k] = counts[k];
    try { sessionStorage.setItem('jirga:counts:' + site, JSON.stringify({ at: Date.now(), counts: all })); } catch (e) { /* full */ }
  }
  function ask(site, keys, els) {
    var query = 'site=' + encodeURIComponent(site) +
      keys.map(function (k) { return '&thread=' + encodeURIComponent(k); }).join('');
    return fetch(API + '/counts?' + query, { credentials: 'omit' })
      .then(function (res) { return res.ok ? res.json() : null; })
      .then(function (data) {
        if (!data) return;
        keep(site, data.counts);
        els.forEach(function (el) {
          var n = data.counts[el.getAttribute('data-jirga-count')];
          if (typeof n === 'number') show(el, n);
        });
      })
      .catch(function () { /* the listing stays as it was */ });
  }
  function run() {
    var bySite = {};
    Array.prototype.forEach.call(document.querySelectorAll('[data-jirga-count]'), function (el) {
      var site = el.getAttribute('data-jirga-site') || SITE;
      if (!site || !el.getAttribute('data-jirga-count')) return;
      (bySite[site] = bySite[site] || []).push(el);
    });
    Object.keys(bySite).forEach(function (site) {
      var known = kept(site);
      var missing = [];
      var waiting = [];
      bySite[site].forEach(function (el) {
        var key = el.getAttribute('data-jirga-count');
        if (typeof known[key] === 'number') { show(el, known[key]); return; }
        if (missing.indexOf(key) < 0) missing.push(key);
        waiting.push(el);
      });
      for (var i = 0; i < missing.length; i += BATCH) {
        var keys = missing.slice(i, i + BATCH);
        ask(site, keys, waiting.filter(function (el) { return keys.indexOf(el.getAttribute('data-jirga-count')) >= 0; }));
      }
    });
  }
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', run);
  else run();
})();
