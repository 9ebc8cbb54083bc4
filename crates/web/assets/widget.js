/* Jirga comment widget. Plain JavaScript, no framework, no globals: everything it draws lives in
 * a shadow root under the host element, so the page's styles and the widget's cannot touch. Comment
 * bodies arrive as sanitised HTML and are sanitised again here, node by node, before insertion. */
(function () {
  'use strict';
  var script = document.currentScript || document.querySelector('script[src*="widget.js"][data-site]');
  if (!script) return;
  var BASE = new URL(script.src, location.href).origin;
  var API = BASE + '/api/v1';
  var cfg = script.dataset;
  var SITE = cfg.site;
  var THREAD = cfg.thread || location.pathname;
  var PAGE = Math.max(1, Math.min(50, parseInt(cfg.pageSize || '10', 10) || 10));
  var GUIDE = cfg.guidelines || BASE + '/guidelines';
  var MINE_KEY = 'jirga:mine:' + SITE;
  var AUTHOR_KEY = 'jirga:author';
  var VOTES_KEY = 'jirga:votes:' + SITE;
  /* The publisher's sign-on token for the reader, if the page gives one. */
  var SSO_TOKEN = cfg.jirgaToken || null;
  var LANG_KEY = 'jirga:lang';

  /* Words come from the server's message catalogues (GET /api/v1/locale), chosen by the
   * reader's own pick, else data-lang, else the page's lang, else the site's default. A
   * message is a string or a list of strings, variables ({v}) and choices ({s, o, d}) by
   * value or plural category; numbers and times are formatted by the browser's Intl. */
  var L = { locale: 'en', dir: 'ltr', messages: {}, locales: [] };
  var PLURAL = null;
  var NUMBER = null;
  function setLocale(loc) {
    L = loc;
    try { PLURAL = new Intl.PluralRules(L.locale); NUMBER = new Intl.NumberFormat(L.locale); } catch (e) { PLURAL = null; NUMBER = null; }
  }
  function num(n) { return NUMBER ? NUMBER.format(n) : String(n); }
  /* Text variables are isolated (U+2068 … U+2069) in right-to-left text, so an English name
   * in Urdu keeps its place; element variables go in as themselves. */
  function fmt(m, args, out) {
    if (typeof m === 'string') { out.push(m); return; }
    m.forEach(function (p) {
      if (typeof p === 'string') { out.push(p); return; }
      if (p.v !== undefined) {
        var v = args[p.v];
        if (v && v.nodeType) out.push(v);
        else if (typeof v === 'number') out.push(num(v));
        else out.push(L.dir === 'rtl' ? '\u2068' + String(v) + '\u2069' : String(v));
        return;
      }
      var val = args[p.s];
      var pick = p.o[String(val)];
      if (pick === undefined && typeof val === 'number' && PLURAL) pick = p.o[PLURAL.select(val)];
      fmt(pick === undefined ? p.o[p.d] : pick, args, out);
    });
  }
  /* t(key, args): the message as text. tn(key, args): as text and nodes, for append(). */
  function tn(key, args) {
    var m = L.messages[key];
    if (m === undefined) return [key];
    var out = [];
    fmt(m, args || {}, out);
    return out;
  }
  function t(key, args) { return tn(key, args).join(''); }

  function store(key, fallback) {
    try { return JSON.parse(localStorage.getItem(key)) || fallback; } catch (e) { return fallback; }
  }
  function save(key, value) {
    try { localStorage.setItem(key, JSON.stringify(value)); } catch (e) { /* private mode: forget */ }
  }

  /* h('p', {class: 'x'}, 'text', child): elements from text and nodes only, never from HTML. */
  function h(tag, attrs) {
    var el = document.createElement(tag);
    for (var k in attrs || {}) {
      var v = attrs[k];
      if (v === null || v === undefined || v === false) continue;
      if (k.slice(0, 2) === 'on') el.addEventListener(k.slice(2), v);
      else el.setAttribute(k, v === true ? '' : v);
    }
    for (var i = 2; i < arguments.length; i++) append(el, arguments[i]);
    return el;
  }
  /* Icons drawn here (strokes in currentColor), decorative: each button also says its name. */
  var ICONS = {
    reply: 'M9 5 3 11l6 6M3 11h10a7 7 0 0 1 7 7v1',
    like: 'M12 20s-7.5-4.6-8.6-9.3C2.6 7.4 4.6 5 7.4 5c2 0 3.6 1.2 4.6 3 1-1.8 2.6-3 4.6-3 2.8 0 4.8 2.4 4 5.7C19.5 15.4 12 20 12 20z',
    report: 'M5 21V4m0 0h12l-3 4.5L17 13H5',
    edit: 'm4 20 4-1 11-11-3-3L5 16zm10-13 3 3',
    remove: 'M5 7h14M10 7V4h4v3M7 7l1 13h8l1-13',
    moderate: 'M12 3 5 6v5c0 4.5 3 8.5 7 10 4-1.5 7-5.5 7-10V6z'
  };
  function icon(name) {
    var NS = 'http://www.w3.org/2000/svg';
    var svg = document.createElementNS(NS, 'svg');
    svg.setAttribute('viewBox', '0 0 24 24');
    svg.setAttribute('aria-hidden', 'true');
    svg.setAttribute('class', 'icon icon-' + name);
    var path = document.createElementNS(NS, 'path');
    path.setAttribute('d', ICONS[name]);
    svg.appendChild(path);
    return svg;
  }
  /* Initials on a colour picked from the name: no image service, nothing leaves the page. */
  function avatar(name) {
    var words = String(name).trim().split(/\s+/).filter(Boolean);
    var initials = words.slice(0, 2).map(function (w) { return Array.from(w)[0]; }).join('').toUpperCase() || '?';
    var hash = 0;
    for (var i = 0; i < name.length; i++) hash = (hash * 31 + name.charCodeAt(i)) >>> 0;
    return h('span', { class: 'avatar av' + (hash % 8), 'aria-hidden': 'true' }, initials);
  }
  function append(el, child) {
    if (child === null || child === undefined || child === false) return;
    if (Array.isArray(child)) { child.forEach(function (c) { append(el, c); }); return; }
    el.appendChild(typeof child === 'string' || typeof child === 'number' ? document.createTextNode(String(child)) : child);
  }

  var ALLOWED = { P: 1, BR: 1, EM: 1, STRONG: 1, DEL: 1, A: 1, BLOCKQUOTE: 1, UL: 1, OL: 1, LI: 1, CODE: 1, PRE: 1 };
  var DROP = { SCRIPT: 1, STYLE: 1, TEMPLATE: 1, IFRAME: 1, OBJECT: 1, NOSCRIPT: 1, TEXTAREA: 1, TITLE: 1 };
  /* The server already cleaned the HTML; this second, independent allow-list means a bug on
   * one side is not a script on the publisher's page. DOMParser documents run no scripts. */
  function safeBody(html) {
    var doc = new DOMParser().parseFromString('<!doctype html><body>' + html, 'text/html');
    var frag = document.createDocumentFragment();
    copy(doc.body, frag);
    return frag;
  }
  function copy(from, to) {
    Array.prototype.forEach.call(from.childNodes, function (n) {
      if (n.nodeType === 3) { to.appendChild(document.createTextNode(n.nodeValue)); return; }
      if (n.nodeType !== 1 || DROP[n.tagName]) return;
      if (!ALLOWED[n.tagName]) { copy(n, to); return; }
      var el = document.createElement(n.tagName.toLowerCase());
      if (n.tagName === 'A') {
        var href = n.getAttribute('href') || '';
        if (/^(https?:|mailto:)/i.test(href)) el.setAttribute('href', href);
        el.setAttribute('rel', 'nofollow ugc noopener noreferrer');
        el.setAttribute('target', '_blank');
      }
      if (n.tagName === 'OL' && /^\d{1,6}$/.test(n.getAttribute('start') || '')) el.setAttribute('start', n.getAttribute('start'));
      copy(n, el);
      to.appendChild(el);
    });
  }

  var UNITS = [[31536000, 'year'], [2592000, 'month'], [86400, 'day'], [3600, 'hour'], [60, 'minute']];
  /* "10 years ago", "10 سال پہلے": the browser's relative-time formatting for the locale. */
  function ago(iso) {
    var s = Math.max(0, (Date.now() - Date.parse(iso)) / 1000);
    if (s < 45) return t('widget-just-now');
    for (var i = 0; i < UNITS.length; i++) {
      if (s >= UNITS[i][0] || i === UNITS.length - 1) {
        var n = UNITS[i][1] === 'minute' ? Math.round(s / 60) : Math.floor(s / UNITS[i][0]);
        n = Math.max(1, n);
        try { return new Intl.RelativeTimeFormat(L.locale, { numeric: 'always' }).format(-n, UNITS[i][1]); } catch (e) { return num(n) + ' ' + UNITS[i][1]; }
      }
    }
  }
  function timeEl(iso) {
    var exact;
    try { exact = new Date(iso).toLocaleString(L.locale, { dateStyle: 'long', timeStyle: 'short' }); } catch (e) { exact = new Date(iso).toLocaleString(); }
    return h('time', { datetime: iso, title: exact, 'data-ts': iso }, ago(iso));
  }
  /* Why a comment waits or was not published, in the reader's language (by the reason's code
   * and kind; a moderator's note and an appeal quote their words). */
  function reasonText(r) {
    var quoted = /\u201c([\s\S]*)\u201d\s*$/.exec(r.message || '');
    var keys = r.kind ? ['reason-' + r.code + '-' + r.kind, 'reason-' + r.code] : ['reason-' + r.code];
    for (var i = 0; i < keys.length; i++) {
      if (L.messages[keys[i]] !== undefined) return t(keys[i], { text: quoted ? quoted[1] : '' });
    }
    return r.message;
  }
  function reasonsText(reasons) { return (reasons || []).map(reasonText).join(' '); }

  /* Who is signed in (GET /api/v1/me); its CSRF token goes with every write. */
  var ME = null;
  function request(method, path, body, headers) {
    /* The reader's session cookie goes along: an account posts as itself. */
    var init = { method: method, headers: headers || {}, credentials: 'include' };
    if (method !== 'GET' && ME && ME.csrf && !init.headers['X-Jirga-CSRF']) init.headers['X-Jirga-CSRF'] = ME.csrf;
    if (body !== undefined) {
      init.body = JSON.stringify(body);
      init.headers['Content-Type'] = 'application/json';
    }
    return fetch(API + path, init).then(function (res) {
      if (res.status === 204) return null;
      return res.json().catch(function () { return {}; }).then(function (data) {
        if (!res.ok) {
          var err = new Error((data.error && data.error.message) || t('widget-error-status', { status: res.status }));
          err.code = data.error && data.error.code;
          throw err;
        }
        return data;
      });
    });
  }
  /* API errors in readers' words (the API's own messages are for developers). */
  function words(err) {
    if (err && err.code && L.messages['widget-error-' + err.code] !== undefined) return t('widget-error-' + err.code);
    if (err && err.code) return t('widget-error-generic', { message: err.message });
    return t('widget-error-offline');
  }
  /* Publisher sign-on: the token is exchanged for a session; sign-out revokes it. */
  function ssoLogin(token) {
    return request('POST', '/sso/session', { site: SITE, token: token }).then(function (me) {
      SSO_TOKEN = token;
      ME = me;
      return me;
    });
  }
  function ssoLogout() {
    return request('POST', '/sso/sign-out', { site: SITE, token: SSO_TOKEN || undefined })
      .then(function () { SSO_TOKEN = null; ME = null; });
  }
  function q(params) {
    return Object.keys(params).filter(function (k) { return params[k] !== undefined && params[k] !== null; })
      .map(function (k) { return encodeURIComponent(k) + '=' + encodeURIComponent(params[k]); }).join('&');
  }

  function Widget(host) {
    this.root = host.attachShadow({ mode: 'open' });
    this.sort = 'oldest';
    this.count = 0;
    this.mine = store(MINE_KEY, {});
    this.votes = store(VOTES_KEY, {});
    this.pending = [];
    this.counted = {};
    this.build();
    /* Relative times move on; one timer for the widget's life (a redraw keeps it). */
    var self = this;
    setInterval(function () {
      Array.prototype.forEach.call(self.root.querySelectorAll('time[data-ts]'), function (t) { t.textContent = ago(t.dataset.ts); });
    }, 60000);
  }

  Widget.prototype.build = function () {
    var self = this;
    this.countEl = h('span', { class: 'count' }, '…');
    this.status = h('p', { class: 'status', role: 'status', 'aria-live': 'polite' });
    this.list = h('ol', { class: 'list', 'aria-label': t('widget-comments-list') });
    this.moreBtn = h('button', { type: 'button', class: 'more', hidden: true, onclick: function () { self.loadPage(true); } }, t('widget-view-more'));
    this.newBtn = h('button', { type: 'button', class: 'new', hidden: true, onclick: function () { self.showNew(); } });
    var sort = h('div', { class: 'sort', role: 'group', 'aria-label': t('widget-sort-label') });
    [['oldest', t('widget-sort-oldest')], ['newest', t('widget-sort-newest')], ['top', t('widget-sort-top')]].forEach(function (o) {
      sort.appendChild(h('button', { type: 'button', 'data-sort': o[0], 'aria-pressed': o[0] === self.sort ? 'true' : 'false', onclick: function () {
        self.sort = o[0];
        Array.prototype.forEach.call(sort.children, function (b) { b.setAttribute('aria-pressed', b.dataset.sort === o[0] ? 'true' : 'false'); });
        self.loadPage(false);
      } }, o[1]));
    });
    this.root.appendChild(h('link', { rel: 'stylesheet', href: BASE + '/widget.css' }));
    this.root.appendChild(h('section', { class: 'jirga', 'aria-labelledby': 'jirga-heading', lang: L.locale, dir: L.dir },
      h('div', { class: 'head' },
        h('h2', { id: 'jirga-heading' }, tn('widget-comments-heading', { count: this.countEl })),
        sort),
      this.form(null),
      this.status,
      this.newBtn,
      this.list,
      this.moreBtn,
      h('div', { class: 'foot' },
        h('p', { class: 'note' }, t('widget-moderated-note'), ' ',
          h('a', { href: GUIDE, target: '_blank', rel: 'noopener' }, t('widget-guidelines-link'))),
        this.languages())));
  };

  /* The reader's choice of language, kept in this browser; the widget redraws in it. */
  Widget.prototype.languages = function () {
    var self = this;
    if (L.locales.length < 2) return null;
    var pick = h('select', { id: 'jirga-lang', 'aria-label': t('widget-language') });
    L.locales.forEach(function (l) {
      pick.appendChild(h('option', { value: l.tag, lang: l.tag, selected: l.tag === L.locale }, l.name));
    });
    pick.addEventListener('change', function () {
      save(LANG_KEY, pick.value);
      loadLocale([pick.value]).then(function () { self.redraw(); });
    });
    return h('p', { class: 'lang' }, h('label', { for: 'jirga-lang' }, t('widget-language')), ' ', pick);
  };

  Widget.prototype.redraw = function () {
    this.root.textContent = '';
    this.build();
    this.applyMe();
    this.loadPage(false);
    this.root.getElementById('jirga-lang').focus();
  };

  /* One message at a time in the whole widget: a composer's state or this status line. */
  Widget.prototype.quiet = function (keep) {
    if (keep !== this.status) this.status.textContent = '';
    Array.prototype.forEach.call(this.root.querySelectorAll('.message'), function (m) {
      if (m === keep) return;
      m.textContent = ''; m.className = 'message'; m.dataset.state = 'idle'; m.hidden = true;
    });
  };
  Widget.prototype.say = function (text) { this.quiet(this.status); this.status.textContent = text; };

  Widget.prototype.setCount = function (n) {
    this.count = n;
    this.countEl.textContent = num(n);
  };

  Widget.prototype.loadPage = function (more) {
    var self = this;
    var params = { site: SITE, thread: THREAD, sort: this.sort, limit: PAGE, cursor: more ? this.cursor : null };
    this.moreBtn.disabled = true;
    return request('GET', '/comments?' + q(params)).then(function (page) {
      if (!more) self.list.textContent = '';
      self.setCount(page.thread.count);
      page.comments.forEach(function (c) {
        // A comment shown live may come again with a later page: keep the one on screen.
        if (!self.shown(c.id)) self.list.appendChild(self.comment(c, 0));
      });
      self.cursor = page.next_cursor;
      self.moreBtn.hidden = !page.next_cursor;
      self.moreBtn.disabled = false;
      if (more) self.say(t('widget-more-loaded'));
    }).catch(function (e) {
      self.moreBtn.disabled = false;
      self.say(t('widget-load-failed', { why: words(e) }));
    });
  };

  /* Shows, in every compose form, who the comment will be posted as. */
  Widget.prototype.applyMe = function () {
    var me = ME || { signed_in: false, guests_allowed: true };
    Array.prototype.forEach.call(this.root.querySelectorAll('.actions .mod'), function (b) { b.hidden = !me.moderator; });
    Array.prototype.forEach.call(this.root.querySelectorAll('form.compose'), function (form) {
      var line = form.querySelector('.who');
      var guest = form.querySelector('.identity');
      line.textContent = '';
      var back = encodeURIComponent(location.href);
      if (me.signed_in) {
        append(line, [tn('widget-commenting-as', { name: h('strong', { class: 'me', dir: 'auto' }, me.name) }), ' · ',
          h('a', { href: me.account_url, target: '_top' }, t('widget-your-account'))]);
      } else {
        var lang = '&lang=' + encodeURIComponent(L.locale);
        append(line, [h('a', { href: me.sign_in_url + '?return=' + back + '&site=' + encodeURIComponent(SITE) + lang, target: '_top', class: 'sign-in' }, t('widget-sign-in')),
          ' ', t('widget-or'), ' ', h('a', { href: me.sign_up_url + '?return=' + back + lang, target: '_top' }, t('widget-create-account')),
          ' ', me.guests_allowed ? t('widget-or-guest') : t('widget-to-comment')]);
      }
      var asGuest = !me.signed_in && me.guests_allowed;
      guest.hidden = !asGuest;
      guest.querySelector('input[name="name"]').required = asGuest;
      form.querySelector('button[type="submit"]').disabled = !me.signed_in && !me.guests_allowed;
    });
  };

  /* Who is signed in, asked again (after a publisher sign-on or sign-out). */
  Widget.prototype.refreshMe = function () {
    var self = this;
    return request('GET', '/me?' + q({ site: SITE })).then(function (me) { ME = me; self.applyMe(); })
      .catch(function () { self.applyMe(); });
  };

  Widget.prototype.load = function () {
    var self = this;
    /* A publisher that signs its readers in gives the widget their token (data-jirga-token). */
    (SSO_TOKEN ? ssoLogin(SSO_TOKEN).catch(function () { /* refused: shown as signed out */ })
      : Promise.resolve()).then(function () { return self.refreshMe(); });
    return this.loadPage(false).then(function () {
      self.listen();
      self.showOwn();
      window.addEventListener('hashchange', function () { self.goTo(linked(), true); });
      return self.goTo(linked(), true);
    });
  };

  /* The comment a link names: #comment-123 on the article's address. */
  function linked() {
    var m = /^#comment-(\d{1,18})$/.exec(location.hash);
    return m ? Number(m[1]) : null;
  }
  function permalink(id) { return location.href.split('#')[0] + '#comment-' + id; }

  /* Shows the branch that holds comment `id`, wherever it is in the thread: from the page on
   * screen, or fetched (its top-level comment and every reply under it) and put first. With
   * `mark`, the comment is highlighted, scrolled to and focused. */
  Widget.prototype.goTo = function (id, mark) {
    var self = this;
    if (!id) return Promise.resolve();
    var done = function () {
      var li = self.shown(id);
      if (!li || !mark) return;
      Array.prototype.forEach.call(self.root.querySelectorAll('.linked'), function (a) { a.classList.remove('linked'); });
      var art = li.querySelector(':scope > article');
      art.classList.add('linked');
      art.setAttribute('tabindex', '-1');
      art.scrollIntoView({ block: 'center' });
      art.focus({ preventScroll: true });
    };
    if (this.shown(id)) { done(); return Promise.resolve(); }
    return request('GET', '/comments?' + q({ site: SITE, thread: THREAD, around: id })).then(function (page) {
      var top = page.comments[0];
      if (!top) return;
      var el = self.comment(top, 0);
      var old = self.shown(top.id);
      if (old) old.replaceWith(el); else self.list.insertBefore(el, self.list.firstChild);
      done();
    }).catch(function () { if (mark) self.say(t('widget-linked-gone')); });
  };

  Widget.prototype.shown = function (id) {
    return this.root.querySelector('li[data-id="' + Number(id) + '"]');
  };

  /* Live updates: new comments wait behind an "N new comments" button (so the text a reader
   * is reading does not move); edits and removals apply at once; the count follows. */
  Widget.prototype.listen = function () {
    var self = this;
    if (!window.EventSource || this.events) return;
    this.events = new EventSource(API + '/events?' + q({ site: SITE, thread: THREAD }));
    this.events.addEventListener('comment', function (e) {
      var ev;
      try { ev = JSON.parse(e.data); } catch (err) { return; }
      self.live(ev);
    });
    this.events.addEventListener('resync', function () { self.pending = []; self.newButton(); self.loadPage(false); });
  };

  Widget.prototype.live = function (ev) {
    var el = ev.comment_id != null ? this.shown(ev.comment_id) : null;
    if (ev.comment_id != null) this.counted[ev.comment_id] = true;
    this.setCount(ev.count);
    if (ev.kind === 'published' && ev.comment) {
      if (el || this.mine[ev.comment.id]) return;
      this.pending = this.pending.filter(function (c) { return c.id !== ev.comment.id; }).concat([ev.comment]);
      this.newButton();
    } else if (ev.kind === 'edited' && ev.comment && el) {
      var body = el.querySelector(':scope > article > .body');
      if (body) { body.textContent = ''; body.appendChild(safeBody(ev.comment.body_html)); }
    } else if (ev.kind === 'removed') {
      this.dropPending(ev.comment_id);
      if (!el) return;
      if (el.querySelector(':scope > .replies > li')) {
        var art = el.querySelector(':scope > article');
        art.textContent = '';
        art.setAttribute('aria-label', t('widget-deleted-label'));
        art.appendChild(h('p', { class: 'deleted' }, t('widget-deleted')));
      } else {
        el.remove();
      }
    }
  };

  Widget.prototype.dropPending = function (id) {
    this.pending = this.pending.filter(function (c) { return c.id !== id; });
    this.newButton();
  };

  Widget.prototype.newButton = function () {
    var n = this.pending.length;
    this.newBtn.hidden = n === 0;
    this.newBtn.textContent = t('widget-new-comments', { n: n });
  };

  /* Inserts the waiting comments: replies under their parent (when it is on screen), new
   * top-level comments at the top of the list, marked as new. */
  Widget.prototype.showNew = function () {
    var self = this;
    var first = null;
    var added = 0;
    this.pending.sort(function (a, b) { return a.id - b.id; }).forEach(function (c) {
      if (self.shown(c.id)) return;
      var el;
      if (c.parent_id != null) {
        var parent = self.shown(c.parent_id);
        if (!parent) return;
        el = self.comment(c, Number(parent.dataset.depth || 0) + 1);
        parent.querySelector(':scope > .replies').appendChild(el);
      } else {
        el = self.comment(c, 0);
        self.list.insertBefore(el, self.list.firstChild);
      }
      el.classList.add('fresh');
      first = first || el;
      added += 1;
    });
    this.pending = [];
    this.newButton();
    this.say(t('widget-new-shown', { n: added }));
    if (first) {
      var art = first.querySelector('article');
      art.setAttribute('tabindex', '-1');
      art.focus();
    }
  };

  /* Comments awaiting review are visible only to their author: fetch them with the edit token. */
  /* The reader's own comments of the last week that the page on screen does not show (held
   * ones, which only they see, or published ones that sit on a later page): shown first. */
  Widget.prototype.showOwn = function () {
    var self = this;
    var week = Date.now() - 7 * 86400000;
    Object.keys(this.mine).forEach(function (id) {
      var m = self.mine[id];
      if (m.thread !== THREAD || self.shown(id)) return;
      if (!m.held && !(m.at > week)) return;
      request('GET', '/comments/' + Number(id), undefined, { 'X-Jirga-Edit-Token': m.token }).then(function (own) {
        if (own.status === 'published') {
          if (m.held) { m.held = false; save(MINE_KEY, self.mine); }
          return self.goTo(Number(id), false);
        }
        if ((own.status !== 'held' && own.status !== 'rejected') || self.shown(id)) return;
        self.list.insertBefore(self.comment(own.comment, 0, own.reasons), self.list.firstChild);
      }).catch(function () { /* gone: nothing to show */ });
    });
  };

  Widget.prototype.comment = function (c, depth, reasons) {
    var self = this;
    var li = h('li', { class: 'comment' + (depth ? ' reply' : ''), id: 'comment-' + c.id, 'data-id': c.id, 'data-depth': depth });
    var art = h('article', { 'aria-label': c.author ? t('widget-comment-by', { name: c.author.name }) : t('widget-deleted-label') });
    li.appendChild(art);
    if (!c.author) {
      art.appendChild(h('p', { class: 'deleted' }, t('widget-deleted')));
    } else {
      var a = c.author;
      art.appendChild(h('header', { class: 'meta' },
        avatar(a.name),
        h('div', { class: 'byline' },
          h('p', { class: 'line' },
            h('strong', { class: 'name', dir: 'auto' }, a.name),
            a.verified ? h('span', { class: 'verified', title: t('widget-verified') }, '\u2713', h('span', { class: 'sr' }, ' ', t('widget-verified-sr'))) : null,
            ' ', h('a', { class: 'permalink', href: permalink(c.id), title: t('widget-permalink') }, timeEl(c.created_at)),
            c.edited_at ? h('span', { class: 'edited' }, ' ', t('widget-edited')) : null),
          a.affiliation ? h('p', { class: 'affiliation', dir: 'auto' }, a.affiliation) : null)));
      if (c.status === 'held') art.appendChild(this.heldNote(reasons));
      if (c.status === 'rejected') art.appendChild(this.rejectedNote(c, reasons));
      var body = h('div', { class: 'body', dir: 'auto' });
      body.appendChild(safeBody(c.body_html));
      art.appendChild(body);
      art.appendChild(this.actions(c, li, body));
    }
    var replies = h('ol', { class: 'replies', 'aria-label': t('widget-replies') });
    (c.replies || []).forEach(function (r) { replies.appendChild(self.comment(r, depth + 1)); });
    li.appendChild(replies);
    if (c.more_replies > 0) li.appendChild(this.moreReplies(c, depth, replies));
    return li;
  };

  Widget.prototype.heldNote = function (reasons) {
    return h('p', { class: 'held' }, h('strong', null, t('widget-held-title')), ' ', t('widget-held-text'), ' ', reasonsText(reasons));
  };

  /* Shown to its author only: why the comment was not published, and a way to ask the
   * moderators for another look (once; it then waits in their queue as an appeal). */
  Widget.prototype.rejectedNote = function (c, reasons) {
    var self = this;
    var m = this.mine[c.id];
    var appealed = (reasons || []).some(function (r) { return r.code === 'appeal'; });
    var why = reasonsText((reasons || []).filter(function (r) { return r.code !== 'appeal'; }));
    var note = h('div', { class: 'held rejected' },
      h('p', null, h('strong', null, t('widget-rejected-title')), ' ', t('widget-rejected-text'), ' ', why));
    if (appealed) {
      note.appendChild(h('p', null, t('widget-appeal-kept')));
      return note;
    }
    if (!m) return note;
    var ask = h('button', { type: 'button', onclick: function () {
      ask.remove();
      var text = h('textarea', { id: 'jirga-appeal-' + c.id, rows: 2, maxlength: 1000, required: true });
      var msg = h('p', { class: 'error', role: 'alert' });
      var form = h('form', { class: 'appeal', 'aria-label': t('widget-appeal-form') },
        h('label', { for: 'jirga-appeal-' + c.id }, t('widget-appeal-why')), text,
        h('div', { class: 'row' }, h('button', { type: 'submit', class: 'primary' }, t('widget-appeal-send'))), msg);
      form.addEventListener('submit', function (e) {
        e.preventDefault();
        request('POST', '/comments/' + c.id + '/appeal', { text: text.value }, { 'X-Jirga-Edit-Token': m.token }).then(function (own) {
          note.replaceWith(self.heldNote([]));
          m.held = true; save(MINE_KEY, self.mine);
          self.say(t('widget-appeal-sent'));
        }).catch(function (err) { msg.textContent = words(err); });
      });
      note.appendChild(form);
      text.focus();
    } }, t('widget-appeal-ask'));
    note.appendChild(h('div', { class: 'row' }, ask));
    return note;
  };

  Widget.prototype.moreReplies = function (c, depth, replies) {
    var self = this;
    var cursor = c.replies_cursor;
    var btn = h('button', { type: 'button', class: 'more-replies' }, t('widget-more-replies', { n: c.more_replies }));
    btn.addEventListener('click', function () {
      btn.disabled = true;
      request('GET', '/comments?' + q({ site: SITE, thread: THREAD, parent: c.id, cursor: cursor, limit: PAGE })).then(function (page) {
        page.comments.forEach(function (r) { replies.appendChild(self.comment(r, depth + 1)); });
        cursor = page.next_cursor;
        if (cursor) { btn.disabled = false; btn.textContent = t('widget-more-replies-again'); } else btn.remove();
      }).catch(function (e) { btn.disabled = false; self.say(words(e)); });
    });
    return btn;
  };

  Widget.prototype.actions = function (c, li, body) {
    var self = this;
    var bar = h('div', { class: 'actions' });
    var name = c.author.name;
    if (c.status === 'published') {
      bar.appendChild(h('button', { type: 'button', onclick: function () { self.openReply(c, li); } }, icon('reply'), t('widget-reply'),
        h('span', { class: 'sr' }, ' ', t('widget-reply-sr', { name: name }))));
      var voted = this.votes[c.id] === 1;
      /* The count shows only when someone has liked it. */
      var votes = h('span', { class: 'votes' }, c.votes > 0 ? num(c.votes) : '');
      var like = h('button', { type: 'button', class: 'like', 'aria-pressed': voted ? 'true' : 'false', title: t('widget-like-title') }, icon('like'), t('widget-like'),
        h('span', { class: 'sr' }, ' ', t('widget-comment-by-sr', { name: name })), votes);
      like.addEventListener('click', function () {
        var value = self.votes[c.id] === 1 ? 0 : 1;
        request('POST', '/comments/' + c.id + '/votes', { value: value }).then(function (r) {
          self.votes[c.id] = r.your_vote; save(VOTES_KEY, self.votes);
          votes.textContent = r.votes > 0 ? num(r.votes) : '';
          like.setAttribute('aria-pressed', r.your_vote === 1 ? 'true' : 'false');
        }).catch(function (e) { self.say(words(e)); });
      });
      bar.appendChild(like);
      bar.appendChild(h('button', { type: 'button', class: 'quiet', onclick: function () { self.openReport(c, li); } }, icon('report'), t('widget-report'),
        h('span', { class: 'sr' }, ' ', t('widget-comment-by-sr', { name: name }))));
    }
    /* A moderator of the site (signed in to the dashboard in this browser) acts here too. */
    if (c.status === 'published') {
      bar.appendChild(h('button', { type: 'button', class: 'quiet mod', hidden: !(ME && ME.moderator), onclick: function () { self.openModerate(c, li); } },
        icon('moderate'), t('widget-moderate'), h('span', { class: 'sr' }, ' ', t('widget-comment-by-sr', { name: name }))));
    }
    var m = this.mine[c.id];
    if (m && Date.parse(m.until) > Date.now()) {
      bar.appendChild(h('button', { type: 'button', onclick: function () { self.openEdit(c, li, body, m); } }, icon('edit'), t('widget-edit')));
      bar.appendChild(h('button', { type: 'button', onclick: function () { self.remove(c, li, m); } }, icon('remove'), t('widget-delete')));
    }
    return bar;
  };

  Widget.prototype.closePanels = function () {
    Array.prototype.forEach.call(this.root.querySelectorAll('.panel'), function (p) { p.remove(); });
  };

  Widget.prototype.openReply = function (c, li) {
    this.closePanels();
    var form = this.form(c);
    li.querySelector('article').after(form);
    this.applyMe();
    form.querySelector('textarea').focus();
  };

  Widget.prototype.openReport = function (c, li) {
    var self = this;
    this.closePanels();
    var reason = h('select', { name: 'reason' },
      h('option', { value: 'abusive' }, t('widget-report-abusive')), h('option', { value: 'off_topic' }, t('widget-report-off-topic')),
      h('option', { value: 'spam' }, t('widget-report-spam')), h('option', { value: 'other' }, t('widget-report-other')));
    var msg = h('p', { class: 'error', role: 'alert' });
    var panel = h('form', { class: 'panel report', 'aria-label': t('widget-report-label', { name: c.author.name }) },
      h('label', null, t('widget-report-why'), ' ', reason), ' ',
      h('button', { type: 'submit' }, t('widget-report-send')), ' ',
      h('button', { type: 'button', onclick: function () { panel.remove(); } }, t('widget-cancel')), msg);
    panel.addEventListener('submit', function (e) {
      e.preventDefault();
      request('POST', '/comments/' + c.id + '/reports', { reason: reason.value }).then(function () {
        panel.remove(); self.say(t('widget-report-sent'));
      }).catch(function (err) { msg.textContent = words(err); });
    });
    li.querySelector('article').after(panel);
    reason.focus();
  };

  /* A moderator removes a comment or bans its author from the thread itself; the same
   * decision, modlog line and author's mail as in the dashboard. */
  Widget.prototype.openModerate = function (c, li) {
    var self = this;
    this.closePanels();
    var uid = 'jirga-mod-' + c.id;
    var note = h('input', { id: uid + '-note', name: 'note', maxlength: 1000 });
    var tell = h('input', { id: uid + '-tell', type: 'checkbox', name: 'note_to_author' });
    var msg = h('p', { class: 'error', role: 'alert' });
    function act(action) {
      var body = { action: action, note: note.value || null, note_to_author: tell.checked };
      if (action === 'ban') body.ban_days = 7;
      request('POST', '/comments/' + c.id + '/decision', body, { 'X-Jirga-CSRF': ME.moderator.csrf }).then(function (r) {
        panel.remove();
        /* As the live update tells every other reader (it may come before this answer). */
        self.live({ kind: 'removed', comment_id: c.id, count: r.count });
        self.say(action === 'ban' ? t('widget-moderate-banned') : t('widget-moderate-removed'));
      }).catch(function (err) { msg.textContent = words(err); });
    }
    var panel = h('form', { class: 'panel moderate', 'aria-label': t('widget-moderate-label', { name: c.author.name }) },
      h('p', { class: 'replying' }, tn('widget-moderating-as', { name: h('strong', { dir: 'auto' }, ME.moderator.name) })),
      h('label', { for: uid + '-note' }, t('widget-moderate-note')), note,
      h('p', { class: 'notify' }, tell, h('label', { for: uid + '-tell' }, t('widget-moderate-tell'))),
      h('div', { class: 'row' },
        h('button', { type: 'button', class: 'primary', onclick: function () { act('reject'); } }, t('widget-moderate-remove')),
        h('button', { type: 'button', onclick: function () { act('ban'); } }, t('widget-moderate-ban')),
        h('button', { type: 'button', onclick: function () { panel.remove(); } }, t('widget-cancel'))),
      msg);
    panel.addEventListener('submit', function (e) { e.preventDefault(); });
    li.querySelector('article').after(panel);
    note.focus();
  };

  Widget.prototype.openEdit = function (c, li, body, m) {
    var self = this;
    this.closePanels();
    var text = h('textarea', { rows: 4, required: true, dir: 'auto', 'aria-label': t('widget-edit-label') });
    text.value = m.body || body.textContent;
    var msg = h('p', { class: 'error', role: 'alert' });
    var panel = h('form', { class: 'panel edit' }, text,
      h('div', { class: 'row' }, h('button', { type: 'submit' }, t('widget-save')), ' ',
        h('button', { type: 'button', onclick: function () { panel.remove(); } }, t('widget-cancel'))), msg);
    panel.addEventListener('submit', function (e) {
      e.preventDefault();
      request('PATCH', '/comments/' + c.id, { body: text.value }, { 'X-Jirga-Edit-Token': m.token }).then(function (own) {
        m.body = text.value; m.held = own.status === 'held'; save(MINE_KEY, self.mine);
        var fresh = self.comment(own.comment, li.classList.contains('reply') ? 1 : 0, own.reasons);
        li.replaceWith(fresh);
        self.say(own.status === 'published' ? t('widget-updated') : self.explain(own));
      }).catch(function (err) { msg.textContent = words(err); });
    });
    li.querySelector('article').after(panel);
    text.focus();
  };

  Widget.prototype.remove = function (c, li, m) {
    var self = this;
    if (!window.confirm(t('widget-delete-confirm'))) return;
    request('DELETE', '/comments/' + c.id, undefined, { 'X-Jirga-Edit-Token': m.token }).then(function () {
      var art = li.querySelector('article');
      art.textContent = '';
      art.appendChild(h('p', { class: 'deleted' }, t('widget-deleted')));
      if (c.status === 'published') self.setCount(self.count - 1);
      delete self.mine[c.id]; save(MINE_KEY, self.mine);
      self.say(t('widget-deleted-yours'));
    }).catch(function (e) { self.say(words(e)); });
  };

  /* What the author is told after posting; a hold's reasons show once, on the comment itself. */
  Widget.prototype.explain = function (own) {
    if (own.status === 'held') return t('widget-explain-held');
    return t('widget-explain-rejected');
  };

  /* The compose form: at the top for a new comment, under a comment for a reply. */
  Widget.prototype.form = function (parent) {
    var self = this;
    var me = store(AUTHOR_KEY, {});
    var uid = 'jirga-' + (parent ? 'r' + parent.id : 'new');
    var text = h('textarea', { id: uid + '-body', name: 'body', rows: parent ? 3 : 4, required: true, maxlength: 5000, dir: 'auto' });
    var name = h('input', { id: uid + '-name', name: 'name', autocomplete: 'name', required: true, maxlength: 80, dir: 'auto', value: me.name || '' });
    var email = h('input', { id: uid + '-email', name: 'email', type: 'email', autocomplete: 'email', maxlength: 254, value: me.email || '' });
    var replies = h('input', { id: uid + '-replies', name: 'notify_replies', type: 'checkbox', checked: !!me.replies });
    /* The composer's one message, by state: idle, checking, nudge, sending, published, held,
     * rejected, error. Showing one hides every other message of the widget. */
    var message = h('div', { class: 'message', role: 'status', 'aria-live': 'polite', hidden: true, 'data-state': 'idle' });
    function show(state, parts) {
      self.quiet(message);
      message.textContent = '';
      message.className = 'message ' + state + (state === 'nudge' ? ' warning' : '');
      message.dataset.state = state;
      append(message, parts);
      message.hidden = state === 'idle';
    }
    var submit = h('button', { type: 'submit', class: 'primary' }, parent ? t('widget-post-reply') : t('widget-post-comment'));
    var form = h('form', { class: parent ? 'compose panel' : 'compose', 'aria-label': parent ? t('widget-reply-to', { name: parent.author.name }) : t('widget-write') },
      parent ? h('p', { class: 'replying' }, tn('widget-replying-to', { name: h('strong', { dir: 'auto' }, parent.author.name) })) : null,
      h('p', { class: 'who' }),
      h('label', { for: uid + '-body' }, parent ? t('widget-your-reply') : t('widget-your-comment')), text,
      h('div', { class: 'row identity' },
        h('span', { class: 'field' }, h('label', { for: uid + '-name' }, t('widget-name')), name),
        h('span', { class: 'field' }, h('label', { for: uid + '-email' }, t('widget-email')), email)),
      h('p', { class: 'notify' }, replies, h('label', { for: uid + '-replies' }, t('widget-notify-replies'))),
      h('div', { class: 'row' }, submit, parent ? h('button', { type: 'button', onclick: function () { form.remove(); } }, t('widget-cancel')) : null),
      message);
    form.addEventListener('keydown', function (e) { if (e.key === 'Escape' && parent) form.remove(); });
    /* Typing again ends whatever was said about the last attempt. */
    text.addEventListener('input', function () { if (message.dataset.state !== 'idle') show('idle'); });
    function payload() {
      return {
        site: SITE, thread: THREAD, parent_id: parent ? parent.id : null, body: text.value,
        author: ME && ME.signed_in ? null : { name: name.value, email: email.value || null },
        title: document.title, url: location.href, notify_replies: replies.checked
      };
    }
    function post() {
      submit.disabled = true;
      show('sending', t('widget-posting'));
      request('POST', '/comments', payload()).then(function (own) {
        submit.disabled = false;
        self.mine[own.comment.id] = { token: own.edit_token, until: own.editable_until, thread: THREAD, held: own.status === 'held', body: text.value, at: Date.now() };
        save(MINE_KEY, self.mine);
        text.value = '';
        if (own.status === 'rejected') {
          self.list.insertBefore(self.comment(own.comment, 0, own.reasons), self.list.firstChild);
          show('rejected', self.explain(own));
          return;
        }
        var el = self.comment(own.comment, parent ? 1 : 0, own.reasons);
        if (parent) {
          var li = self.root.querySelector('li[data-id="' + parent.id + '"]');
          li.querySelector('.replies').appendChild(el);
          form.remove();
        } else {
          self.list.insertBefore(el, self.list.firstChild);
        }
        self.dropPending(own.comment.id);
        var said = own.status === 'published' ? (parent ? t('widget-reply-published') : t('widget-comment-published')) : self.explain(own);
        if (own.status === 'published') {
          if (!self.counted[own.comment.id]) self.setCount(self.count + 1);
          self.counted[own.comment.id] = true;
        }
        /* A reply's form is gone: its outcome goes to the widget's status line. */
        if (parent) self.say(said); else show(own.status, said);
        var focusable = el.querySelector('article');
        focusable.setAttribute('tabindex', '-1');
        focusable.focus();
      }).catch(function (err) {
        submit.disabled = false;
        show('error', words(err));
      });
    }
    /* Before posting, ask whether the comment would be held, and say why while it can still
     * be edited. The commenter may send it for review anyway. */
    function warn(check) {
      show('nudge', [
        h('p', null, h('strong', null, check.status === 'rejected' ? t('widget-would-reject') : t('widget-would-hold')), ' ',
          reasonsText(check.reasons)),
        h('div', { class: 'row' },
          h('button', { type: 'button', onclick: function () { show('idle'); text.focus(); } }, t('widget-edit-mine')),
          check.status === 'rejected' ? null : h('button', { type: 'button', class: 'primary', onclick: post }, t('widget-send-anyway')))
      ]);
      message.querySelector('button').focus();
    }
    form.addEventListener('submit', function (e) {
      e.preventDefault();
      save(AUTHOR_KEY, { name: name.value, email: email.value, replies: replies.checked });
      submit.disabled = true;
      show('checking', t('widget-checking'));
      request('POST', '/comments/check', payload()).then(function (check) {
        submit.disabled = false;
        // On a pre-moderated site every comment waits: nothing to warn about.
        var routine = check.reasons.every(function (r) { return r.code === 'premoderation'; });
        if (check.status === 'published' || (check.status === 'held' && routine)) post(); else warn(check);
      }).catch(function (err) {
        submit.disabled = false;
        show('error', words(err));
      });
    });
    return form;
  };

  /* The catalogue for the first of these languages the server has, else the site's default. */
  function loadLocale(wanted) {
    return fetch(API + '/locale?' + q({ site: SITE, want: wanted.join(',') })).then(function (res) {
      if (!res.ok) throw new Error(String(res.status));
      return res.json();
    }).then(setLocale).catch(function () { /* no words: keys show; the comments still work */ });
  }

  function start() {
    var host = document.getElementById(cfg.container || 'jirga');
    if (!host) {
      host = document.createElement('div');
      script.parentNode.insertBefore(host, script);
    }
    if (host.shadowRoot) return;
    /* What the page drew for readers without JavaScript: the widget takes its place. */
    host.textContent = '';
    /* data-theme="dark" or "auto" (follow the reader's system); light otherwise. */
    if (cfg.theme) host.setAttribute('data-theme', cfg.theme);
    /* The words first (one small request, cached), then the widget. */
    var wanted = [store(LANG_KEY, null), cfg.lang, document.documentElement.lang].filter(Boolean);
    var ready = loadLocale(wanted).then(function () {
      var widget = new Widget(host);
      widget.load();
      return widget;
    });
    /* The page's own sign-in and sign-out tell the widget: jirga.login(token), jirga.logout(). */
    window.jirga = {
      login: function (token) { return ssoLogin(token).then(function () { return ready; }).then(function (w) { return w.refreshMe(); }); },
      logout: function () { return ssoLogout().then(function () { return ready; }).then(function (w) { return w.refreshMe(); }); }
    };
  }
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
})();
