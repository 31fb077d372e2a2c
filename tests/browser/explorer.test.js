// explorer.test.js: the explorer page at GET / in Debian's headless Chromium,
// against a live `polgraph serve --demo` (issue 7). Run by
// scripts/browser-tests.sh; see README.md beside this file.
//
// Each test opens a page of its own, so one failure does not cascade, and
// saves a screenshot after each step in ARTIFACTS. The tests run in order:
// the live-update test writes an article, and the export test comes after it.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { api, ARTIFACTS, BASE, entityId, Explorer, isArabic, launch, NARROW, norm, poll } from './helpers.js';

let browser;
const ids = {};

before(async () => {
	const page = await fetch(BASE + '/');
	assert.equal(page.status, 200, `GET / answers ${page.status}: is the explorer page served?`);
	assert.match(page.headers.get('content-type') || '', /text\/html/);
	ids.haftar = await entityId('Khaled Haftar', 'person');
	ids.misrata = await entityId('Misrata', 'place');
	ids.agreement = await entityId('Agreement between Khaled Haftar and security and military leaders of Misrata', 'event');
	browser = await launch();
	console.error(`browser tests: ${BASE}, Chromium ${browser.version()}, screenshots in ${ARTIFACTS}`);
});

after(async () => {
	await browser?.close();
});

// explore runs body on a fresh page named name and closes it, failing on
// uncaught errors in the page.
async function explore(name, body, viewport) {
	const x = new Explorer(browser, name, viewport);
	try {
		await x.open();
		await body(x);
	} catch (err) {
		await x.shot('failed').catch(() => {});
		throw err;
	} finally {
		await x.close();
	}
}

test('1 search "حفتر" and open Khaled Haftar', { timeout: 60_000 }, () =>
	explore('1-search', async (x) => {
		await x.search('حفتر');
		const opt = x.option(ids.haftar);
		await opt.waitFor({ state: 'visible' });
		await poll(async () => (await x.page.locator('ul#suggestions li[role=option]').count()) > 0, 'suggestions');
		assert.equal(await x.page.locator('ul#suggestions').getAttribute('role'), 'listbox', 'ul#suggestions has no role listbox');
		const text = norm(await opt.textContent());
		assert.ok(text.includes('Khaled Haftar') || text.includes('خالد حفتر'), `the suggestion for Khaled Haftar reads ${JSON.stringify(text)}`);
		await x.shot('suggestions');
		await x.shot('suggestions-zoom', x.page.locator('ul#suggestions'));

		await opt.click();
		await x.waitShown(ids.haftar, 'Khaled Haftar');
		await x.shot('haftar-shown');
		await x.shot('details', x.page.locator('aside#details'));

		// The graph holds at least his neighbourhood as the API gives it.
		const net = await api(`/v1/entities/${ids.haftar}/network?depth=1&format=cytoscape`);
		const shown = new Set((await x.graph()).map((e) => e.id));
		const missing = net.elements.nodes.map((n) => n.data).filter((d) => !shown.has(d.id));
		assert.deepEqual(missing.map((d) => d.label), [], 'neighbours of Khaled Haftar missing from the graph');
		const panel = norm(await x.page.locator('aside#details').textContent());
		assert.equal(await x.page.locator('aside#details').getAttribute('aria-label'), 'Details');
		assert.equal(await x.page.locator('#status').getAttribute('role'), 'status', '#status has no role status');
		assert.match(panel, /Person/, 'the details panel gives his kind');
		assert.ok(panel.includes('خالد حفتر'), 'the details panel gives his Arabic name');
		// His timeline lists his events by date.
		const timeline = norm(await x.page.locator('aside#details #timeline').textContent());
		const { items: events } = await api(`/v1/events?actor=${ids.haftar}`);
		for (const ev of events) assert.ok(timeline.includes(ev.date), `#timeline lacks ${ev.date} (${ev.name})`);
	}));

