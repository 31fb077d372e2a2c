// Text helpers: building DOM without innerHTML (every string from the API
// is text, never markup), Arabic script, and evidence highlighting.

// h makes an element: h('p', {class: 'x', dataset: {id}}, 'text', child).
// Attributes whose value is null, undefined or false are left out.
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === null || v === undefined || v === false) continue;
    if (k === 'dataset') Object.assign(el.dataset, v);
    else if (k === 'on') for (const [ev, fn] of Object.entries(v)) el.addEventListener(ev, fn);
    else if (k === 'text') el.textContent = v;
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    el.append(c instanceof Node ? c : String(c));
  }
  return el;
}

// fill replaces el's children, leaving out null, undefined and false
// (replaceChildren would write them as text).
export function fill(el, ...children) {
  el.replaceChildren(...children.flat().filter((c) => c !== null && c !== undefined && c !== false));
  return el;
}

const arabic = /[\u0600-\u06FF\u0750-\u077F\u08A0-\u08FF\uFB50-\uFDFF\uFE70-\uFEFF]/;

// isArabic reports whether s holds Arabic script.
export function isArabic(s) {
  return arabic.test(s || '');
}

// scriptAttrs are the lang and dir attributes for a text: Arabic right to
// left, anything else left to right (lang left to the page's). language,
// if known (a document's "ar" or "en"), wins over the script.
export function scriptAttrs(s, language) {
  if (language === 'ar' || (!language && isArabic(s))) return { lang: 'ar', dir: 'rtl' };
  if (language) return { lang: language, dir: 'ltr' };
  return { dir: 'ltr' };
}

// named is a span holding a name, marked up for its script.
export function named(s, cls) {
  return h('bdi', { class: cls, ...scriptAttrs(s) }, s);
}

// highlight returns the sentence with the span [start, end) wrapped in
// <mark>. The offsets are the API's: rune offsets into the document, and
// sentenceStart the sentence's own; so they are turned into offsets in
// the sentence and applied to code points, not UTF-16 units (an emoji or a
// rare letter outside the BMP would shift every later offset otherwise).
// An offset outside the sentence is clamped; an empty span marks nothing.
export function highlight(sentence, start, end, sentenceStart) {
  const [before, span, after] = splitSpan(sentence, start, end, sentenceStart);
  const frag = document.createDocumentFragment();
  frag.append(before);
  if (span) frag.append(h('mark', {}, span));
  frag.append(after);
  return frag;
}

// splitSpan cuts the sentence into what precedes the span, the span and
// what follows it, by code points (see highlight).
export function splitSpan(sentence, start, end, sentenceStart) {
  const cps = Array.from(sentence || '');
  const from = clamp((start ?? 0) - (sentenceStart ?? 0), 0, cps.length);
  const to = clamp((end ?? 0) - (sentenceStart ?? 0), from, cps.length);
  return [cps.slice(0, from).join(''), cps.slice(from, to).join(''), cps.slice(to).join('')];
}

function clamp(n, lo, hi) {
  return Math.min(Math.max(Number.isFinite(n) ? n : lo, lo), hi);
}

// webURL is u if it is an http(s) URL, else '': a document's url comes
// from what was ingested, and a link must not run anything.
export function webURL(u) {
  try {
    const url = new URL(u);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : '';
  } catch {
    return '';
  }
}

// humanType turns PARTICIPATED_IN into "participated in".
export function humanType(t) {
  return (t || '').toLowerCase().replaceAll('_', ' ');
}

export function plural(n, one, many) {
  return `${n} ${n === 1 ? one : many || one + 's'}`;
}
