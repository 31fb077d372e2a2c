// polgraph explorer: a graph explorer over the public API, served at GET /.
//
// The DOM contract that the browser tests (tests/) code against, kept
// exactly: window.polgraph = {cy, ready}; input#search (combobox) with
// ul#suggestions (listbox, li[role=option][data-id]); aside#details with
// [data-testid=entity-name], button#expand, #timeline, ol#evidence > li
// with .sentence holding a <mark>, dir="rtl" lang="ar" on Arabic ones;
// ul#elements of buttons with data-id; fieldset#filter-kinds and
// #filter-types of checkboxes named kind and type; input#time-from and
// #time-to (range) with #time-from-label and #time-to-label; input#path-from,
// #path-to, button#path-find, #path-result and the class "path" on the
// path's elements; #live; button#export-png, #export-json, #export-graphml;
// #status (role status). Deviations, if ever, are listed here.
//
// Choices beyond the contract:
// - Choosing a search result replaces the view with that entity's
//   neighbourhood; Expand, paths and the timeline add to it.
// - The time window ranges over the dates of what is shown (events'
//   dates, relations' own dates or evidence spans) and follows the view as
//   it grows; at its full extent it filters nothing, narrowed it hides
//   what lies outside it and undated relations, as the API's from/to do.
// - Hidden elements get the class "filtered" (display: none).
import cytoscape from 'cytoscape';
import fcose from 'cytoscape-fcose';
import './style.css';
import { ApiError, apiGet, apiKey, ent, query, setAPIKey } from './api.js';
import { attachCombobox } from './combobox.js';
import { toGraphML } from './graphml.js';
import { fill, h, highlight, humanType, isArabic, named, plural, scriptAttrs, webURL } from './text.js';

cytoscape.use(fcose);

// Cytoscape.js adds a <style> element to the head unless an element with
// this id exists; the page's CSP refuses inline styles, and style.css
// positions the container itself. So the id is taken first.
if (!document.getElementById('__________cytoscape_stylesheet')) {
  document.head.append(Object.assign(document.createElement('meta'), { id: '__________cytoscape_stylesheet' }));
}

const kinds = ['Person', 'Organization', 'Group', 'Place', 'Event', 'Document'];
const relTypes = ['PARTICIPATED_IN', 'OCCURRED_IN', 'BASED_IN', 'MEMBER_OF', 'HOLDS_POSITION', 'FAMILY_OF',
  'ESTABLISHED', 'DISPUTES', 'ABOUT', 'ALLIED_WITH', 'OPPOSED_TO', 'LOCATED_IN', 'MENTIONS', 'REPORTS'];
// Okabe–Ito colours, told apart by most colour-blind readers; each kind
// also has its own shape.
const kindStyle = {
  Person: { color: '#0072B2', shape: 'ellipse' },
  Organization: { color: '#009E73', shape: 'round-rectangle' },
  Group: { color: '#56B4E9', shape: 'hexagon' },
  Place: { color: '#E69F00', shape: 'round-triangle' },
  Event: { color: '#CC79A7', shape: 'round-diamond' },
  Document: { color: '#8C8C8C', shape: 'rectangle' },
};
const fonts = 'system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "Noto Naskh Arabic", "Noto Sans Arabic", "DejaVu Sans", sans-serif';

const $ = (id) => document.getElementById(id);
// On a narrow screen labels wrap sooner, so that the graph fitted to the
// screen is drawn at a readable size.
const narrow = window.matchMedia('(max-width: 900px)').matches;

// ---- status ----------------------------------------------------------

const statusEl = $('status');

function setStatus(text, kind = 'info') {
  statusEl.textContent = text;
  statusEl.dataset.kind = kind;
  statusEl.setAttribute('aria-busy', kind === 'busy' ? 'true' : 'false');
}

function showError(err, what) {
  if (err?.name === 'AbortError') return;
  const msg = err instanceof ApiError ? err.message : err?.message || String(err);
  if (err instanceof ApiError && err.status === 401) {
    setStatus(`This server needs an API key to read: paste one above. (${msg})`, 'error');
    askForKey();
    return;
  }
  setStatus((what ? what + ': ' : '') + msg, 'error');
}

window.addEventListener('error', (ev) => setStatus('Something went wrong in the page: ' + ev.message, 'error'));
window.addEventListener('unhandledrejection', (ev) => showError(ev.reason));

// ---- the graph -------------------------------------------------------

const cy = cytoscape({
  container: $('graph'),
  minZoom: 0.15,
  maxZoom: 3,
  boxSelectionEnabled: false,
  selectionType: 'single',
  style: [
    {
      selector: 'node',
      style: {
        label: 'data(display)',
        'font-family': fonts,
        'font-size': 11,
        color: '#1d2733',
        'text-wrap': 'wrap',
        'text-max-width': narrow ? 90 : 150,
        'text-valign': 'bottom',
        'text-margin-y': 4,
        'text-background-color': '#ffffff',
        'text-background-opacity': 0.85,
        'text-background-padding': 2,
        'min-zoomed-font-size': 7,
        width: 26,
        height: 26,
        'border-width': 2,
        'border-color': '#ffffff',
        'background-color': '#8C8C8C',
      },
    },
    ...kinds.map((k) => ({
      selector: `node[kind="${k}"]`,
      style: { 'background-color': kindStyle[k].color, shape: kindStyle[k].shape },
    })),
    {
      selector: 'edge',
      style: {
        label: 'data(display)',
        'font-family': fonts,
        'font-size': 9,
        color: '#4a5663',
        'text-rotation': 'autorotate',
        'text-background-color': '#ffffff',
        'text-background-opacity': 0.85,
        'text-background-padding': 1,
        'min-zoomed-font-size': 8,
        width: 'mapData(confidence, 0, 1, 1, 4)',
        'line-color': '#9aa6b2',
        'target-arrow-color': '#9aa6b2',
        'target-arrow-shape': 'triangle',
        'arrow-scale': 0.9,
        'curve-style': 'bezier',
      },
    },
    { selector: 'node.centre', style: { 'border-color': '#1d2733', 'border-width': 3, width: 34, height: 34 } },
    { selector: '.path', style: { 'z-index': 10 } },
    { selector: 'node.path', style: { 'border-color': '#D55E00', 'border-width': 4 } },
    { selector: 'edge.path', style: { 'line-color': '#D55E00', 'target-arrow-color': '#D55E00', width: 5 } },
    { selector: 'node.path-alt', style: { 'border-color': '#EFA679', 'border-width': 3 } },
    { selector: 'edge.path-alt', style: { 'line-color': '#EFA679', 'target-arrow-color': '#EFA679', width: 3 } },
    { selector: 'node:selected', style: { 'border-color': '#000000', 'border-width': 5, 'overlay-opacity': 0 } },
    {
      selector: 'edge:selected',
      style: { 'line-color': '#000000', 'target-arrow-color': '#000000', width: 6, color: '#000000', 'font-weight': 'bold' },
    },
    { selector: '.changed', style: { 'overlay-color': '#14a155', 'overlay-opacity': 0.35, 'overlay-padding': 6 } },
    { selector: '.filtered', style: { display: 'none' } },
  ],
});