test('2 expanding a neighbour adds only new elements', { timeout: 60_000 }, () =>
	explore('2-expand', async (x) => {
		await x.show('حفتر', ids.haftar, 'Khaled Haftar');
		const before = await x.graph();
		await x.shot('before');

		// Select the agreement through the element list, as a keyboard user
		// would, and expand it.
		await x.page.locator(`ul#elements button[data-id="${ids.agreement}"]`).click();
		await poll(async () => norm(await x.entityName().textContent()).startsWith('Agreement between Khaled Haftar'), 'the agreement in the details panel');
		await x.shot('agreement-selected');
		const requests = [];
		x.page.on('request', (r) => {
			if (r.url().includes(`/v1/entities/${ids.agreement}/network`)) requests.push(r.url());
		});
		await x.page.locator('aside#details #expand').click();
		const afterEls = await poll(async () => {
			const g = await x.graph();
			return g.length > before.length && g;
		}, 'more elements after expanding');
		await x.shot('expanded');

		const seen = afterEls.map((e) => e.id);
		assert.equal(new Set(seen).size, seen.length, 'duplicate ids in the graph');
		const now = new Set(seen);
		assert.deepEqual(before.filter((e) => !now.has(e.id)).map((e) => e.label), [], 'elements shown before expanding are gone');
		for (const e of afterEls.filter((e) => e.group === 'edges')) {
			assert.ok(now.has(e.source) && now.has(e.target), `edge ${e.id} has an end outside the graph`);
		}
		// The agreement's own neighbours (per the API) are all shown now.
		const net = await api(`/v1/entities/${ids.agreement}/network?depth=1&format=cytoscape`);
		const missing = net.elements.nodes.map((n) => n.data).filter((d) => !now.has(d.id));
		assert.deepEqual(missing.map((d) => d.label), [], 'neighbours of the agreement missing after expanding');
		assert.ok(requests.length > 0, 'expanding asked the API for the network');
		assert.ok(requests.every((u) => new URL(u).searchParams.has('exclude')), `expanding without exclude=: ${requests.join(' ')}`);
	}));

test('3 an edge shows its evidence with the span highlighted', { timeout: 60_000 }, () =>
	explore('3-evidence', async (x) => {
		await x.show('حفتر', ids.haftar, 'Khaled Haftar');
		// Haftar PARTICIPATED_IN the agreement: evidence in English and Arabic.
		const edge = (await x.graph()).find((e) => e.group === 'edges' && e.source === ids.haftar && e.target === ids.agreement);
		assert.ok(edge, 'no edge from Khaled Haftar to the agreement in the graph');
		const rel = await api(`/v1/relations/${edge.id}`);
		assert.ok(rel.evidence.some((ev) => isArabic(ev.text)), 'the demo relation has Arabic evidence');

		await x.page.locator(`ul#elements button[data-id="${edge.id}"]`).click();
		const items = x.page.locator('aside#details ol#evidence > li');
		await poll(async () => (await items.count()) === rel.evidence.length, `${rel.evidence.length} pieces of evidence listed`);
		await x.shot('edge-selected');
		await x.shot('details', x.page.locator('aside#details'));

		const panel = norm(await x.page.locator('aside#details').textContent());
		assert.ok(panel.includes(rel.type), `the panel names the relation type ${rel.type}`);

		const listed = await items.evaluateAll((lis) =>
			lis.map((li) => {
				const s = li.querySelector('.sentence');
				return {
					text: li.textContent,
					sentence: s && s.textContent,
					dir: s && s.getAttribute('dir'),
					lang: s && s.getAttribute('lang'),
					marks: s ? [...s.querySelectorAll('mark')].map((m) => m.textContent) : [],
					links: [...li.querySelectorAll('a[href]')].map((a) => a.getAttribute('href')),
				};
			}),
		);
		for (const ev of rel.evidence) {
			const li = listed.find((l) => l.marks.some((m) => norm(m) === norm(ev.text)));
			assert.ok(li, `no sentence whose <mark> is ${JSON.stringify(ev.text)}; marks: ${JSON.stringify(listed.map((l) => l.marks))}`);
			assert.equal(norm(li.sentence), norm(ev.sentence_text), 'the sentence shown is the evidence sentence');
			if (isArabic(ev.text)) {
				assert.equal(li.dir, 'rtl', `Arabic sentence without dir=rtl: ${ev.sentence_text}`);
				assert.equal(li.lang, 'ar', `Arabic sentence without lang=ar: ${ev.sentence_text}`);
			} else {
				assert.notEqual(li.dir, 'rtl', `English sentence laid out right to left: ${ev.sentence_text}`);
			}
			assert.ok(li.links.length > 0, `no link to the source of ${JSON.stringify(ev.text)}`);
			const doc = rel.sources.find((s) => s.id === ev.document) || {};
			assert.ok(
				[doc.title, doc.outlet].some((t) => t && norm(li.text).includes(norm(t))),
				`the source (${doc.outlet} / ${doc.title}) is not named beside ${JSON.stringify(ev.text)}`,
			);
		}
		// A closer look at the first Arabic sentence, for the eye.
		const ar = items.filter({ has: x.page.locator('.sentence[dir=rtl]') }).first();
		await ar.scrollIntoViewIfNeeded();
		await x.shot('arabic-sentence', ar);
	}));

