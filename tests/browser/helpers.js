// helpers.js: what every browser test shares: the server's address, the
// browser, pages opened on the explorer, polling, screenshots and the API.
//
// The tests read the page only through the DOM contract of issue 7 (ids,
// roles and labels, window.polgraph.cy) and ask the API for the truth to
// compare with, so they hold the page to the server's answers rather than to
// copies of them.
import { mkdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const here = path.dirname(fileURLToPath(import.meta.url));

// BASE is the live server (scripts/browser-tests.sh starts one with the demo
// data and passes its address).
export const BASE = (process.env.POLGRAPH_URL || 'http://127.0.0.1:8080').replace(/\/$/, '');

// ARTIFACTS receives a screenshot after each step, and the exports.
export const ARTIFACTS = path.resolve(process.env.POLGRAPH_ARTIFACTS || path.join(here, '../../artifacts/browser'));

// CHROMIUM is Debian's Chromium; playwright-core never downloads a browser.
export const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';

export const DESKTOP = { width: 1280, height: 800 };
export const NARROW = { width: 390, height: 844 };

// WAIT is how long a poll waits for the page to reach a state: generous,
// because CI shares two cores; nothing asserts how fast the page is.
export const WAIT = 15_000;

mkdirSync(ARTIFACTS, { recursive: true });

export async function launch() {
	return chromium.launch({
		executablePath: CHROMIUM,
		// Debian's Chromium renders the same headless; no GPU on the build machines.
		args: ['--disable-gpu', '--font-render-hinting=none'],
	});
}

// api fetches a path of the API and returns its JSON; it throws on an error
// status with the problem document, so a failing setup says why.
export async function api(p, init) {
	const res = await fetch(BASE + p, init);
	const text = await res.text();
	if (!res.ok) {
		throw new Error(`${init?.method || 'GET'} ${p}: ${res.status} ${text.slice(0, 500)}`);
	}
	return text ? JSON.parse(text) : null;
}

// entityId looks an entity up by its exact name and kind.
export async function entityId(name, kind) {
	const q = new URLSearchParams({ q: name, kind, fuzzy: 'false' });
	const { items } = await api(`/v1/entities?${q}`);
	const hit = items.find((e) => e.name === name);
	if (!hit) throw new Error(`no ${kind} named ${name} in the demo data`);
	return hit.id;
}

// isArabic tells whether a text holds Arabic letters.
export const isArabic = (s) => /[\u0600-\u06FF]/.test(s);

// norm collapses white space, for comparing texts as shown.
export const norm = (s) => (s || '').replace(/\s+/g, ' ').trim();

// poll calls fn until it returns a truthy value and returns that value; after
// timeout it fails with what and the last value or error seen.
export async function poll(fn, what, timeout = WAIT) {
	const end = Date.now() + timeout;
	let last;
	for (;;) {
		try {
			last = await fn();
			if (last) return last;
		} catch (err) {
			last = err;
		}
		if (Date.now() > end) {
			const seen = last instanceof Error ? last.message : JSON.stringify(last);
			throw new Error(`timed out after ${timeout} ms waiting for ${what} (last: ${seen})`);
		}
		await new Promise((r) => setTimeout(r, 150));
	}
}

// Explorer is one page of the explorer in a context of its own, with the
// page's uncaught errors collected and a numbered screenshot per step.
export class Explorer {
	constructor(browser, name, viewport = DESKTOP) {
		this.browser = browser;
		this.name = name;
		this.viewport = viewport;
		this.step = 0;
		this.errors = [];
		this.console = [];
	}

	async open() {
		this.context = await this.browser.newContext({
			viewport: this.viewport,
			acceptDownloads: true,
			locale: 'en-GB',
			timezoneId: 'UTC',
		});
		this.page = await this.context.newPage();
		this.page.setDefaultTimeout(WAIT);
		this.page.on('pageerror', (err) => this.errors.push(String(err)));
		this.page.on('response', (res) => {
			if (res.status() >= 400) this.console.push(`${res.status()} ${res.request().method()} ${res.url()}`);
		});
		this.page.on('console', (msg) => {
			if (msg.type() === 'error') this.console.push(msg.text());
		});
		const res = await this.page.goto(BASE + '/');
		if (!res || !res.ok()) throw new Error(`GET / answered ${res && res.status()}: no explorer page`);
		await this.page.waitForFunction(() => window.polgraph && window.polgraph.ready, null, { timeout: WAIT });
		await this.page.evaluate(() => window.polgraph.ready);
		await this.page.waitForFunction(() => window.polgraph.cy, null, { timeout: WAIT });
		await this.shot('loaded');
		return this.page;
	}

	// shot saves a screenshot of the whole page, or of one element (locator),
	// as ARTIFACTS/<test>-<step>-<what>.png.
	async shot(what, locator) {
		this.step++;
		const file = path.join(ARTIFACTS, `${this.name}-${String(this.step).padStart(2, '0')}-${what}.png`);
		if (locator) await locator.screenshot({ path: file });
		else await this.page.screenshot({ path: file });
		return file;
	}

	// close fails the test on uncaught page errors, after closing the context.
	async close() {
		if (this.console.length) {
			console.error(`[${this.name}] console errors and failed requests:\n  ${this.console.join('\n  ')}`);
		}
		await this.context?.close();
		if (this.errors.length) throw new Error(`uncaught errors in the page: ${this.errors.join('; ')}`);
	}

	// graph reads the elements in Cytoscape: ids, data the tests use,
	// visibility and the path class.
	graph() {
		return this.page.evaluate(() =>
			window.polgraph.cy.elements().map((e) => ({
				id: e.id(),
				group: e.group(),
				source: e.data('source'),
				target: e.data('target'),
				label: e.data('label'),
				date: e.data('date'),
				evidence_count: e.data('evidence_count'),
				visible: e.visible(),
				path: e.hasClass('path'),
			})),
		);
	}

	// neighbours answers the ids of the nodes next to id in the graph, or null
	// if id is not there.
	neighbours(id) {
		return this.page.evaluate((id) => {
			const n = window.polgraph.cy.getElementById(id);
			return n.length ? n.neighborhood().nodes().map((m) => m.id()) : null;
		}, id);
	}

	// search types q into the search box, found by its role and label.
	async search(q) {
		const box = this.page.getByRole('combobox', { name: 'Search entities', exact: true });
		await box.fill(q);
		return box;
	}

	option(id) {
		return this.page.locator(`ul#suggestions li[role=option][data-id="${id}"]`);
	}

	entityName() {
		return this.page.locator('aside#details [data-testid=entity-name]');
	}

	// show searches q and chooses the suggestion for id, then waits for the
	// details panel to name name and the graph to hold id with neighbours.
	async show(q, id, name) {
		await this.search(q);
		await this.option(id).click();
		await this.waitShown(id, name);
	}

	async waitShown(id, name) {
		await poll(async () => {
			const n = await this.neighbours(id);
			return n && n.length > 0;
		}, `node ${id} (${name}) with neighbours in the graph`);
		await poll(async () => norm(await this.entityName().textContent()).includes(name), `the details panel to name ${name}`);
	}

	// download clicks a button and saves what it downloads as
	// ARTIFACTS/<test>-<file>, returning the bytes.
	async download(selector, file) {
		const [dl] = await Promise.all([this.page.waitForEvent('download', { timeout: WAIT }), this.page.click(selector)]);
		const to = path.join(ARTIFACTS, `${this.name}-${file}`);
		await dl.saveAs(to);
		return { bytes: await readFile(to), suggested: dl.suggestedFilename(), file: to };
	}
}