const state = {
  centre: null, // id of the entity whose neighbourhood was chosen
  selected: null, // id of the element in the panel
  since: '', // change feed position
  dates: [], // the view's date range, as day numbers [min, max]
};

// ---- elements --------------------------------------------------------

function nodeDisplay(d) {
  const name = d.label || d.label_ar || d.id;
  return d.label && d.label_ar ? `${d.label}\n${d.label_ar}` : name;
}

function edgeDisplay(d) {
  const q = d.role || d.title;
  return q ? `${d.label} (${q})` : d.label;
}

// entityData turns an entity of the API (paths, entities) into a node's data.
function entityData(e) {
  const d = { id: e.id, label: e.name || '', kind: e.kind };
  for (const [k, v] of [['label_ar', e.name_ar], ['subtype', e.subtype], ['event_type', e.event_type], ['date', e.date]]) {
    if (v) d[k] = v;
  }
  return d;
}

// relationData turns a relation of the API into an edge's data.
function relationData(r) {
  const d = { id: r.id, source: r.from, target: r.to, label: r.type, confidence: r.confidence, evidence_count: r.evidence_count };
  for (const k of ['role', 'title', 'date', 'first_seen', 'last_seen']) if (r[k]) d[k] = r[k];
  return d;
}

// addElements adds what is not shown yet and returns the added collection.
// An edge whose ends are not both in the graph is left out.
function addElements({ nodes = [], edges = [] }) {
  const fresh = [];
  for (const n of nodes) {
    if (cy.getElementById(n.data.id).empty()) {
      fresh.push({ group: 'nodes', data: { ...n.data, display: nodeDisplay(n.data) } });
    }
  }
  const ids = new Set(fresh.map((n) => n.data.id));
  const has = (id) => ids.has(id) || cy.getElementById(id).nonempty();
  for (const e of edges) {
    if (cy.getElementById(e.data.id).empty() && has(e.data.source) && has(e.data.target)) {
      fresh.push({ group: 'edges', data: { ...e.data, display: edgeDisplay(e.data) } });
    }
  }
  return cy.add(fresh);
}

// place puts new nodes beside a shown neighbour, so that the layout starts
// from where they belong and the rest of the view hardly moves.
function place(added) {
  added.nodes().forEach((n) => {
    const old = n.neighborhood('node').difference(added).first();
    if (old.nonempty()) {
      const p = old.position();
      n.position({ x: p.x + (Math.random() - 0.5) * 80, y: p.y + (Math.random() - 0.5) * 80 });
    }
  });
}

let layoutRun = null;

function layout({ fresh = false } = {}) {
  layoutRun?.stop();
  const n = cy.nodes().length;
  if (n === 0) return;
  layoutRun = cy.layout({
    name: 'fcose',
    quality: 'default',
    randomize: fresh,
    animate: !fresh && n < 300,
    animationDuration: 350,
    fit: true,
    padding: 40,
    nodeDimensionsIncludeLabels: true,
    idealEdgeLength: () => (narrow ? 80 : 110),
    nodeRepulsion: () => 9000,
    nodeSeparation: 90,
  });
  layoutRun.one('layoutstop', () => {
    // A few nodes fitted to the whole area would be drawn huge.
    if (cy.zoom() > 1.2) {
      cy.zoom(1.2);
      cy.center();
    }
  });
  layoutRun.run();
}

function viewChanged() {
  renderElementsList();
  updateDates();
  updateFilterCounts();
  applyFilters();
  const rels = details.querySelector('section.rels');
  if (rels && state.selected && cy.getElementById(state.selected).isNode?.()) rels.replaceWith(relationsShown(state.selected));
  $('hint').hidden = cy.elements().nonempty();
  $('graph-tools').hidden = cy.elements().empty();
}

// ---- neighbourhoods and expansion ------------------------------------

const loading = { seq: 0 };

async function showNeighbourhood(id, name) {
  const mine = ++loading.seq;
  setStatus(`Loading the neighbourhood of ${name || id}…`, 'busy');
  try {
    const net = await apiGet(ent(id) + '/network' + query({ format: 'cytoscape', depth: 1 }));
    if (mine !== loading.seq) return;
    cy.elements().remove();
    clearPath();
    const added = addElements(net.elements);
    state.centre = id;
    cy.getElementById(id).addClass('centre');
    viewChanged();
    layout({ fresh: true });
    select(id);
    const label = cy.getElementById(id).data('label') || name || id;
    document.title = `${label} — polgraph explorer`;
    // The address names the entity shown, so it can be shared or reloaded.
    history.replaceState(null, '', '#entity=' + encodeURIComponent(id));
    setStatus(
      `Showing ${label}: ${plural(added.nodes().length - 1, 'neighbour')} and ${plural(added.edges().length, 'relation')}` +
        (net.truncated ? ' (cut short by the node budget; expand to see more)' : '') +
        '. Click a relation to read its evidence.',
    );
  } catch (err) {
    showError(err, `Cannot show ${name || id}`);
  }
}

function shownIds() {
  return cy.elements().map((e) => e.id());
}

// expand adds the neighbours of id that are not shown yet: exclude= lists
// every shown node and relation, so the API answers only what is new.
async function expand(id) {
  const node = cy.getElementById(id);
  const label = node.data('label') || id;
  setStatus(`Expanding ${label}…`, 'busy');
  try {
    // Its neighbours; if they are all shown already (the centre, say), the
    // ring beyond them.
    let depth = 1;
    let net = await apiGet(ent(id) + '/network' + query({ format: 'cytoscape', depth, exclude: shownIds() }));
    if (net.elements.nodes.length === 0 && net.elements.edges.length === 0) {
      depth = 2;
      net = await apiGet(ent(id) + '/network' + query({ format: 'cytoscape', depth, exclude: shownIds() }));
    }
    const added = addElements(net.elements);
    place(added);
    viewChanged();
    if (added.nonempty()) layout();
    setStatus(
      added.empty()
        ? `Nothing new around ${label}: everything within two steps is shown.`
        : `Added ${plural(added.nodes().length, 'entity', 'entities')} and ${plural(added.edges().length, 'relation')} ` +
            (depth === 1 ? `around ${label}` : `two steps from ${label} (its neighbours were all shown)`) +
            (net.truncated ? ' (cut short by the node budget)' : '') + '.',
    );
  } catch (err) {
    showError(err, `Cannot expand ${label}`);
  }
}

