package graph

// Add folds another batch into b with the store's upsert rules, so several
// articles' extractions combine into one batch without duplicates: the same
// entity or relation from two articles appears once, evidence unioned.
func (b *Batch) Add(o Batch) {
	docAt := map[string]int{}
	for i, d := range b.Documents {
		docAt[d.ID] = i
	}
	for _, d := range o.Documents {
		if i, ok := docAt[d.ID]; ok {
			b.Documents[i] = d
			continue
		}
		docAt[d.ID] = len(b.Documents)
		b.Documents = append(b.Documents, d)
	}
	entAt := map[string]int{}
	for i, e := range b.Entities {
		entAt[e.ID] = i
	}
	for _, e := range o.Entities {
		if i, ok := entAt[e.ID]; ok {
			b.Entities[i] = UpsertEntity(b.Entities[i], e)
			continue
		}
		entAt[e.ID] = len(b.Entities)
		b.Entities = append(b.Entities, e)
	}
	relAt := map[string]int{}
	for i, r := range b.Relations {
		relAt[r.ID] = i
	}
	for _, r := range o.Relations {
		if i, ok := relAt[r.ID]; ok {
			b.Relations[i] = UpsertRelation(b.Relations[i], r)
			continue
		}
		relAt[r.ID] = len(b.Relations)
		b.Relations = append(b.Relations, r)
	}
}
