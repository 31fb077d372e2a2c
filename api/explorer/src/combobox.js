// A combobox with suggestions from GET /v1/entities?q=&limit=8, as the
// WAI-ARIA combobox pattern has it: the input keeps focus, ArrowDown and
// ArrowUp move through the options (aria-activedescendant), Enter chooses,
// Escape closes, a click chooses. Search, path-from and path-to each have
// one.
import { apiGet, query } from './api.js';
import { h, named } from './text.js';

const debounceMs = 180;

// attachCombobox wires input to listbox. onChoose(item) is called with the
// entity chosen; the input then shows its name and holds its id in
// data-id (cleared as soon as the user types again). onError(err) reports
// a failed lookup. It returns {choose(item), close(), lookup(q)}.
export function attachCombobox(input, listbox, { onChoose, onEnterWithout, onError }) {
  let items = [];
  let active = -1;
  let timer = 0;
  let controller = null;
  let seq = 0;

  input.setAttribute('role', 'combobox');
  input.setAttribute('aria-autocomplete', 'list');
  input.setAttribute('aria-expanded', 'false');
  input.setAttribute('aria-controls', listbox.id);
  input.setAttribute('autocomplete', 'off');
  listbox.setAttribute('role', 'listbox');

  function close() {
    listbox.hidden = true;
    listbox.textContent = '';
    input.setAttribute('aria-expanded', 'false');
    input.removeAttribute('aria-activedescendant');
    items = [];
    active = -1;
  }

  function setActive(i) {
    const opts = listbox.querySelectorAll('[role=option]');
    opts.forEach((o, j) => o.setAttribute('aria-selected', j === i ? 'true' : 'false'));
    active = i;
    if (i >= 0 && opts[i]) {
      input.setAttribute('aria-activedescendant', opts[i].id);
      opts[i].scrollIntoView({ block: 'nearest' });
    } else {
      input.removeAttribute('aria-activedescendant');
    }
  }

  function render(list) {
    items = list;
    active = -1;
    listbox.replaceChildren(
      ...list.map((e, i) =>
        h(
          'li',
          {
            role: 'option',
            id: `${listbox.id}-${i}`,
            'aria-selected': 'false',
            dataset: { id: e.id },
            on: {
              // mousedown, not click: the input would lose focus first.
              mousedown: (ev) => {
                ev.preventDefault();
                choose(e);
              },
            },
          },
          named(e.name || e.name_ar, 'opt-name'),
          e.name && e.name_ar ? named(e.name_ar, 'opt-ar') : null,
          h('span', { class: `opt-kind kind-${e.kind}` }, e.kind),
        ),
      ),
    );
    if (list.length === 0) {
      listbox.append(h('li', { class: 'opt-empty', 'aria-disabled': 'true' }, 'No entity matches'));
    }
    listbox.hidden = false;
    input.setAttribute('aria-expanded', 'true');
  }

  async function lookup(q) {
    clearTimeout(timer);
    controller?.abort();
    const mine = ++seq;
    q = q.trim();
    if (!q) {
      close();
      return [];
    }
    controller = new AbortController();
    try {
      const page = await apiGet('/v1/entities' + query({ q, limit: 8 }), { signal: controller.signal });
      if (mine !== seq) return null; // a newer lookup is on its way
      render(page.items || []);
      return page.items || [];
    } catch (err) {
      if (err.name === 'AbortError') return null;
      close();
      onError?.(err);
      return null;
    }
  }

  function choose(item) {
    clearTimeout(timer);
    controller?.abort();
    seq++;
    input.value = item.name || item.name_ar;
    input.dataset.id = item.id;
    close();
    onChoose?.(item);
  }

  input.addEventListener('input', () => {
    delete input.dataset.id;
    clearTimeout(timer);
    const q = input.value;
    timer = setTimeout(() => lookup(q), debounceMs);
  });

  input.addEventListener('keydown', async (ev) => {
    const open = !listbox.hidden && items.length > 0;
    switch (ev.key) {
      case 'ArrowDown':
        ev.preventDefault();
        if (!open) {
          await lookup(input.value);
          if (items.length) setActive(0);
        } else setActive((active + 1) % items.length);
        break;
      case 'ArrowUp':
        if (!open) return;
        ev.preventDefault();
        setActive(active <= 0 ? items.length - 1 : active - 1);
        break;
      case 'Home':
      case 'End':
        if (!open || active < 0) return;
        ev.preventDefault();
        setActive(ev.key === 'Home' ? 0 : items.length - 1);
        break;
      case 'Enter': {
        ev.preventDefault();
        if (open && active >= 0) {
          choose(items[active]);
          return;
        }
        if (onEnterWithout) {
          close();
          onEnterWithout();
          return;
        }
        // No option picked: take the best match, looked up now if the
        // suggestions have not arrived yet.
        const list = open && items.length ? items : await lookup(input.value);
        if (list && list.length) choose(list[0]);
        break;
      }
      case 'Escape':
        if (!listbox.hidden) {
          ev.preventDefault();
          ev.stopPropagation();
          clearTimeout(timer);
          close();
        }
        break;
      case 'Tab':
        close();
        break;
    }
  });

  input.addEventListener('blur', () => {
    clearTimeout(timer);
    close();
  });

  close();
  return { choose, close, lookup };
}