// reveal shows an entity that may not be in the view yet (an event of the
// timeline), with its relations to what is shown, and selects it.
async function reveal(id) {
  if (cy.getElementById(id).nonempty()) {
    select(id);
    return;
  }
  try {
    const net = await apiGet(ent(id) + '/network' + query({ format: 'cytoscape', depth: 1, exclude: shownIds() }));
    const only = net.elements.nodes.filter((n) => n.data.id === id);
    const added = addElements({ nodes: only, edges: net.elements.edges });
    place(added);
    viewChanged();
    layout();
    select(id);
  } catch (err) {
    showError(err, 'Cannot show it');
  }
}

// ---- selection and the details panel ---------------------------------

function select(id) {
  const el = cy.getElementById(id);
  if (el.empty()) return;
  if (!el.selected()) {
    cy.elements(':selected').unselect();
    el.select(); // the select event fills the panel
  } else {
    showDetails(el);
  }
}

cy.on('select', 'node, edge', (ev) => showDetails(ev.target));
cy.on('unselect', 'node, edge', () => {
  setTimeout(() => {
    if (cy.elements(':selected').empty()) markSelected(null);
  }, 0);
});

function markSelected(id) {
  state.selected = id;
  for (const b of $('elements').querySelectorAll('button[data-id]')) {
    b.setAttribute('aria-pressed', b.dataset.id === id ? 'true' : 'false');
  }
}

const details = $('details');
let detailsSeq = 0;

function showDetails(el) {
  markSelected(el.id());
  if (el.isNode()) showEntity(el.id());
  else showRelation(el.id());
}

function dl(rows) {
  const list = h('dl', { class: 'facts' });
  for (const [k, v] of rows) {
    if (v === undefined || v === null || v === '' || (Array.isArray(v) && v.length === 0)) continue;
    list.append(h('dt', {}, k), h('dd', {}, v));
  }
  return list;
}

function seen(a, b) {
  if (!a && !b) return null;
  return a === b || !b ? a : `${a} – ${b}`;
}

async function showEntity(id) {
  const mine = ++detailsSeq;
  const node = cy.getElementById(id);
  const d = node.data() || {};
  // What the graph knows at once; the full entity follows.
  fill(details,
    h('h2', { 'data-testid': 'entity-name' }, named(d.label || d.label_ar || id)),
    h('p', { class: 'loading' }, 'Loading…'),
  );
  let e;
  try {
    e = await apiGet(ent(id));
  } catch (err) {
    if (mine !== detailsSeq) return;
    fill(details, h('h2', { 'data-testid': 'entity-name' }, named(d.label || id)), h('p', { class: 'error' }, err.message));
    showError(err, 'Cannot load the entity');
    return;
  }
  if (mine !== detailsSeq) return;
  const title = [e.title, e.title_ar].filter(Boolean);
  const kindLine = h('p', { class: 'kind-line' }, h('span', { class: `kind-badge kind-${e.kind}` }, e.kind),
    e.subtype ? ` ${e.subtype}` : '', e.event_type ? ` ${e.event_type}` : '');
  const names = h('ul', { class: 'names' });
  for (const n of [e.name, e.name_ar].filter(Boolean)) names.append(h('li', {}, named(n)));
  const aliases = (e.aliases || []).length ? h('ul', { class: 'aliases' }, e.aliases.map((a) => h('li', {}, named(a)))) : null;
  const doc = e.kind === 'Document' ? [['Outlet', e.outlet], ['Published', e.published], ['Link', webURL(e.url) ? h('a', { href: webURL(e.url), rel: 'noopener noreferrer', target: '_blank' }, e.url) : null]] : [];
  fill(details,
    h('h2', { 'data-testid': 'entity-name' }, named(e.name || e.name_ar)),
    e.name && e.name_ar ? h('p', { class: 'name-ar', lang: 'ar', dir: 'rtl' }, e.name_ar) : null,
    kindLine,
    dl([
      ['Names', names],
      ['Aliases', aliases],
      ['Title', title.length ? h('span', {}, ...title.flatMap((t, i) => [i ? ' · ' : '', named(t)])) : null],
      ['Date', e.date ? e.date + (e.date_precision && e.date_precision !== 'day' ? ` (to the ${e.date_precision})` : '') : null],
      ['CAMEO', e.cameo],
      ['Topics', (e.topics || []).join(', ')],
      ['Summary', e.summary ? named(e.summary) : null],
      ['Seen', seen(e.first_seen, e.last_seen)],
      ...doc,
    ]),
    h('div', { class: 'buttons' },
      h('button', { type: 'button', id: 'expand', on: { click: () => expand(id) } }, 'Expand'),
      node.nonempty() && state.centre !== id
        ? h('button', { type: 'button', class: 'secondary', on: { click: () => showNeighbourhood(id, e.name) } }, 'Centre here')
        : null,
      h('button', { type: 'button', class: 'secondary', on: { click: () => usePathEnd('path-from', e) } }, 'Path from'),
      h('button', { type: 'button', class: 'secondary', on: { click: () => usePathEnd('path-to', e) } }, 'Path to'),
      h('a', { href: ent(id), class: 'json', target: '_blank', rel: 'noopener' }, 'JSON'),
    ),
  );
  details.append(relationsShown(id));
  if (['Person', 'Organization', 'Group', 'Place'].includes(e.kind)) {
    const tl = h('section', { id: 'timeline', class: 'timeline', 'aria-labelledby': 'timeline-h' },
      h('h3', { id: 'timeline-h' }, 'Events over time'), h('p', { class: 'loading' }, 'Loading…'));
    details.append(tl);
    renderTimeline(tl, e, () => mine === detailsSeq);
  }
}

// relationsShown lists the shown relations of an entity, each a button
// that opens its evidence: the keyboard's way along the graph's lines.
function relationsShown(id) {
  const node = cy.getElementById(id);
  const edges = node.nonempty() ? node.connectedEdges().not('.filtered') : cy.collection();
  const section = h('section', { class: 'rels', 'aria-labelledby': 'rels-h' }, h('h3', { id: 'rels-h' }, 'Relations shown'));
  if (edges.empty()) {
    section.append(h('p', { class: 'help' }, 'None: Expand to load its neighbours.'));
    return section;
  }
  const list = h('ul', { class: 'rel-list' });
  edges.forEach((edge) => {
    const out = edge.source().id() === id;
    const other = out ? edge.target() : edge.source();
    const q = edge.data('role') || edge.data('title');
    list.append(h('li', {}, h('button', { type: 'button', class: 'linkish', dataset: { id: edge.id() }, on: { click: () => select(edge.id()) } },
      `${out ? '' : '← '}${edge.data('label')}${q ? ` (${q})` : ''}${out ? ' →' : ''} `, named(other.data('label') || other.data('label_ar'))),
    h('span', { class: 'ev-count' }, ` · ${plural(edge.data('evidence_count') || 0, 'piece')} of evidence`)));
  });
  section.append(list);
  return section;
}

