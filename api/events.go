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
	Participants []participant  `json:"participants"`
	Place        *graph.Entity  `json:"place"`
	Places       []graph.Entity `json:"places,omitempty"`
	Documents    []eventSource  `json:"documents"`
}

type participant struct {
	Entity graph.Entity `json:"entity"`
	Role   string       `json:"role,omitempty"`
}

// eventSource is a report of an event, without its text.
type eventSource struct {
	ID        string `json:"id"`
	URL       string `json:"url,omitempty"`
	Outlet    string `json:"outlet,omitempty"`
	Title     string `json:"title,omitempty"`
	Language  string `json:"language,omitempty"`
	Published string `json:"published,omitempty"`
}

// maxEventLinks bounds the links read per event, so one event reported by
// thousands of outlets cannot make a timeline page unbounded.
const maxEventLinks = graph.MaxPageSize

// describeEvent reads an event's participants, places and reports. docs
// caches documents across the events of one page.
func (s *Server) describeEvent(ctx context.Context, e graph.Entity, docs map[string]*eventSource) (eventItem, error) {
	item := eventItem{Entity: withoutMentions(e), Participants: []participant{}, Documents: []eventSource{}}
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
			src, err := s.eventSource(ctx, r.From, docs)
			if err != nil {
				return item, err
			}
			item.Documents = append(item.Documents, *src)
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

func (s *Server) eventSource(ctx context.Context, id string, docs map[string]*eventSource) (*eventSource, error) {
	if src, ok := docs[id]; ok {
		return src, nil
	}
	d, err := s.store.Document(ctx, id)
	if err != nil {
		return nil, err
	}
	src := &eventSource{ID: d.ID, URL: d.URL, Outlet: d.Outlet, Title: d.Title, Language: d.Language, Published: d.Published}
	docs[id] = src
	return src, nil
}
