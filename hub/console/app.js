// The swhub operator console: plain JavaScript, no framework, no build step. It calls the hub's
// own API with the bearer token typed into the sign-in form, kept in sessionStorage (this tab
// only) and never in a URL. What an identity may not use is not shown; the API refuses it anyway.
// Every text from the API goes into the page as text (textContent), never as markup.
'use strict';

(function () {
  const TOKEN_KEY = 'swhub.token';
  const state = { who: null, casesNext: null, casesQuery: '', tasksNext: '0', deadNext: '0' };

  // ---- Helpers
  function $(selector) { return document.querySelector(selector); }

  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attrs || {})) {
      if (value === undefined || value === null || value === false) continue;
      if (name === 'text') node.textContent = String(value);
      else if (name.startsWith('on')) node.addEventListener(name.slice(2), value);
      else node.setAttribute(name, value === true ? '' : String(value));
    }
    for (const child of children.flat(Infinity)) {
      if (child === undefined || child === null) continue;
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  }

  function clear(node) { while (node.firstChild) node.removeChild(node.firstChild); return node; }

  function setStatus(text, isError) {
    const status = $('#status');
    status.textContent = text || '';
    status.className = isError ? 'error' : '';
  }

  function token() { return sessionStorage.getItem(TOKEN_KEY); }

  // A problem JSON's words: its detail and every {path, message}.
  function problemText(data, status) {
    if (data && typeof data === 'object') {
      const errors = (data.errors || []).map((e) => (e.path ? e.path + ': ' : '') + e.message);
      return [data.detail || data.title || 'HTTP ' + status].concat(errors).join('; ');
    }
    return 'HTTP ' + status;
  }

  // The hub's API with the signed-in token (none for the public estimate).
  async function api(method, path, body, anonymous) {
    const headers = { Accept: 'application/json' };
    const t = token();
    if (t && !anonymous) headers.Authorization = 'Bearer ' + t;
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    const response = await fetch(path, {
      method: method,
      headers: headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      cache: 'no-store',
      credentials: 'omit',
      redirect: 'error',
    });
    const text = await response.text();
    let data = text;
    try { data = text ? JSON.parse(text) : null; } catch (e) { /* not JSON: kept as text */ }
    if (!response.ok) {
      const error = new Error(problemText(data, response.status));
      error.status = response.status;
      error.data = data;
      throw error;
    }
    return data;
  }

  function query(params) {
    const search = new URLSearchParams();
    for (const [name, value] of Object.entries(params)) {
      if (value !== undefined && value !== null && value !== '') search.set(name, value);
    }
    const text = search.toString();
    return text ? '?' + text : '';
  }

  function stateBadge(value) { return el('span', { class: 'state ' + value, text: value }); }

  function caseLink(id) { return el('a', { href: '#/case/' + encodeURIComponent(id), text: id }); }

  function table(headers, rows) {
    return el('table', { class: 'list' },
      el('thead', {}, el('tr', {}, headers.map((h) => el('th', { text: h })))),
      el('tbody', {}, rows.map((cells) => el('tr', {}, cells.map((c) => el('td', {}, c))))));
  }

  function summary(pairs) {
    return el('dl', { class: 'summary' }, pairs.map(([name, value]) => [el('dt', { text: name }), el('dd', {}, value)]));
  }

  function fail(error) {
    setStatus(error.message, true);
    if (error.status === 401) signOut('your token is not known to this hub: sign in again');
  }

  // ---- Who is signed in, and what they may see
  function kind() { return state.who ? state.who.kind : 'public'; }

  function mayUse(kinds) { return kinds.split(' ').includes(kind()); }

  function applyIdentity() {
    for (const node of document.querySelectorAll('[data-kinds]')) node.hidden = !mayUse(node.dataset.kinds);
    $('#identity').textContent = state.who ? state.who.kind + ':' + state.who.id : '';
    $('#signout').hidden = !state.who;
    $('#signin-link').hidden = !!state.who;
  }

  async function loadIdentity() {
    if (!token()) { state.who = null; applyIdentity(); return; }
    try {
      state.who = await api('GET', '/v1/whoami');
    } catch (error) {
      state.who = null;
      sessionStorage.removeItem(TOKEN_KEY);
      setStatus(error.status === 401 ? 'that token is not known to this hub' : error.message, true);
    }
    applyIdentity();
  }

  function signOut(why) {
    sessionStorage.removeItem(TOKEN_KEY);
    state.who = null;
    applyIdentity();
    setStatus(why || 'signed out');
    go('#/signin');
  }

  // To a page, also when the hash names it already (no hashchange then).
  function go(hash) {
    if (location.hash === hash) route();
    else location.hash = hash;
  }

  // ---- Pages (the hash names one: #/cases, #/case/ID, #/tasks, ...)
  const pages = {
    signin: { kinds: 'public partner agency admin', show: () => $('#token').focus() },
    home: { kinds: 'public partner agency admin', show: showHome },
    cases: { kinds: 'partner agency admin', show: () => {} },
    case: { kinds: 'partner agency admin', show: showCase },
    tasks: { kinds: 'agency', show: () => loadTasks(true) },
    'dead-letters': { kinds: 'admin', show: () => loadDeadLetters(true) },
    routes: { kinds: 'admin', show: loadRoutes },
    stats: { kinds: 'agency admin', show: loadStats },
    estimate: { kinds: 'public partner agency admin', show: showEstimate },
  };

  function route() {
    const parts = location.hash.replace(/^#\/?/, '').split('/');
    let name = parts[0] || 'home';
    if (!pages[name]) name = 'home';
    const page = pages[name];
    if (!mayUse(page.kinds)) {
      // Not for this identity: not shown. Signed out, sign in first.
      name = state.who ? 'home' : 'signin';
    }
    for (const section of document.querySelectorAll('section.page')) section.hidden = section.id !== 'page-' + name;
    for (const link of document.querySelectorAll('#nav a')) {
      link.classList.toggle('current', link.getAttribute('href') === '#/' + name);
    }
    pages[name].show(decodeURIComponent(parts.slice(1).join('/')));
  }

  function showHome() {
    $('#home-text').textContent = state.who
      ? 'Signed in as ' + state.who.kind + ' ' + state.who.id + '. Choose a page above.'
      : 'Sign in with your token to see cases, or ask for a landed-cost estimate.';
  }

  // ---- Cases
  async function searchCases(more) {
    const form = $('#search-form');
    if (!more) {
      const params = {};
      for (const name of ['reference', 'partner', 'state', 'agency', 'from', 'to']) {
        const field = form.elements[name];
        if (field && !field.closest('[hidden]')) params[name] = field.value.trim();
      }
      // The search form always asks for a page; `?reference=R` alone is the older, unpaged view.
      params.limit = '50';
      state.casesQuery = params;
      state.casesNext = null;
      clear($('#case-list tbody'));
    }
    const params = Object.assign({}, state.casesQuery, { after: more ? state.casesNext : '' });
    try {
      const page = await api('GET', '/v1/cases' + query(params));
      const body = $('#case-list tbody');
      for (const c of page.cases) {
        body.append(el('tr', {}, el('td', {}, caseLink(c.case_id)), el('td', { text: c.reference }),
          el('td', { text: c.partner }), el('td', { text: c.filing }), el('td', {}, stateBadge(c.state)),
          el('td', { text: c.created_at })));
      }
      state.casesNext = page.next;
      $('#cases-more').hidden = !page.next;
      setStatus(body.children.length + (body.children.length === 1 ? ' case' : ' cases'));
    } catch (error) { fail(error); }
  }

  async function showCase(id) {
    const view = clear($('#case-view'));
    if (!id) return;
    try {
      const c = await api('GET', '/v1/cases/' + encodeURIComponent(id));
      setStatus('');
      view.append(el('h2', {}, 'Case ' + c.case_id + ' ', stateBadge(c.state)));
      view.append(summary([
        ['Reference', c.reference], ['Partner', c.partner], ['Filing', c.filing],
        ['Category', c.category === null ? 'not yet known' : String(c.category)],
        ['Arrived', c.arrived ? 'yes' : 'no'], ['Filed', c.created_at], ['Updated', c.updated_at],
      ]));
      if (kind() === 'agency' && c.decisions && c.decisions[state.who.id]) view.append(decisionForm(c));
      view.append(el('h3', { text: 'Decisions' }), decisionsOf(c.decisions || {}));
      view.append(el('h3', { text: 'Consignment' }), consignmentOf(c.consignment || {}));
      view.append(el('h3', { text: 'Revenue' }), revenueOf(c.revenue));
      if (Array.isArray(c.documents)) view.append(el('h3', { text: 'Documents' }), documentsOf(c));
      view.append(el('h3', { text: 'History' }), table(['At', 'Actor', 'Event', 'From', 'To'],
        (c.history || []).map((e) => [e.at, e.actor, e.kind, e.from || '', e.to || ''])));
      if (kind() === 'admin') {
        const trace = await api('GET', '/v1/admin/cases/' + encodeURIComponent(id) + '/trace');
        view.append(el('h3', { text: 'Trace' }), el('pre', { id: 'case-trace', text: JSON.stringify(trace, null, 2) }));
      }
    } catch (error) { fail(error); }
  }

  function decisionsOf(decisions) {
    const rows = [];
    for (const [agency, d] of Object.entries(decisions)) {
      const history = (d.history || []).map((h) => h.decision + ' (' + h.decided_at + '): ' + h.reason +
        (h.reason_codes && h.reason_codes.length ? ' [' + h.reason_codes.join(', ') + ']' : ''));
      rows.push([agency, d.outcome, (d.items || []).join(', '), d.decision || '', d.reason || '',
        (d.reason_codes || []).join(', '), el('ul', {}, history.map((h) => el('li', { text: h })))]);
    }
    return table(['Agency', 'Outcome', 'Items', 'Decision', 'Reason', 'Codes', 'History'], rows);
  }

  function consignmentOf(c) {
    const parties = c.parties || {};
    const party = (p) => (p ? [p.name, p.id, p.country].filter(Boolean).join(', ') : '');
    const items = (c.items || []).map((i) => [String(i.sequence), i.description, i.hs, String(i.quantity) + ' ' + (i.unit || ''),
      String(i.value) + ' ' + (i.currency || ''), i.origin || '']);
    return el('div', {},
      summary([['Seller', party(parties.seller)], ['Buyer', party(parties.buyer)],
        ['Destination', (c.route && c.route.destination) || c.destination || '']]),
      table(['#', 'Description', 'HS', 'Quantity', 'Value', 'Origin'], items),
      el('details', {}, el('summary', { text: 'As filed (JSON)' }), el('pre', { text: JSON.stringify(c, null, 2) })));
  }

  function revenueOf(r) {
    if (!r) return el('p', { text: 'none' });
    const lines = (r.lines || []).map((l) => [l.tax, l.item === null || l.item === undefined ? 'all' : String(l.item),
      String(l.base === undefined ? '' : l.base), l.rate === null || l.rate === undefined ? '' : String(l.rate),
      String(l.amount) + ' ' + (l.currency || ''), l.why || '']);
    return el('div', {},
      summary([['Model', r.model || 'not set'], ['Due', r.due === null ? '' : r.due + ' ' + (r.currency || '')],
        ['Paid', r.paid], ['Settled', r.settled ? 'yes' : 'no']]),
      table(['Tax', 'Item', 'Base', 'Rate', 'Amount', 'Why'], lines));
  }

  // Documents are fetched with the token (a plain link would go without it) and saved as a file.
  function documentsOf(c) {
    return table(['Type', 'Id', 'Media type', 'Size', 'Uploaded by', 'At', ''], c.documents.map((d) => [
      d.type, d.id, d.media_type, String(d.size), d.uploaded_by, d.uploaded_at,
      el('button', { type: 'button', text: 'Open', onclick: () => openDocument(c.case_id, d) }),
    ]));
  }

  async function openDocument(caseId, d) {
    try {
      const response = await fetch('/v1/cases/' + encodeURIComponent(caseId) + '/documents/' + encodeURIComponent(d.digest),
        { headers: { Authorization: 'Bearer ' + token() }, cache: 'no-store', credentials: 'omit' });
      if (!response.ok) throw new Error('HTTP ' + response.status);
      const url = URL.createObjectURL(await response.blob());
      const link = el('a', { href: url, download: d.id || 'document' });
      document.body.append(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10000);
    } catch (error) { fail(error); }
  }

  function decisionForm(c) {
    const form = el('form', { id: 'decision-form', class: 'card', autocomplete: 'off' },
      el('h3', { text: 'Decide for ' + state.who.id }),
      el('label', {}, 'Decision', el('select', { name: 'decision' },
        ['clear', 'hold', 'inspect', 'request-info', 'reject'].map((d) => el('option', { text: d })))),
      el('label', {}, 'Reason', el('input', { name: 'reason', required: true, size: 40 })),
      el('label', {}, 'Reason codes (comma separated)', el('input', { name: 'reason_codes' })),
      el('label', {}, 'Items (empty: all of yours)', el('input', { name: 'items' })),
      el('button', { type: 'submit', text: 'Decide' }));
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      const split = (text) => text.split(',').map((s) => s.trim()).filter(Boolean);
      const body = {
        case_id: c.case_id,
        decision: form.elements.decision.value,
        reason: form.elements.reason.value.trim(),
        reason_codes: split(form.elements.reason_codes.value),
        decided_at: new Date().toISOString(),
      };
      const items = split(form.elements.items.value).map(Number);
      if (items.length) body.items = items;
      try {
        const answer = await api('POST', '/v1/agency/decisions', body);
        await showCase(c.case_id);
        setStatus('decision ' + answer.effect + '; the case is ' + answer.state);
      } catch (error) { fail(error); }
    });
    return form;
  }

  // ---- The agency's work queue
  async function loadTasks(fresh) {
    if (fresh) { state.tasksNext = '0'; clear($('#task-list tbody')); }
    try {
      const page = await api('GET', '/v1/agency/tasks' + query({ after: state.tasksNext, limit: '50' }));
      const body = $('#task-list tbody');
      for (const t of page.tasks) {
        const m = t.message || {};
        const items = Array.isArray(m.items) ? m.items.map((i) => (typeof i === 'object' ? i.sequence : i)).join(', ') : '';
        body.append(el('tr', {}, el('td', { text: t.task_id }), el('td', {}, caseLink(t.case_id)),
          el('td', { text: m.reference || '' }), el('td', { text: items }), el('td', { text: t.created_at })));
      }
      $('#tasks-more').hidden = page.tasks.length < 50;
      state.tasksNext = page.next;
      setStatus(body.children.length + ' tasks');
    } catch (error) { fail(error); }
  }

  // ---- Dead letters (admin)
  async function loadDeadLetters(fresh) {
    if (fresh) { state.deadNext = '0'; clear($('#dead-list tbody')); }
    try {
      const page = await api('GET', '/v1/admin/dead-letters' + query({ after: state.deadNext, limit: '50' }));
      const body = $('#dead-list tbody');
      for (const d of page.dead_letters) {
        const replay = el('button', { type: 'button', text: 'Replay' });
        replay.addEventListener('click', async () => {
          try {
            await api('POST', '/v1/admin/dead-letters/' + encodeURIComponent(d.seq) + '/replay');
            setStatus('dead letter ' + d.seq + ' replayed');
            replay.closest('tr').remove();
          } catch (error) { fail(error); }
        });
        body.append(el('tr', {}, el('td', { text: d.seq }), el('td', { text: d.channel }), el('td', { text: d.recipient }),
          el('td', {}, caseLink(d.case_id)), el('td', { text: d.attempts }), el('td', { text: d.last_error }), el('td', {}, replay)));
      }
      $('#dead-more').hidden = page.dead_letters.length < 50;
      state.deadNext = page.next;
      setStatus(body.children.length + ' dead letters');
    } catch (error) { fail(error); }
  }

  // ---- Routes and the dry run (admin)
  async function loadRoutes() {
    try {
      const table = await api('GET', '/v1/admin/routes');
      const body = clear($('#route-list tbody'));
      for (const r of table.routes) {
        body.append(el('tr', {}, el('td', { text: r.name }), el('td', {}, el('code', { text: JSON.stringify(r.match) })),
          el('td', { text: r.require.join(', ') }), el('td', { text: r.notify.join(', ') })));
      }
      setStatus(table.routes.length + ' routes in force');
    } catch (error) { fail(error); }
  }

  async function dryRun(event) {
    event.preventDefault();
    const form = event.target;
    const out = clear($('#dry-run-result'));
    const body = {};
    const caseId = form.elements.case_id.value.trim();
    if (caseId) {
      body.case_id = caseId;
    } else {
      try {
        body.consignment = JSON.parse(form.elements.consignment.value);
      } catch (e) {
        setStatus('the consignment is not JSON: ' + e.message, true);
        return;
      }
      if (form.elements.partner.value.trim()) body.partner = form.elements.partner.value.trim();
      if (form.elements.category.value) body.category = Number(form.elements.category.value);
    }
    let yaml = form.elements.routes_yaml.value;
    const file = form.elements.routes_file.files[0];
    if (file) yaml = await file.text();
    if (yaml.trim()) body.routes_yaml = yaml;
    try {
      const r = await api('POST', '/v1/admin/routes/dry-run', body);
      setStatus('');
      out.append(summary([['Routes', r.routes_from === 'uploaded' ? 'the uploaded file' : 'in force'],
        ['Partner', r.partner || ''], ['Category', r.category === null ? 'unknown' : String(r.category)],
        ['Agencies', r.agencies.join(', ') || 'none'], ['Notified', r.notify.join(', ') || 'none']]));
      out.append(table(['Route', 'Requires', 'Items'], r.routes.map((m) => [m.name, m.require.join(', '), m.items.join(', ') || 'all'])));
      out.append(table(['Agency', 'Items'], Object.entries(r.items_by_agency).map(([a, items]) => [a, items.join(', ') || 'all'])));
    } catch (error) {
      fail(error);
      if (error.data && error.data.errors) {
        out.append(el('ul', { class: 'errors' }, error.data.errors.map((e) => el('li', { text: (e.path ? e.path + ': ' : '') + e.message }))));
      }
    }
  }

  // ---- Statistics (admin: the whole hub; an agency: its own), drawn as SVG bar charts. The
  // shape is the Stats schema of schemas/openapi.yaml; members it does not name are drawn as
  // found (every object of numbers a chart).
  async function loadStats(event) {
    if (event && event.preventDefault) event.preventDefault();
    const form = $('#stats-form');
    const path = kind() === 'admin' ? '/v1/admin/stats' : '/v1/agency/stats';
    const params = {};
    if (form.elements.from.value) params.from = form.elements.from.value + 'T00:00:00Z';
    if (form.elements.to.value) {
      const next = new Date(form.elements.to.value + 'T00:00:00Z');
      next.setUTCDate(next.getUTCDate() + 1);  // the day given is included
      params.to = next.toISOString().replace('.000Z', 'Z');
    }
    const view = clear($('#stats-view'));
    try {
      const stats = await api('GET', path + query(params));
      setStatus(stats.window ? 'from ' + stats.window.from + ' to ' + stats.window.to : '');
      renderStats(stats, view);
      view.append(el('details', {}, el('summary', { text: 'As served (JSON)' }), el('pre', { text: JSON.stringify(stats, null, 2) })));
    } catch (error) {
      if (error.status === 404) setStatus('this hub serves no statistics at ' + path, true);
      else fail(error);
    }
  }

  function numbers(object) {
    return Object.entries(object || {}).filter(([, v]) => typeof v === 'number' || isNumericText(v)).map(([k, v]) => [k, Number(v)]);
  }

  function chartOf(into, title, object) {
    const bars = numbers(object);
    if (bars.length) into.append(barChart(title, bars));
  }

  function percentilesTable(title, p) {
    const rows = [];
    const add = (label, x) => rows.push([label, String(x.count), String(x.p50_ms), String(x.p90_ms), String(x.p99_ms)]);
    if (p.all) add('all', p.all);
    for (const group of ['by_agency', 'by_partner', 'by_recipient']) {
      for (const [key, x] of Object.entries(p[group] || {})) add(group.slice(3) + ' ' + key, x);
    }
    return [el('h3', { text: title }), table(['', 'count', 'p50 ms', 'p90 ms', 'p99 ms'], rows)];
  }

  function renderStats(stats, view) {
    const known = new Set(['window', 'filings', 'cases_filed', 'items', 'times', 'outcomes', 'decisions_by_agency',
      'revenue', 'delivery', 'cases_by_state']);
    const charts = el('div', { class: 'charts' });
    const counts = Object.entries(stats).filter(([k, v]) => !known.has(k) && typeof v !== 'object');
    if (counts.length) view.append(summary(counts.map(([k, v]) => [k, String(v)])));
    chartOf(charts, 'journal', Object.fromEntries(counts));
    for (const name of ['filings', 'cases_filed', 'items']) {
      const c = stats[name];
      if (!c) continue;
      for (const group of ['by_partner', 'by_kind', 'by_category', 'by_recipient']) {
        chartOf(charts, name.replace('_', ' ') + ' ' + group.replace('_', ' ') + ' (total ' + c.total + ')', c[group]);
      }
    }
    chartOf(charts, 'cases by state now', stats.cases_by_state);
    for (const [outcome, o] of Object.entries(stats.outcomes || {})) chartOf(charts, outcome + ': reasons', o.reasons);
    const decisions = {};
    for (const [outcome, o] of Object.entries(stats.outcomes || {})) decisions[outcome] = o.decisions;
    chartOf(charts, 'decisions by outcome', decisions);
    for (const [agency, c] of Object.entries(stats.decisions_by_agency || {})) chartOf(charts, agency + ': decisions', c);
    for (const [what, money] of Object.entries(stats.revenue || {})) {
      for (const [group, byKey] of Object.entries(money || {})) {
        if (group === 'total') { chartOf(charts, 'revenue ' + what + ' total', byKey); continue; }
        for (const [key, amounts] of Object.entries(byKey || {})) chartOf(charts, 'revenue ' + what + ' ' + key, amounts);
      }
    }
    if (stats.delivery && stats.delivery.dead_letters) chartOf(charts, 'dead letters by recipient', stats.delivery.dead_letters.by_recipient);
    view.append(charts);
    for (const [name, p] of Object.entries(stats.times || {})) {
      const title = name.replace(/_/g, ' ');
      const byAgency = {};
      for (const [agency, x] of Object.entries(p.by_agency || {})) byAgency[agency] = x.p90_ms;
      if (Object.keys(byAgency).length) charts.append(barChart(title + ': p90 ms by agency', Object.entries(byAgency)));
      view.append(...percentilesTable(title, p));
    }
    if (stats.delivery && stats.delivery.latency) view.append(...percentilesTable('delivery latency', stats.delivery.latency));
    // What the schema does not name yet, drawn as found.
    for (const [key, value] of Object.entries(stats)) {
      if (!known.has(key) && value && typeof value === 'object') collectCharts(value, key, charts);
    }
  }

  // Every object whose members are numbers becomes one bar chart; an array of objects becomes
  // one chart per numeric member, labelled by the objects' first text member.
  function collectCharts(value, path, into) {
    if (Array.isArray(value)) {
      const objects = value.filter((v) => v && typeof v === 'object' && !Array.isArray(v));
      if (objects.length && objects.length === value.length) {
        const labelKey = Object.keys(objects[0]).find((k) => typeof objects[0][k] === 'string');
        const numeric = Object.keys(objects[0]).filter((k) => typeof objects[0][k] === 'number' || isNumericText(objects[0][k]));
        for (const key of numeric) {
          into.append(barChart(path + ' ' + key, objects.map((o, i) => [labelKey ? o[labelKey] : String(i + 1), Number(o[key])])));
        }
        objects.forEach((o, i) => collectNested(o, path + '[' + (labelKey ? o[labelKey] : i) + ']', into));
      }
      return;
    }
    if (!value || typeof value !== 'object') return;
    const bars = Object.entries(value).filter(([, v]) => typeof v === 'number');
    if (bars.length >= 1) into.append(barChart(path || 'totals', bars));
    collectNested(value, path, into);
  }

  function collectNested(object, path, into) {
    for (const [key, v] of Object.entries(object)) {
      if (v && typeof v === 'object') collectCharts(v, path ? path + '.' + key : key, into);
    }
  }

  function isNumericText(v) { return typeof v === 'string' && v !== '' && /^-?[0-9]+(\.[0-9]+)?$/.test(v); }

  const SVG = 'http://www.w3.org/2000/svg';
  function svg(tag, attrs, text) {
    const node = document.createElementNS(SVG, tag);
    for (const [name, value] of Object.entries(attrs)) node.setAttribute(name, String(value));
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function barChart(title, bars) {
    const width = 420, row = 20, left = 150, top = 24;
    const height = top + bars.length * row + 8;
    const max = Math.max(1, ...bars.map(([, v]) => Math.abs(v)));
    const chart = svg('svg', { class: 'chart', width: width, height: height, viewBox: '0 0 ' + width + ' ' + height, role: 'img' });
    chart.append(svg('text', { x: 6, y: 16, 'font-weight': 'bold' }, title));
    bars.forEach(([label, v], i) => {
      const y = top + i * row;
      const w = Math.round((Math.abs(v) / max) * (width - left - 60));
      chart.append(svg('text', { x: 6, y: y + 13 }, String(label).slice(0, 22)));
      chart.append(svg('rect', { x: left, y: y + 3, width: Math.max(w, 1), height: row - 6 }));
      chart.append(svg('text', { x: left + w + 4, y: y + 13 }, String(v)));
    });
    return chart;
  }

  // ---- The public landed-cost estimate (no sign-in)
  function addEstimateItem() {
    const body = $('#estimate-items tbody');
    body.append(el('tr', {},
      el('td', {}, el('input', { name: 'description', required: true })),
      el('td', {}, el('input', { name: 'hs', size: 10 })),
      el('td', {}, el('input', { name: 'value', required: true, size: 8, inputmode: 'decimal' })),
      el('td', {}, el('input', { name: 'currency', value: 'EUR', size: 4 })),
      el('td', {}, el('input', { name: 'origin', value: 'CN', size: 3 }))));
  }

  function showEstimate() {
    if (!$('#estimate-items tbody').children.length) addEstimateItem();
  }

  // GET /v1/public/estimate: items indexed from 0 (`items[0].hs`); a field of digits is an HS
  // code, anything else a search word the hub looks up in its nomenclature.
  async function estimate(event) {
    event.preventDefault();
    const form = event.target;
    const params = new URLSearchParams();
    params.set('destination', form.elements.destination.value.trim().toUpperCase());
    if (form.elements.model.value) params.set('model', form.elements.model.value);
    if (form.elements.departure.value.trim()) params.set('departure', form.elements.departure.value.trim().toUpperCase());
    [...$('#estimate-items tbody').children].forEach((row, i) => {
      for (const input of row.querySelectorAll('input')) {
        const value = input.value.trim();
        if (!value) continue;
        let name = input.name;
        if (name === 'hs' && !/^[0-9]{6,10}$/.test(value)) name = 'search';
        params.set('items[' + i + '].' + name, ['currency', 'origin'].includes(name) ? value.toUpperCase() : value);
      }
    });
    const out = clear($('#estimate-result'));
    try {
      const r = await api('GET', '/v1/public/estimate?' + params.toString(), undefined, true);
      setStatus('');
      out.append(el('p', { class: 'card', text: r.notice }));
      out.append(summary([
        ['Category', r.category === null ? 'not known' : String(r.category)],
        ['Collection model', r.model + (r.model_reason ? ' (' + r.model_reason + ')' : '')],
        ['Total', r.total + ' ' + r.currency], ['Due at the border', r.due + ' ' + r.currency],
        ['Rates of', r.assessed_on],
      ]));
      out.append(el('h3', { text: 'Duties, taxes and charges' }), table(['Line', 'Item', 'Base', 'Rate', 'Amount', 'Legal basis'],
        (r.lines || []).map((l) => [l.tax, l.item === null || l.item === undefined ? 'all' : String(l.item), l.base,
          l.rate === null || l.rate === undefined ? 'fixed' : l.rate + ' %', l.amount + ' ' + l.currency,
          l.why + (l.collected_at_sale ? ' (collected at sale)' : '')])));
      out.append(el('h3', { text: 'Agencies and what they require' }), table(['Item', 'HS', 'Agency', 'Decides', 'Requirements'],
        (r.items || []).flatMap((item) => (item.agencies.length ? item.agencies : [null]).map((a) => [
          String(item.item) + ' ' + item.description, item.hs + (item.resolved_from ? ' (from "' + item.resolved_from + '")' : ''),
          a ? a.name : 'none', a ? a.decides || '' : '',
          a ? el('ul', {}, a.requirements.map((q) => el('li', { text: q.text + (q.document_types ? ' [' + q.document_types.join(', ') + ']' : '') }))) : '',
        ]))));
    } catch (error) {
      fail(error);
      const data = error.data || {};
      // An ambiguous search word: the headings it fits, to pick one as the HS code.
      for (const c of Array.isArray(data.candidates) ? data.candidates : []) {
        out.append(el('p', { text: c.path + ' "' + c.search + '" fits several headings: give one as the HS code' }),
          el('ul', {}, (c.headings || []).map((h) => el('li', { text: h.hs + ' ' + h.description }))));
      }
    }
  }

  // ---- Start
  document.addEventListener('DOMContentLoaded', async () => {
    $('#signin-form').addEventListener('submit', async (event) => {
      event.preventDefault();
      const field = $('#token');
      const typed = field.value.trim();
      field.value = '';
      if (!typed) return;
      sessionStorage.setItem(TOKEN_KEY, typed);
      await loadIdentity();
      if (state.who) {
        setStatus('signed in as ' + state.who.kind + ' ' + state.who.id);
        go(state.who.kind === 'agency' ? '#/tasks' : '#/cases');
      }
    });
    $('#signout').addEventListener('click', () => signOut());
    $('#search-form').addEventListener('submit', (event) => { event.preventDefault(); searchCases(false); });
    $('#cases-more').addEventListener('click', () => searchCases(true));
    $('#tasks-more').addEventListener('click', () => loadTasks(false));
    $('#dead-more').addEventListener('click', () => loadDeadLetters(false));
    $('#dry-run-form').addEventListener('submit', dryRun);
    $('#stats-form').addEventListener('submit', loadStats);
    $('#estimate-add').addEventListener('click', addEstimateItem);
    $('#estimate-form').addEventListener('submit', estimate);
    window.addEventListener('hashchange', route);
    await loadIdentity();
    route();
  });
})();