function usePathEnd(inputId, e) {
  const input = $(inputId);
  input.value = e.name || e.name_ar;
  input.dataset.id = e.id;
  const other = $(inputId === 'path-from' ? 'path-to' : 'path-from');
  (other.value ? $('path-find') : other).focus();
}

// renderTimeline shows an actor's (or a place's) events by month: a bar
// per month, then the events in date order, each a button that shows it.
async function renderTimeline(tl, e, current) {
  const byPlace = e.kind === 'Place';
  let timeline, events;
  try {
    [timeline, events] = await Promise.all([
      apiGet(ent(e.id) + '/timeline' + query({ bucket: 'month' })),
      apiGet('/v1/events' + query({ [byPlace ? 'place' : 'actor']: e.id, limit: 100 })),
    ]);
  } catch (err) {
    if (!current()) return;
    fill(tl, h('h3', { id: 'timeline-h' }, 'Events over time'), h('p', { class: 'error' }, err.message));
    return;
  }
  if (!current()) return;
  const items = timeline.items || [];
  const max = Math.max(1, ...items.map((i) => i.count));
  const chart = h('div', { class: 'chart', role: 'img',
    'aria-label': items.map((i) => `${i.period}: ${plural(i.count, 'event')}`).join('; ') || 'no dated events' });
  for (const i of items) {
    chart.append(h('div', { class: 'bar-row' },
      h('span', { class: 'bar-period' }, i.period),
      h('span', { class: 'bar', style: null, dataset: { count: i.count } }),
      h('span', { class: 'bar-count' }, String(i.count))));
  }
  // Bar widths through CSSOM: the page's CSP forbids style attributes.
  chart.querySelectorAll('.bar').forEach((b) => { b.style.width = `${(Number(b.dataset.count) / max) * 100}%`; });
  const list = h('ol', { class: 'events' });
  for (const ev of events.items || []) {
    const others = (ev.participants || []).filter((p) => p.entity.id !== e.id).map((p) => p.entity.name || p.entity.name_ar);
    list.append(h('li', {},
      h('time', { datetime: ev.date || '' }, ev.date || 'undated'), ' ',
      h('button', { type: 'button', class: 'linkish', dataset: { id: ev.id }, on: { click: () => reveal(ev.id) } }, named(ev.name || ev.name_ar)),
      others.length ? h('span', { class: 'with' }, ' with ', others.join(', ')) : null,
      ev.place ? h('span', { class: 'with' }, ' in ', ev.place.name || ev.place.name_ar) : null));
  }
  const total = timeline.total ?? (events.items || []).length;
  fill(tl,
    h('h3', { id: 'timeline-h' }, 'Events over time'),
    h('p', { class: 'help' }, total ? `${plural(total, 'event')} ${byPlace ? 'here' : `with ${e.name || e.name_ar} as ${timeline.role || 'actor'}`}, by month.` : 'No events recorded.'),
    items.length ? chart : null,
    list,
    events.next ? h('p', { class: 'help' }, 'The first 100 are listed.') : null,
  );
}

async function showRelation(id) {
  const mine = ++detailsSeq;
  const edge = cy.getElementById(id);
  const d = edge.data() || {};
  fill(details, h('h2', { class: 'rel-type' }, d.label || 'Relation'), h('p', { class: 'loading' }, 'Loading the evidence…'));
  let r;
  try {
    r = await apiGet('/v1/relations/' + encodeURIComponent(id));
  } catch (err) {
    if (mine !== detailsSeq) return;
    fill(details, h('h2', { class: 'rel-type' }, d.label || 'Relation'), h('p', { class: 'error' }, err.message));
    showError(err, 'Cannot load the relation');
    return;
  }
  if (mine !== detailsSeq) return;
  const end = (eid) => {
    const n = cy.getElementById(eid);
    const label = n.nonempty() ? n.data('label') || n.data('label_ar') : eid;
    return h('button', { type: 'button', class: 'linkish', dataset: { id: eid }, on: { click: () => reveal(eid) } }, named(label));
  };
  const sources = new Map((r.sources || []).map((s) => [s.id, s]));
  const evidence = h('ol', { id: 'evidence', class: 'evidence' });
  const all = r.evidence || [];
  const renderEvidence = (list) => {
    for (const ev of list) evidence.append(evidenceItem(ev, sources.get(ev.document)));
  };
  const first = 50;
  renderEvidence(all.slice(0, first));
  fill(details,
    h('h2', { class: 'rel-type' }, r.type, r.role || r.title ? h('span', { class: 'qual' }, ` (${r.role || r.title})`) : null),
    h('p', { class: 'ends' }, end(r.from), h('span', { class: 'arrow', 'aria-label': humanType(r.type) }, ` —${humanType(r.type)}→ `), end(r.to)),
    dl([
      ['Confidence', r.confidence !== undefined ? r.confidence.toFixed(3).replace(/0+$/, '').replace(/\.$/, '') : null],
      ['Evidence', `${plural(r.evidence_count ?? all.length, 'piece')} from ${plural(sources.size, 'source')}`],
      ['Date', r.date],
      ['Seen', seen(r.first_seen, r.last_seen)],
    ]),
    h('h3', {}, 'Evidence'),
    all.length ? evidence : h('p', { class: 'help' }, 'No evidence: this relation records what a document contains.'),
    all.length > first
      ? h('button', { type: 'button', class: 'secondary', on: { click: (ev) => { renderEvidence(all.slice(first)); ev.target.remove(); } } },
          `Show all ${all.length}`)
      : null,
    h('div', { class: 'buttons' }, h('a', { href: '/v1/relations/' + encodeURIComponent(id), class: 'json', target: '_blank', rel: 'noopener' }, 'JSON')),
  );
}

