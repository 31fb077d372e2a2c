package api

import (
	"context"

	"github.com/polgraph/polgraph/graph"
)

// eventItem is an event on a timeline with what an analyst asks of it next:
// who took part and how, where, and which reports tell of it. Several
// reports of one event show as one item with several documents.
type eventItem struct {
	graph.Entity
	Participants []participant    `json:"participants"`
	Place        *graph.Entity    `json:"place"`
	Places       []graph.Entity   `json:"places,omitempty"`
	Documents    []documentSource `json:"documents"`
}

type participant struct {
	Entity graph.Entity `json:"entity"`
	Role   string       `json:"role,omitempty"`
}

// maxEventLinks bounds the links read per event, so one event reported by
// thousands of outlets cannot make a timeline page unbounded.
const maxEventLinks = graph.MaxPageSize

// describeEvent reads an event's participants, places and reports. docs
// reads each document once across the events of one page.
func (s *Server) describeEvent(ctx context.Context, e graph.Entity, docs *sourceCache) (eventItem, error) {
	item := eventItem{Entity: withoutMentions(e), Participants: []participant{}, Documents: []documentSource{}}
	in, err := s.store.Relations(ctx, graph.RelationQuery{Entity: e.ID, Direction: graph.Incoming,
		Types: []graph.RelType{graph.ParticipatedIn, graph.Reports}, Limit: maxEventLinks})
	if err != nil {
		return item, err
	}
	for _, r := range in.Items {
		if r.Other == nil {
			continue
		}
		switch r.Type {
		case graph.ParticipatedIn:
			item.Participants = append(item.Participants, participant{Entity: withoutMentions(*r.Other), Role: r.Role})
		case graph.Reports:
			src, err := docs.get(ctx, r.From)
			if err != nil {
				return item, err
			}
			if src != nil {
				item.Documents = append(item.Documents, *src)
			}
		}
	}
	out, err := s.store.Relations(ctx, graph.RelationQuery{Entity: e.ID, Direction: graph.Outgoing,
		Types: []graph.RelType{graph.OccurredIn}, Limit: maxEventLinks})
	if err != nil {
		return item, err
	}
	for _, r := range out.Items {
		if r.Other != nil {
			item.Places = append(item.Places, withoutMentions(*r.Other))
		}
	}
	if len(item.Places) > 0 {
		item.Place = &item.Places[0]
	}
	return item, nil
}
