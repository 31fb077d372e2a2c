// Unit tests of the page's pure helpers, run by scripts/build-explorer.sh
// with node's test runner (the page itself is tested in a browser by
// tests/browser).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { humanType, isArabic, scriptAttrs, splitSpan, webURL } from '../src/text.js';
import { toGraphML } from '../src/graphml.js';

test('splitSpan cuts by code points, offsets relative to the sentence', () => {
  // The API's evidence: rune offsets into the document, sentence_start the
  // sentence's own.
  const sentence = 'Lt. Gen. Khaled Haftar, chief of staff';
  assert.deepEqual(splitSpan(sentence, 64, 77, 55), ['Lt. Gen. ', 'Khaled Haftar', ', chief of staff']);
  // A character outside the BMP counts once, not twice as in UTF-16.
  const emoji = '🇱🇾 خالد حفتر قال';
  assert.deepEqual(splitSpan(emoji, 13, 22, 10), ['🇱🇾 ', 'خالد حفتر', ' قال']);
  assert.deepEqual(splitSpan('a𝒳b', 1, 2, 0), ['a', '𝒳', 'b']);
});

test('splitSpan clamps offsets outside the sentence and marks nothing for an empty span', () => {
  assert.deepEqual(splitSpan('abc', 0, 10, 0), ['', 'abc', '']);
  assert.deepEqual(splitSpan('abc', 2, 1, 0), ['ab', '', 'c']);
  assert.deepEqual(splitSpan('abc', 5, 9, 10), ['', '', 'abc']);
  assert.deepEqual(splitSpan('', 0, 3, 0), ['', '', '']);
  assert.deepEqual(splitSpan(undefined, undefined, undefined, undefined), ['', '', '']);
});

test('Arabic script and direction', () => {
  assert.ok(isArabic('خالد حفتر'));
  assert.ok(!isArabic('Khaled Haftar'));
  assert.deepEqual(scriptAttrs('مصراتة'), { lang: 'ar', dir: 'rtl' });
  assert.deepEqual(scriptAttrs('Misrata'), { dir: 'ltr' });
  assert.deepEqual(scriptAttrs('Misrata', 'ar'), { lang: 'ar', dir: 'rtl' });
  assert.deepEqual(scriptAttrs('مصراتة', 'en'), { lang: 'en', dir: 'ltr' });
});

test('webURL keeps only http(s) links', () => {
  assert.equal(webURL('https://example.org/a?b=1'), 'https://example.org/a?b=1');
  assert.equal(webURL('javascript:alert(1)'), '');
  assert.equal(webURL('data:text/html,x'), '');
  assert.equal(webURL('not a url'), '');
  assert.equal(webURL(undefined), '');
});

test('humanType', () => {
  assert.equal(humanType('PARTICIPATED_IN'), 'participated in');
});

test('toGraphML escapes and types attributes', () => {
  const g = toGraphML({
    nodes: [{ id: 'a', label: 'A & <B>', label_ar: 'خالد', kind: 'Person' }, { id: 'b', label: 'B', kind: 'Event', date: '2025-10-20' }],
    edges: [{ id: 'e', source: 'a', target: 'b', label: 'PARTICIPATED_IN', role: 'party', confidence: 0.9, evidence_count: 2 }],
  });
  assert.match(g, /<data key="n_label">A &amp; &lt;B&gt;<\/data>/);
  assert.match(g, /<data key="n_label_ar">خالد<\/data>/);
  assert.match(g, /<edge id="e" source="a" target="b">/);
  assert.match(g, /<data key="e_type">PARTICIPATED_IN<\/data>/);
  assert.match(g, /attr.name="confidence" attr.type="double"/);
  assert.match(g, /<data key="e_confidence">0.9<\/data>/);
  assert.ok(!g.includes('n_subtype">'), 'absent attributes are left out');
});