// evidenceItem is one piece of evidence: its source, and the sentence
// with the span that states the fact highlighted.
function evidenceItem(ev, src) {
  const lang = src?.language || (isArabic(ev.sentence_text || ev.text) ? 'ar' : '');
  const sentence = ev.sentence_text
    ? highlight(ev.sentence_text, ev.start, ev.end, ev.sentence_start)
    : ev.text
      ? h('mark', {}, ev.text)
      : `(a record of ${ev.rule}, not a sentence)`;
  const title = src?.title || src?.url || ev.document;
  const link = webURL(src?.url)
    ? h('a', { href: webURL(src.url), target: '_blank', rel: 'noopener noreferrer', ...scriptAttrs(title, src?.language) }, title)
    : h('span', scriptAttrs(title, src?.language), title);
  return h('li', { dataset: { document: ev.document } },
    h('p', { class: 'source' }, link, src?.outlet ? h('span', { class: 'outlet' }, ' — ', src.outlet) : null,
      ' ', h('time', { datetime: src?.published || ev.date || '' }, src?.published || ev.date || '')),
    h('blockquote', { class: 'sentence', ...scriptAttrs(ev.sentence_text || ev.text, lang || undefined) }, sentence),
    h('p', { class: 'meta' }, `rule ${ev.rule} · confidence ${ev.confidence}`,
      h('a', { href: `/v1/documents/${encodeURIComponent(ev.document)}/annotations`, target: '_blank', rel: 'noopener', class: 'json' }, 'document JSON')));
}

// ---- the list of shown elements --------------------------------------

function elementLabel(el) {
  if (el.isNode()) return `${el.data('kind')}: ${el.data('label') || el.data('label_ar')}`;
  const s = el.source().data('label') || el.source().data('label_ar');
  const t = el.target().data('label') || el.target().data('label_ar');
  return `${s} — ${edgeDisplay(el.data())} → ${t}`;
}

function renderElementsList() {
  const list = $('elements');
  const items = [];
  const add = (el) => {
    items.push(h('li', { class: el.isNode() ? 'el-node' : 'el-edge', dataset: { id: el.id() } },
      h('button', { type: 'button', dataset: { id: el.id() }, 'aria-pressed': el.id() === state.selected ? 'true' : 'false',
        on: { click: () => { select(el.id()); } } },
        el.isNode() ? h('span', { class: `dot kind-${el.data('kind')}`, 'aria-hidden': 'true' }) : null,
        named(elementLabel(el)))));
  };
  cy.nodes().sort((a, b) => (a.data('label') || '').localeCompare(b.data('label') || '')).forEach(add);
  cy.edges().forEach(add);
  fill(list, ...items);
  $('elements-count').textContent = cy.elements().nonempty()
    ? `(${plural(cy.nodes().length, 'entity', 'entities')}, ${plural(cy.edges().length, 'relation')})`
    : '';
}

// ---- filters ---------------------------------------------------------

function buildFilters() {
  $('filter-kinds').append(...kinds.map((k) => h('label', { class: 'check' },
    h('input', { type: 'checkbox', name: 'kind', value: k, checked: true }),
    h('span', { class: `dot kind-${k}`, 'aria-hidden': 'true' }), ` ${k} `, h('span', { class: 'count', dataset: { for: k } }))));
  $('filter-types').append(...relTypes.map((t) => h('label', { class: 'check' },
    h('input', { type: 'checkbox', name: 'type', value: t, checked: true }),
    ` ${humanType(t)} `, h('span', { class: 'count', dataset: { for: t } }))));
  for (const fs of ['filter-kinds', 'filter-types']) $(fs).addEventListener('change', applyFilters);
  for (const id of ['time-from', 'time-to']) {
    $(id).addEventListener('input', () => onTime(id));
    $(id).addEventListener('change', () => onTime(id));
  }
}

function updateFilterCounts() {
  const counts = {};
  cy.nodes().forEach((n) => { counts[n.data('kind')] = (counts[n.data('kind')] || 0) + 1; });
  cy.edges().forEach((e) => { counts[e.data('label')] = (counts[e.data('label')] || 0) + 1; });
  document.querySelectorAll('#filter-kinds .count, #filter-types .count').forEach((c) => {
    c.textContent = counts[c.dataset.for] ? `(${counts[c.dataset.for]})` : '';
  });
}

const dayMs = 86400000;
const toDay = (s) => {
  const [y, m = 1, d = 1] = s.split('-').map(Number);
  return Math.floor(Date.UTC(y, m - 1, d) / dayMs);
};
const fromDay = (n) => new Date(n * dayMs).toISOString().slice(0, 10);
// A date's span: 2025-10 is the whole of October.
const dayEnd = (s) => {
  const parts = s.split('-').map(Number);
  if (parts.length === 3) return toDay(s);
  const [y, m] = parts;
  return Math.floor((parts.length === 2 ? Date.UTC(y, m, 1) : Date.UTC(y + 1, 0, 1)) / dayMs) - 1;
};

function elementSpan(el) {
  const d = el.data();
  const a = d.date || d.first_seen;
  const b = d.date || d.last_seen || d.first_seen;
  return a ? [toDay(a), dayEnd(b)] : null;
}

// updateDates sets the sliders' range to the dates of what is shown,
// keeping a narrowed window where it was and a full one full.
function updateDates() {
  const from = $('time-from');
  const to = $('time-to');
  let lo = Infinity;
  let hi = -Infinity;
  cy.elements().forEach((el) => {
    const s = elementSpan(el);
    if (s) {
      lo = Math.min(lo, s[0]);
      hi = Math.max(hi, s[1]);
    }
  });
  const had = state.dates;
  const wasFull = !had.length || (Number(from.value) <= had[0] && Number(to.value) >= had[1]);
  if (lo === Infinity) {
    state.dates = [];
    for (const i of [from, to]) {
      i.disabled = true;
      i.min = i.max = i.value = '0';
    }
    $('time-from-label').textContent = $('time-to-label').textContent = '—';
    return;
  }
  state.dates = [lo, hi];
  const keep = wasFull ? [lo, hi] : [Math.max(lo, Number(from.value)), Math.min(hi, Number(to.value))];
  for (const i of [from, to]) {
    i.disabled = lo === hi;
    i.min = String(lo);
    i.max = String(hi);
  }
  from.value = String(Math.min(keep[0], keep[1]));
  to.value = String(Math.max(keep[0], keep[1]));
  timeLabels();
}

function timeLabels() {
  const from = $('time-from');
  const to = $('time-to');
  if (!state.dates.length) return;
  $('time-from-label').textContent = fromDay(Number(from.value));
  $('time-to-label').textContent = fromDay(Number(to.value));
  from.setAttribute('aria-valuetext', fromDay(Number(from.value)));
  to.setAttribute('aria-valuetext', fromDay(Number(to.value)));
}

function onTime(id) {
  const from = $('time-from');
  const to = $('time-to');
  // The two ends never cross: moving one past the other pushes it.
  if (Number(from.value) > Number(to.value)) {
    if (id === 'time-from') to.value = from.value;
    else from.value = to.value;
  }
  timeLabels();
  applyFilters();
}