test('4 path from Khaled Haftar to Misrata', { timeout: 60_000 }, () =>
	explore('4-path', async (x) => {
		// Type each end and choose it among the suggestions, as a user would;
		// the open list of the second end would cover the button otherwise.
		for (const [sel, name, id] of [
			['input#path-from', 'Khaled Haftar', ids.haftar],
			['input#path-to', 'Misrata', ids.misrata],
		]) {
			const input = x.page.locator(sel);
			await input.fill(name);
			const list = await input.getAttribute('aria-controls');
			const opt = (list ? x.page.locator(`[id="${list}"]`) : x.page).locator(`[role=option][data-id="${id}"]`);
			await opt.click();
			await poll(async () => !(await opt.isVisible()), `the suggestions of ${sel} to close`);
		}
		await x.shot('filled');
		await x.page.locator('button#path-find').click();
		const result = x.page.locator('#path-result');
		await poll(async () => {
			const t = norm(await result.textContent());
			return t.includes('Khaled Haftar') && t.includes('Misrata');
		}, '#path-result to name Khaled Haftar and Misrata');

		const { paths } = await api(`/v1/paths?from=${ids.haftar}&to=${ids.misrata}&k=1`);
		const want = [...paths[0].nodes.map((n) => n.id), ...paths[0].relations.map((r) => r.id)];
		await poll(async () => {
			const g = new Map((await x.graph()).map((e) => [e.id, e]));
			return want.every((id) => g.get(id)?.path);
		}, 'the shortest path\'s nodes and edges in the graph with the class path');
		await x.shot('path-found');
		await x.shot('path-result', result);
	}));

test('5 the time window hides what happened before it', { timeout: 90_000 }, () =>
	explore('5-time', async (x) => {
		await x.show('حفتر', ids.haftar, 'Khaled Haftar');
		const agreement = (await api(`/v1/entities/${ids.agreement}`)).date;
		assert.match(agreement, /^\d{4}-\d{2}-\d{2}$/);
		await x.shot('before');

		// Move the slider with the keyboard until its label is past the
		// agreement's date.
		const from = x.page.locator('input#time-from');
		const label = x.page.locator('#time-from-label');
		const steps = await from.evaluate((el) => {
			const step = Number(el.step) || 1;
			return Math.ceil((Number(el.max || 100) - Number(el.min || 0)) / step);
		});
		await from.focus();
		let chosen;
		for (let i = 0; i <= Math.min(steps, 2000); i++) {
			const m = norm(await label.textContent()).match(/\d{4}-\d{2}-\d{2}/);
			if (m && m[0] > agreement) {
				chosen = m[0];
				break;
			}
			await x.page.keyboard.press('ArrowRight');
		}
		assert.ok(chosen, `#time-from-label never showed a date after ${agreement}`);
		await x.shot('moved');
		await x.shot('filters', x.page.locator('#time-from-label').locator('xpath=ancestor::*[.//input[@id="time-from"]][1]'));

		await poll(async () => {
			const g = await x.graph();
			const early = g.filter((e) => e.date && e.date < chosen);
			return early.length > 0 && early.every((e) => !e.visible);
		}, `elements dated before ${chosen} hidden`);
		const g = await x.graph();
		const byId = new Map(g.map((e) => [e.id, e]));
		assert.equal(byId.get(ids.agreement)?.visible, false, 'the agreement is still shown');
		const later = g.filter((e) => e.date && e.date >= chosen);
		assert.ok(later.length > 0 && later.every((e) => e.visible), `elements dated from ${chosen} on are hidden too`);
		assert.equal(norm(await label.textContent()).match(/\d{4}-\d{2}-\d{2}/)[0], chosen);
	}));

