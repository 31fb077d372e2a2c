package api

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/polgraph/polgraph/graph"
)

// maxTimelineEvents bounds the events one timeline request reads; the
// rest of a longer timeline is had with next.
const maxTimelineEvents = 20 * graph.MaxPageSize

// bucketLen is the length of a period's date for each bucket size.
var bucketLen = map[string]int{"year": 4, "month": 7, "day": 10}

// timelineResponse is the shape of GET /v1/entities/{id}/timeline.
type timelineResponse struct {
	Entity graph.Entity `json:"entity"`
	// Role says which events are counted: "actor" (those the entity took
	// part in) or "place" (those that occurred there).
	Role   string           `json:"role"`
	Bucket string           `json:"bucket"`
	Items  []timelineBucket `json:"items"`
	// Undated counts the events without a date, which no period holds.
	Undated timelineUndated `json:"undated"`
	// Total is the number of events counted, dated or not.
	Total int `json:"total"`
	// Next, when the timeline had more events than one request reads, is
	// the cursor to count the rest with; a period may then go on in the
	// next answer. Truncated says the same.
	Next      string `json:"next"`
	Truncated bool   `json:"truncated"`
}

// timelineBucket counts the events of one period, earliest period first.
// Period is a year, month or day (YYYY, YYYY-MM, YYYY-MM-DD) as the
// bucket asks; an event known only to a coarser precision than the bucket
// (a month in a daily timeline) is counted in a period of its own
// precision, which sorts just before the finer periods it covers.
type timelineBucket struct {
	Period string   `json:"period"`
	Count  int      `json:"count"`
	Events []string `json:"events"`
}

type timelineUndated struct {
	Count  int      `json:"count"`
	Events []string `json:"events"`
}

// entityTimeline answers GET /v1/entities/{id}/timeline?bucket=&type=&from=&to=&cursor=:
// how many events an actor took part in, or occurred at a place, per day,
// month or year (bucket, default month), with each period's event ids,
// filtered by event type and time window as GET /v1/events is. Built on
// Store.Events, so both stores count the same.
func (s *Server) entityTimeline(c *gin.Context) {
	id, err := idParam(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	bucket := c.DefaultQuery("bucket", "month")
	size, known := bucketLen[bucket]
	if !known {
		s.fail(c, badParam("bucket", "bucket must be day, month or year"))
		return
	}
	q := graph.EventQuery{Types: listParam(c, "type"), Cursor: c.Query("cursor"), Limit: graph.MaxPageSize}
	if q.Window, err = windowParam(c); err != nil {
		s.fail(c, err)
		return
	}
	e, err := s.store.Entity(c, id)
	if err != nil {
		s.fail(c, err)
		return
	}
	resp := timelineResponse{Entity: withoutMentions(e), Bucket: bucket, Items: []timelineBucket{},
		Undated: timelineUndated{Events: []string{}}}
	switch {
	case e.Kind == graph.KindPlace:
		q.Place, resp.Role = e.ID, "place"
	case e.Kind.IsActor():
		q.Actor, resp.Role = e.ID, "actor"
	default:
		s.fail(c, badParam("id", "a timeline is of an actor or a place, not of a %s", e.Kind))
		return
	}
	index := map[string]int{} // period → position in Items
	for {
		page, err := s.store.Events(c, q)
		if err != nil {
			s.fail(c, err)
			return
		}
		for _, ev := range page.Items {
			resp.Total++
			if ev.Date == "" {
				resp.Undated.Count++
				resp.Undated.Events = append(resp.Undated.Events, ev.ID)
				continue
			}
			period := ev.Date[:min(size, len(ev.Date))]
			i, seen := index[period]
			if !seen {
				i = len(resp.Items)
				index[period] = i
				resp.Items = append(resp.Items, timelineBucket{Period: period, Events: []string{}})
			}
			resp.Items[i].Count++
			resp.Items[i].Events = append(resp.Items[i].Events, ev.ID)
		}
		if page.Next == "" {
			break
		}
		if resp.Total >= maxTimelineEvents {
			resp.Next, resp.Truncated = page.Next, true
			break
		}
		q.Cursor = page.Next
	}
	ok(c, http.StatusOK, resp)
}