// applyFilters hides, by the class "filtered", the entities of unchecked
// kinds, the relations of unchecked types and, when the time window is
// narrowed, the events and relations outside it, then the entities left
// with nothing shown around them (but the centre and the selection).
function applyFilters() {
  const kindOn = new Set([...document.querySelectorAll('input[name=kind]:checked')].map((i) => i.value));
  const typeOn = new Set([...document.querySelectorAll('input[name=type]:checked')].map((i) => i.value));
  let window = null;
  if (state.dates.length) {
    const w = [Number($('time-from').value), Number($('time-to').value)];
    if (w[0] > state.dates[0] || w[1] < state.dates[1]) window = w;
  }
  const outside = (el) => {
    if (!window) return false;
    const s = elementSpan(el);
    return !s || s[1] < window[0] || s[0] > window[1];
  };
  cy.batch(() => {
    cy.elements().removeClass('filtered');
    cy.nodes().forEach((n) => {
      if (!kindOn.has(n.data('kind')) || (n.data('kind') === 'Event' && outside(n))) n.addClass('filtered');
    });
    cy.edges().forEach((e) => {
      if (!typeOn.has(e.data('label')) || outside(e) || e.source().hasClass('filtered') || e.target().hasClass('filtered')) {
        e.addClass('filtered');
      }
    });
    if (window) {
      cy.nodes().forEach((n) => {
        if (n.hasClass('filtered') || n.id() === state.centre || n.selected()) return;
        const edges = n.connectedEdges();
        if (edges.nonempty() && edges.every((e) => e.hasClass('filtered'))) n.addClass('filtered');
      });
    }
  });
  for (const li of $('elements').children) {
    li.hidden = cy.getElementById(li.dataset.id).hasClass('filtered');
  }
  const hidden = cy.elements('.filtered').length;
  $('time-help').textContent = window
    ? `${fromDay(window[0])} to ${fromDay(window[1])}: ${plural(hidden, 'element')} outside it or filtered out are hidden.`
    : 'Over the dates of the events and relations shown.';
}

// ---- paths -----------------------------------------------------------

function clearPath() {
  cy.elements('.path').removeClass('path path-alt');
  fill($('path-result'));
}

function pathEnd(input) {
  return input.dataset.id || input.value.trim();
}

async function findPaths() {
  const fromIn = $('path-from');
  const toIn = $('path-to');
  const from = pathEnd(fromIn);
  const to = pathEnd(toIn);
  const result = $('path-result');
  if (!from || !to) {
    setStatus('Type the two entities to connect, in From and To.', 'error');
    (from ? toIn : fromIn).focus();
    return;
  }
  setStatus(`Finding paths from ${fromIn.value} to ${toIn.value}…`, 'busy');
  let answer;
  try {
    answer = await apiGet('/v1/paths' + query({ from, to, k: 3 }));
  } catch (err) {
    if (err instanceof ApiError && err.status === 409 && err.problem.candidates) {
      const input = err.problem.param === 'to' ? toIn : fromIn;
      fill(result, h('p', {}, err.message), h('ul', { class: 'candidates' },
        err.problem.candidates.map((c) => h('li', {}, h('button', { type: 'button', class: 'linkish', dataset: { id: c.id },
          on: { click: () => { input.value = c.name || c.name_ar; input.dataset.id = c.id; findPaths(); } } },
        named(c.name || c.name_ar), ` (${c.kind})`)))));
      setStatus(`“${input.value}” could mean several entities: choose one under Path finder.`, 'error');
      return;
    }
    fill(result, h('p', { class: 'error' }, err.message));
    showError(err, 'No paths');
    return;
  }
  const paths = answer.paths || [];
  cy.elements('.path').removeClass('path path-alt');
  if (paths.length === 0) {
    fill(result, h('p', {}, `No path connects them within the default depth.`));
    setStatus('No path found.');
    return;
  }
  const before = cy.elements().length;
  let added = cy.collection();
  for (const p of paths) {
    added = added.union(addElements({
      nodes: p.nodes.map((n) => ({ data: entityData(n) })),
      edges: p.relations.map((r) => ({ data: relationData(r) })),
    }));
  }
  // Every path's elements get "path"; those on the shortest alone are
  // drawn strongest, the others' get "path-alt" as well.
  const best = new Set([...paths[0].nodes.map((n) => n.id), ...paths[0].relations.map((r) => r.id)]);
  for (const p of paths) {
    for (const x of [...p.nodes, ...p.relations]) {
      cy.getElementById(x.id).addClass('path').toggleClass('path-alt', !best.has(x.id));
    }
  }
  place(added);
  viewChanged();
  if (cy.elements().length !== before || before === added.length) layout({ fresh: before === 0 });
  else cy.animate({ fit: { eles: cy.elements('.path'), padding: 60 } }, { duration: 300 });
  const list = h('ol', { class: 'paths' });
  paths.forEach((p) => {
    const steps = [];
    let at = p.nodes[0];
    steps.push(stepNode(at));
    p.relations.forEach((r, i) => {
      const next = p.nodes[i + 1];
      const forward = r.from === at.id;
      steps.push(h('button', { type: 'button', class: 'step-edge linkish', dataset: { id: r.id },
        'aria-label': `${humanType(r.type)}${r.role ? ' as ' + r.role : ''}, ${plural(r.evidence_count, 'piece')} of evidence: show the evidence`,
        on: { click: () => select(r.id) } },
      `${forward ? '' : '← '}${r.type}${r.role || r.title ? ` (${r.role || r.title})` : ''}${forward ? ' →' : ''}`,
      h('span', { class: 'ev-count' }, ` · ${plural(r.evidence_count, 'piece')} of evidence`)));
      steps.push(stepNode(next));
      at = next;
    });
    list.append(h('li', {}, h('span', { class: 'steps' }, steps)));
  });
  const a = paths[0].nodes[0];
  const b = paths[0].nodes[paths[0].nodes.length - 1];
  fill(result,
    h('p', {}, `${plural(paths.length, 'path')} from `, named(a.name || a.name_ar), ' to ', named(b.name || b.name_ar),
      ', shortest first. Select a relation to read its evidence.'),
    list,
  );
  setStatus(`${plural(paths.length, 'path')} found; they are highlighted in the graph.`);
}

function stepNode(n) {
  return h('button', { type: 'button', class: 'step-node linkish', dataset: { id: n.id }, on: { click: () => select(n.id) } },
    named(n.name || n.name_ar));
}

// ---- live updates ----------------------------------------------------

const liveEl = $('live');

function setLive(s, title) {
  liveEl.textContent = s;
  liveEl.dataset.state = s;
  liveEl.title = title || 'Live updates from the change feed';
}

const pending = new Map(); // id → change
let flushTimer = 0;