test('5 kind and relation type filters hide elements at once', { timeout: 60_000 }, () =>
	explore('5-filters', async (x) => {
		await x.show('حفتر', ids.haftar, 'Khaled Haftar');
		const kinds = await x.page.evaluate(() => window.polgraph.cy.nodes().map((n) => [n.id(), n.data('kind')]));
		const events = kinds.filter(([, k]) => k === 'Event').map(([id]) => id);
		assert.ok(events.length > 0, 'no Event node shown around Khaled Haftar');
		const visible = async (list) => x.page.evaluate((list) => list.map((id) => window.polgraph.cy.getElementById(id).visible()), list);

		const eventBox = x.page.locator('fieldset#filter-kinds input[name=kind][value=Event]');
		await eventBox.uncheck();
		await poll(async () => (await visible(events)).every((v) => !v), 'Event nodes hidden with the Event box unchecked');
		await x.shot('events-hidden');
		await eventBox.check();
		await poll(async () => (await visible(events)).every((v) => v), 'Event nodes shown again');

		const typed = await x.page.evaluate(() => window.polgraph.cy.edges().map((e) => [e.id(), e.data('label')]));
		const participated = typed.filter(([, t]) => t === 'PARTICIPATED_IN').map(([id]) => id);
		const others = typed.filter(([, t]) => t !== 'PARTICIPATED_IN').map(([id]) => id);
		assert.ok(participated.length > 0 && others.length > 0, 'expected PARTICIPATED_IN and other edges around Khaled Haftar');
		const typeBox = x.page.locator('fieldset#filter-types input[name=type][value=PARTICIPATED_IN]');
		await typeBox.uncheck();
		await poll(async () => (await visible(participated)).every((v) => !v), 'PARTICIPATED_IN edges hidden');
		assert.ok((await visible(others)).every((v) => v), 'edges of other types hidden with PARTICIPATED_IN');
		await x.shot('participated-hidden');
		await typeBox.check();
		await poll(async () => (await visible(participated)).every((v) => v), 'PARTICIPATED_IN edges shown again');
	}));

test('6 narrow screen: no horizontal overflow, search works', { timeout: 60_000 }, () =>
	explore(
		'6-narrow',
		async (x) => {
			const overflow = () =>
				x.page.evaluate(() => ({
					scroll: document.documentElement.scrollWidth,
					body: document.body.scrollWidth,
					width: window.innerWidth,
				}));
			let o = await overflow();
			assert.ok(o.scroll <= o.width && o.body <= o.width, `horizontal overflow at 390 px: ${JSON.stringify(o)}`);
			await x.search('حفتر');
			await x.option(ids.haftar).waitFor({ state: 'visible' });
			await x.shot('suggestions');
			await x.option(ids.haftar).click();
			await x.waitShown(ids.haftar, 'Khaled Haftar');
			await x.shot('haftar-shown');
			await x.page.screenshot({ path: `${ARTIFACTS}/6-narrow-full-page.png`, fullPage: true });
			o = await overflow();
			assert.ok(o.scroll <= o.width && o.body <= o.width, `horizontal overflow at 390 px with Haftar shown: ${JSON.stringify(o)}`);
		},
		NARROW,
	));

test('6 keyboard: Tab to the search box, type, ArrowDown, Enter', { timeout: 60_000 }, () =>
	explore('6-keyboard', async (x) => {
		let reached = false;
		for (let i = 0; i < 40 && !reached; i++) {
			await x.page.keyboard.press('Tab');
			reached = await x.page.evaluate(() => document.activeElement?.id === 'search');
		}
		assert.ok(reached, 'Tab never reached input#search');
		await x.shot('search-focused');
		// Wait for the answer to the whole word, so that the list ArrowDown
		// moves in is not replaced by a late one.
		const answered = x.page.waitForResponse((r) => {
			const u = new URL(r.url());
			return u.pathname === '/v1/entities' && u.searchParams.get('q') === 'Haftar';
		});
		await x.page.keyboard.type('Haftar', { delay: 40 });
		await answered;
		const options = x.page.locator('ul#suggestions li[role=option]');
		await options.first().waitFor({ state: 'visible' });
		await x.page.keyboard.press('ArrowDown');
		await x.shot('arrow-down');
		// The option ArrowDown made active: aria-selected, or else the first.
		const picked = await x.page.evaluate(() => {
			const sel = document.querySelector('ul#suggestions li[role=option][aria-selected=true]');
			const first = document.querySelector('ul#suggestions li[role=option]');
			return { id: (sel || first).dataset.id, text: (sel || first).textContent, marked: !!sel };
		});
		if (!picked.marked) console.error('[6-keyboard] no option has aria-selected=true after ArrowDown');
		await x.page.keyboard.press('Enter');
		await poll(async () => (await x.neighbours(picked.id)) !== null, `the chosen suggestion (${norm(picked.text)}) in the graph`);
		const want = (await api(`/v1/entities/${picked.id}`)).name;
		await poll(async () => norm(await x.entityName().textContent()).includes(want), `the details panel to name ${want}`);
		await x.shot('picked');
	}));

