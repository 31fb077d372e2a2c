package graph

// SpanBounds returns the dates a relation covers in the form that Window.Bounds
// compares with plain string order, for backends that filter by window inside
// a query language rather than with Window.Contains: start is the first date,
// end the last date widened to the last day it covers ("2025-05" ends
// "2025-05-31"). ok is false for an undated relation, which only an open
// window keeps.
//
// A dated relation passes a window exactly when
//
//	(from == "" || end >= from) && (to == "" || start <= to)
//
// with from, to = w.Bounds(): the same answer as w.Contains(r.Span()).
func (r *Relation) SpanBounds() (start, end string, ok bool) {
	first, last := r.Span()
	if first == "" && last == "" {
		return "", "", false
	}
	if last == "" {
		last = first
	}
	if first == "" {
		first = last
	}
	return first, dateEnd(last), true
}

// Bounds returns the window's ends as SpanBounds compares them: from as it
// is, to widened to the last day it covers; "" for an open side.
func (w Window) Bounds() (from, to string) { return w.From, dateEnd(w.To) }