function onChange(ch) {
  if (ch.seq) state.since = String(ch.seq);
  if (ch.object !== 'entity' && ch.object !== 'relation') return;
  const shown = cy.getElementById(ch.id).nonempty();
  // A new relation matters when both its ends are shown.
  if (!shown && !(ch.object === 'relation' && ch.op === 'created')) return;
  pending.set(ch.id, ch);
  clearTimeout(flushTimer);
  flushTimer = setTimeout(flushChanges, 250);
}

async function flushChanges() {
  const changes = [...pending.values()];
  pending.clear();
  let updated = 0;
  for (const ch of changes) {
    try {
      updated += await applyChange(ch);
    } catch (err) {
      if (!(err instanceof ApiError && err.status === 404)) showError(err, 'Live update');
    }
  }
  if (updated) {
    viewChanged();
    const sel = state.selected && cy.getElementById(state.selected);
    if (sel && sel.nonempty() && changes.some((c) => c.id === state.selected || c.into === state.selected)) showDetails(sel);
    setStatus(`Live: ${plural(updated, 'element')} updated from the change feed.`);
  }
}

async function applyChange(ch) {
  const el = cy.getElementById(ch.id);
  if (ch.op === 'deleted' || ch.op === 'merged') {
    if (el.empty()) return 0;
    const pos = el.isNode() ? { ...el.position() } : null;
    el.remove();
    if (ch.op === 'merged' && ch.into && cy.getElementById(ch.into).empty() && pos) {
      const into = await apiGet(ent(ch.into));
      cy.add({ group: 'nodes', data: { ...entityData(into), display: nodeDisplay(entityData(into)) }, position: pos });
    }
    if (state.centre === ch.id) state.centre = ch.into || null;
    return 1;
  }
  if (ch.object === 'entity') {
    if (el.empty()) return 0;
    const e = await apiGet(ent(ch.id));
    const d = entityData(e);
    el.data({ ...d, display: nodeDisplay(d) });
    flash(el);
    return 1;
  }
  const r = await apiGet('/v1/relations/' + encodeURIComponent(ch.id));
  const d = relationData(r);
  if (el.nonempty()) {
    el.data({ ...d, display: edgeDisplay(d) });
    flash(el);
    return 1;
  }
  const added = addElements({ edges: [{ data: d }] });
  flash(added);
  return added.length;
}

function flash(els) {
  els.flashClass?.('changed', 1500);
}

let source = null;
let pollTimer = 0;

function startLive() {
  source?.close();
  clearTimeout(pollTimer);
  if (apiKey()) {
    poll();
    return;
  }
  setLive('connecting');
  source = new EventSource('/v1/changes/stream' + query({ since: state.since }));
  source.onopen = () => setLive('live', 'Connected to /v1/changes/stream: changes to what is shown appear at once.');
  source.addEventListener('change', (ev) => {
    try {
      onChange(JSON.parse(ev.data));
    } catch {
      // A malformed event changes nothing.
    }
  });
  source.addEventListener('error', (ev) => {
    if (ev.data) {
      // The server ended the stream with a problem document: start again
      // from the last change seen, after a pause.
      setLive('reconnecting');
      source.close();
      pollTimer = setTimeout(startLive, 5000);
      return;
    }
    if (source.readyState === EventSource.CONNECTING) {
      setLive('reconnecting', 'The change feed is unreachable; the browser reconnects and resumes with Last-Event-ID.');
    } else {
      // Refused (401 when reads need a key, say): poll instead.
      setLive('offline');
      source.close();
      pollTimer = setTimeout(startLive, 10000);
    }
  });
}

// poll reads /v1/changes every few seconds, with the key: the way to live
// updates when reads need a key, which EventSource cannot send.
async function poll() {
  try {
    const page = await apiGet('/v1/changes' + query({ since: state.since, limit: 500 }));
    for (const ch of page.items || []) onChange(ch);
    if (page.next) state.since = page.next;
    setLive('polling', 'Reads need a key, so changes are read from /v1/changes every 5 seconds.');
  } catch (err) {
    setLive('offline', err.message);
  }
  pollTimer = setTimeout(poll, 5000);
}

// ---- export ----------------------------------------------------------

function download(blob, name) {
  const url = URL.createObjectURL(blob);
  const a = h('a', { href: url, download: name, hidden: true });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}

function exportName(ext) {
  const c = state.centre && cy.getElementById(state.centre);
  const base = c && c.nonempty() ? (c.data('label') || 'view').replace(/[^\p{L}\p{N}]+/gu, '-').replace(/^-|-$/g, '') : 'view';
  return `polgraph-${base || 'view'}.${ext}`;
}

function exportView(kind) {
  if (cy.elements().empty()) {
    setStatus('Nothing to export yet: show an entity first.', 'error');
    return;
  }
  const visible = cy.elements().not('.filtered');
  if (kind === 'png') {
    download(cy.png({ output: 'blob', full: true, scale: 2, bg: '#ffffff' }), exportName('png'));
  } else if (kind === 'json') {
    download(new Blob([JSON.stringify(cy.json(), null, 2)], { type: 'application/json' }), exportName('cyjs.json'));
  } else {
    const g = toGraphML({ nodes: visible.nodes().map((n) => n.data()), edges: visible.edges().map((e) => e.data()) });
    download(new Blob([g], { type: 'application/graphml+xml' }), exportName('graphml'));
  }
  setStatus(`Exported the view (${plural(visible.nodes().length, 'entity', 'entities')}, ${plural(visible.edges().length, 'relation')}).`);
}

// ---- keyboard in the graph -------------------------------------------

$('graph').addEventListener('keydown', (ev) => {
  const els = cy.elements().not('.filtered');
  if (els.empty()) return;
  const order = [...els.nodes().sort((a, b) => (a.data('label') || '').localeCompare(b.data('label') || '')), ...els.edges()];
  const at = order.findIndex((e) => e.id() === state.selected);
  switch (ev.key) {
    case 'ArrowRight':
    case 'ArrowDown':
    case 'ArrowLeft':
    case 'ArrowUp': {
      ev.preventDefault();
      const step = ev.key === 'ArrowRight' || ev.key === 'ArrowDown' ? 1 : -1;
      const next = order[(at + step + order.length) % order.length] || order[0];
      select(next.id());
      cy.animate({ center: { eles: next } }, { duration: 200 });
      break;
    }
    case 'Enter':
      if (at >= 0) {
        ev.preventDefault();
        details.focus();
      }
      break;
    case 'e':
    case 'E':
    case '+':
      if (at >= 0 && order[at].isNode()) {
        ev.preventDefault();
        expand(order[at].id());
      }
      break;
    case 'Escape':
      cy.elements(':selected').unselect();
      break;
  }
});

// ---- API key ---------------------------------------------------------