test('7 live: a new article shows up on the open page', { timeout: 60_000 }, () =>
	explore('7-live', async (x) => {
		await x.show('حفتر', ids.haftar, 'Khaled Haftar');
		const live = x.page.locator('#live');
		const isLive = async () => {
			const t = norm(await live.textContent()).toLowerCase();
			return /\blive\b/.test(t) && !/not live|offline|connecting|disconnected/.test(t);
		};
		await poll(isLive, '#live to say live');
		await x.shot('live');

		const rels = async () => (await api(`/v1/entities/${ids.haftar}/relations?limit=200`)).items.filter((r) => r.type !== 'MENTIONS');
		const before = new Map((await rels()).map((r) => [r.id, r]));
		const stamp = Date.now();
		const res = await fetch(`${BASE}/v1/documents`, {
			method: 'POST',
			headers: { 'Content-Type': 'application/json' },
			body: JSON.stringify({
				url: `https://example.org/polgraph-browser-test/live-${stamp}`,
				outlet: 'polgraph browser test',
				language: 'en',
				title: 'Khaled Haftar meets Naji Issa',
				published: '2025-11-12',
				text:
					'Khaled Haftar meets Naji Issa in Benghazi\n' +
					'BENGHAZI — Khaled Haftar, chief of staff of the General Command, met Central Bank of Libya governor Naji Issa in Benghazi on Wednesday.',
			}),
		});
		assert.ok(res.status === 201 || res.status === 200, `POST /v1/documents answered ${res.status}: ${await res.text()}`);
		const afterRels = await rels();
		const added = afterRels.filter((r) => !before.has(r.id)).map((r) => r.id);
		const grown = afterRels.filter((r) => before.has(r.id) && before.get(r.id).evidence_count !== r.evidence_count);
		assert.ok(added.length + grown.length > 0, 'the article changed none of his relations');

		const how = await poll(async () => {
			const g = new Map((await x.graph()).map((e) => [e.id, e]));
			const newEdge = added.find((id) => g.has(id));
			if (newEdge) return `new edge ${newEdge}`;
			const refreshed = grown.find((r) => g.get(r.id)?.evidence_count === r.evidence_count);
			return refreshed && `edge ${refreshed.id} refreshed to ${refreshed.evidence_count} pieces of evidence`;
		}, `the page to show the new relation (${added.join(', ')}) or refresh ${grown.map((r) => r.id).join(', ')}`);
		console.error(`[7-live] ${how}`);
		assert.ok(await isLive(), '#live no longer says live');
		await x.shot('updated');
	}));

test('8 export the view as Cytoscape JSON, PNG and GraphML', { timeout: 60_000 }, () =>
	explore('8-export', async (x) => {
		await x.show('حفتر', ids.haftar, 'Khaled Haftar');
		await x.shot('shown');
		const shown = (await x.graph()).filter((e) => e.visible).map((e) => e.id);

		const json = await x.download('button#export-json', 'view.json');
		const doc = JSON.parse(json.bytes.toString('utf8'));
		const els = doc.elements ?? doc;
		const list = Array.isArray(els) ? els : [...(els.nodes || []), ...(els.edges || [])];
		const exported = new Set(list.map((e) => e.data && e.data.id));
		assert.deepEqual(shown.filter((id) => !exported.has(id)), [], 'shown elements missing from the JSON export');

		const png = await x.download('button#export-png', 'view.png');
		assert.deepEqual([...png.bytes.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], 'the PNG export is not a PNG');
		assert.ok(png.bytes.length > 1000, `the PNG export is ${png.bytes.length} bytes`);

		const gml = await x.download('button#export-graphml', 'view.graphml');
		const xml = gml.bytes.toString('utf8');
		assert.match(xml, /<graphml[\s>]/, 'the GraphML export has no graphml element');
		assert.ok(xml.includes(ids.haftar), 'the GraphML export lacks Khaled Haftar');
		await x.shot('exported');
	}));
