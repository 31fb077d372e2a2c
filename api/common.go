package api

import (
	"context"
	"errors"
	"fmt"
	"math"
	"net/http"
	"slices"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/polgraph/polgraph/graph"
)

// maxCommonRelations bounds the relations read at each side of a common
// neighbours query: a country or a much-reported commander has tens of
// thousands. Past it the answer says truncated.
const maxCommonRelations = 10 * graph.MaxPageSize

// commonResponse is the shape of GET /v1/entities/{id}/common: the two
// entities and, as a list, the entities related to both.
type commonResponse struct {
	Entity graph.Entity      `json:"entity"`
	With   graph.Entity      `json:"with"`
	Items  []commonNeighbour `json:"items"`
	Next   string            `json:"next"`
	// Truncated is true when either side had more relations than were
	// read (maxCommonRelations): some common neighbours may be missing.
	Truncated bool `json:"truncated"`
}

// commonNeighbour is an entity directly related to both, with the
// relations joining it to each (their evidence included, the far end left
// out: it is entity or with).
type commonNeighbour struct {
	Entity graph.Entity `json:"entity"`
	// Score is how strongly it is tied to both: the product of the two
	// sides' confidences, each side's combined as a relation's evidence is
	// (1 − Π(1 − cᵢ)) over the relations joining it to that side.
	Score           float64          `json:"score"`
	EntityRelations []graph.Relation `json:"entity_relations"`
	WithRelations   []graph.Relation `json:"with_relations"`
}

// commonNeighbours answers GET /v1/entities/{id}/common?with=&type=&from=&to=&limit=&cursor=:
// the entities directly related to both {id} and with (an id or a name),
// best first (score, then evidence, then name, then id). It follows
// asserted relations unless type= names others (graph.TraversalTypes), so
// two entities named in one report are not common neighbours of it. Built
// on Store.Relations, so both stores give the same answer.
func (s *Server) commonNeighbours(c *gin.Context) {
	id, err := idParam(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	v := c.Query("with")
	if v == "" {
		s.fail(c, badParam("with", "with (an entity id or name) is required"))
		return
	}
	withID, err := s.resolve(c, "with", v)
	if err != nil {
		s.fail(c, err)
		return
	}
	types, err := typesParam(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	window, err := windowParam(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	limit, err := intParam(c, "limit", 20, 1, graph.MaxPageSize)
	if err != nil {
		s.fail(c, err)
		return
	}
	after, err := graph.DecodeCursor(c.Query("cursor"))
	if err != nil {
		s.fail(c, err)
		return
	}
	a, err := s.store.Entity(c, id)
	if err != nil {
		s.fail(c, err)
		return
	}
	b, err := s.store.Entity(c, withID)
	if err != nil {
		s.fail(c, withParam(err, "with"))
		return
	}
	if a.ID == b.ID {
		s.fail(c, badParam("with", "with names the entity itself; give another one"))
		return
	}
	q := graph.RelationQuery{Types: graph.TraversalTypes(types), Window: window}
	q.Entity = a.ID
	aside, aTrunc, err := s.neighbours(c, q)
	if err != nil {
		s.fail(c, err)
		return
	}
	q.Entity = b.ID
	bside, bTrunc, err := s.neighbours(c, q)
	if err != nil {
		s.fail(c, err)
		return
	}
	var all []commonNeighbour
	for n, ar := range aside {
		br, both := bside[n]
		if !both || n == a.ID || n == b.ID {
			continue
		}
		all = append(all, commonNeighbour{Entity: withoutMentions(*ar[0].Other), EntityRelations: ar, WithRelations: br,
			Score: math.Round(strength(ar)*strength(br)*10000) / 10000}) // as confidences are rounded
	}
	for i := range all {
		for _, rs := range [][]graph.Relation{all[i].EntityRelations, all[i].WithRelations} {
			for j := range rs {
				rs[j].Other = nil
			}
		}
	}
	keys := make(map[string]string, len(all))
	for _, n := range all {
		keys[n.Entity.ID] = commonKey(&n)
	}
	slices.SortFunc(all, func(x, y commonNeighbour) int { return strings.Compare(keys[x.Entity.ID], keys[y.Entity.ID]) })
	if after != "" {
		i, _ := slices.BinarySearchFunc(all, after, func(n commonNeighbour, key string) int {
			return strings.Compare(keys[n.Entity.ID], key)
		})
		for i < len(all) && keys[all[i].Entity.ID] <= after {
			i++
		}
		all = all[i:]
	}
	resp := commonResponse{Entity: withoutMentions(a), With: withoutMentions(b), Items: []commonNeighbour{},
		Truncated: aTrunc || bTrunc}
	if len(all) > limit {
		all = all[:limit]
		resp.Next = graph.EncodeCursor(keys[all[limit-1].Entity.ID])
	}
	resp.Items = append(resp.Items, all...)
	ok(c, http.StatusOK, resp)
}

// neighbours reads an entity's relations, up to maxCommonRelations, by the
// entity at the other end.
func (s *Server) neighbours(ctx context.Context, q graph.RelationQuery) (map[string][]graph.Relation, bool, error) {
	out := map[string][]graph.Relation{}
	q.Limit = graph.MaxPageSize
	for read := 0; ; {
		page, err := s.store.Relations(ctx, q)
		if err != nil {
			return nil, false, err
		}
		for _, r := range page.Items {
			if r.Other != nil {
				out[r.Other.ID] = append(out[r.Other.ID], r)
			}
		}
		read += len(page.Items)
		if page.Next == "" {
			return out, false, nil
		}
		if read >= maxCommonRelations {
			return out, true, nil
		}
		q.Cursor = page.Next
	}
}

// strength combines the confidences of the relations joining a neighbour
// to one side as graph.Derive combines evidence: independent support.
func strength(rs []graph.Relation) float64 {
	doubt := 1.0
	for _, r := range rs {
		doubt *= 1 - r.Confidence
	}
	return 1 - doubt
}

func evidence(n *commonNeighbour) int {
	total := 0
	for _, rs := range [][]graph.Relation{n.EntityRelations, n.WithRelations} {
		for _, r := range rs {
			total += r.EvidenceCount
		}
	}
	return total
}

// commonKey is a neighbour's place in the order of the answer, as a
// string that sorts that way: score, highest first, then evidence, most
// first, then name, then id, so that equal answers page the same on both
// stores. The cursor is the key of a page's last item. Numbers are written
// with fixed width, so that string order is numeric order.
func commonKey(n *commonNeighbour) string {
	return fmt.Sprintf("%.15f\x00%013d\x00%s\x00%s", 1-n.Score, 1<<40-evidence(n), strings.ToLower(n.Entity.Name), n.Entity.ID)
}

// withParam names the parameter an entity-lookup error is about.
func withParam(err error, param string) error {
	var e *graph.Error
	if errors.As(err, &e) && e.Param == "" {
		n := *e
		n.Param = param
		return &n
	}
	return err
}