function askForKey() {
  $('key-form').hidden = false;
  $('key-toggle').hidden = false;
  $('key-toggle').setAttribute('aria-expanded', 'true');
  $('api-key').focus();
}

$('key-toggle').addEventListener('click', () => {
  const f = $('key-form');
  f.hidden = !f.hidden;
  $('key-toggle').setAttribute('aria-expanded', String(!f.hidden));
});

$('key-form').addEventListener('submit', (ev) => {
  ev.preventDefault();
  const k = $('api-key').value.trim();
  if (!k) return;
  setAPIKey(k);
  $('api-key').value = '';
  $('key-form').hidden = true;
  $('key-toggle').setAttribute('aria-expanded', 'false');
  start();
});

$('key-forget').addEventListener('click', () => {
  setAPIKey('');
  setStatus('The key is forgotten.');
  start();
});

// ---- first use -------------------------------------------------------

// suggestStart offers a starting point drawn from the data: the actor
// taking part in the most events (people first), and a path from it to
// the place where most events happened.
async function suggestStart(stats) {
  const box = $('hint-start');
  fill(box);
  const total = Object.values(stats.entities || {}).reduce((a, b) => a + b, 0);
  if (!total) {
    box.append(h('p', { class: 'help' }, 'The store is empty: load reports with ', h('code', {}, 'polgraph ingest'),
      ' or ', h('code', {}, 'POST /v1/documents'), ', or start the server with ', h('code', {}, '--demo'), '.'));
    return;
  }
  const page = await apiGet('/v1/events' + query({ limit: 100 }));
  const actors = new Map();
  const places = new Map();
  const count = (m, e, w) => {
    const c = m.get(e.id) || { e, n: 0 };
    c.n += w;
    m.set(e.id, c);
  };
  for (const ev of page.items || []) {
    for (const p of ev.participants || []) count(actors, p.entity, p.entity.kind === 'Person' ? 1.5 : 1);
    if (ev.place) count(places, ev.place, 1);
  }
  const best = (m) => [...m.values()].sort((a, b) => b.n - a.n)[0]?.e;
  const actor = best(actors);
  const where = best(places);
  if (!actor) return;
  const nameOf = (e) => e.name || e.name_ar;
  // Examples from the data in the boxes.
  $('search').placeholder = `Search a person, group, place or event: ${[actor.name, actor.name_ar].filter(Boolean).join(', ')}…`;
  $('path-from').placeholder = `e.g. ${nameOf(actor)}`;
  if (where) $('path-to').placeholder = `e.g. ${nameOf(where)}`;
  box.append(
    h('button', { type: 'button', id: 'start-here', on: { click: () => {
      $('search').value = nameOf(actor);
      showNeighbourhood(actor.id, nameOf(actor));
    } } }, 'Start with ', named(nameOf(actor))),
  );
  if (where) {
    box.append(h('button', { type: 'button', class: 'secondary', id: 'start-path', on: { click: () => {
      usePathEnd('path-from', actor);
      usePathEnd('path-to', where);
      findPaths();
    } } }, 'How is ', named(nameOf(actor)), ' connected to ', named(nameOf(where)), '?'));
  }
}

// ---- start -----------------------------------------------------------

async function start() {
  setStatus('Connecting to the API…', 'busy');
  let stats;
  try {
    stats = await apiGet('/v1/stats');
  } catch (err) {
    showError(err, 'The API did not answer');
    setLive('offline');
    return;
  }
  $('key-toggle').hidden = !apiKey();
  const total = Object.values(stats.entities || {}).reduce((a, b) => a + b, 0);
  setStatus(total
    ? `Ready: ${plural(total, 'entity', 'entities')}, ${plural(stats.evidence || 0, 'piece')} of evidence from ${plural(stats.documents || 0, 'document')}. Search to begin.`
    : 'Ready, but the store is empty.');
  state.since = state.since || (Number.isFinite(stats.changes) ? String(stats.changes) : new Date().toISOString());
  startLive();
  const linked = new URLSearchParams(location.hash.slice(1)).get('entity');
  if (linked && cy.elements().empty()) await showNeighbourhood(linked);
  try {
    await suggestStart(stats);
  } catch (err) {
    showError(err, 'Cannot suggest a starting point');
  }
}

buildFilters();
const searchBox = attachCombobox($('search'), $('suggestions'), {
  onChoose: (e) => showNeighbourhood(e.id, e.name || e.name_ar),
  onError: (err) => showError(err, 'Search failed'),
});
for (const id of ['path-from', 'path-to']) {
  attachCombobox($(id), $(`${id}-suggestions`), {
    onEnterWithout: findPaths,
    onChoose: () => {
      const other = $(id === 'path-from' ? 'path-to' : 'path-from');
      if (!pathEnd(other)) other.focus();
    },
    onError: (err) => showError(err, 'Search failed'),
  });
}
$('path-find').addEventListener('click', findPaths);
$('graph-fit').addEventListener('click', () => cy.animate({ fit: { eles: cy.elements().not('.filtered'), padding: 40 } }, { duration: 250 }));
$('graph-layout').addEventListener('click', () => layout({ fresh: true }));
$('graph-clear').addEventListener('click', () => {
  cy.elements().remove();
  state.centre = null;
  document.title = 'polgraph explorer';
  history.replaceState(null, '', location.pathname + location.search);
  clearPath();
  viewChanged();
  fill(details, h('p', { class: 'placeholder' }, 'Select an entity or a relation to see its details here.'));
  setStatus('The view is empty: search to begin again.');
  $('search').focus();
});
$('export-png').addEventListener('click', () => exportView('png'));
$('export-json').addEventListener('click', () => exportView('json'));
$('export-graphml').addEventListener('click', () => exportView('graphml'));
// The JSON links open the API's answer in a new tab; when reads need a
// key, a plain link would get 401, so the answer is fetched with the key
// and shown from a blob.
document.addEventListener('click', async (ev) => {
  const a = ev.target.closest?.('a.json');
  if (!a || !apiKey()) return;
  ev.preventDefault();
  try {
    const blob = await apiGet(a.getAttribute('href'), { as: 'blob' });
    const url = URL.createObjectURL(new Blob([blob], { type: 'application/json' }));
    window.open(url, '_blank', 'noopener');
    setTimeout(() => URL.revokeObjectURL(url), 60000);
  } catch (err) {
    showError(err, 'Cannot open the JSON');
  }
});

// "/" jumps to the search box, as on many sites.
document.addEventListener('keydown', (ev) => {
  if (ev.key === '/' && !/^(INPUT|TEXTAREA|SELECT)$/.test(document.activeElement?.tagName || '')) {
    ev.preventDefault();
    $('search').focus();
  }
});

const ready = start();
window.polgraph = { cy, ready, search: searchBox, showNeighbourhood, expand, findPaths };
