package api

import (
	"github.com/gin-gonic/gin"

	"github.com/polgraph/polgraph/graph"
)

// Stubs of the operations routes still to build (issue 6).

func (s *Server) metrics(c *gin.Context) { s.fail(c, notBuilt) }

// notBuilt answers routes still being built; it goes with the last stub.
var notBuilt = graph.Errorf(graph.Internal, "not built yet")

// actorOf names who makes a request, for the audit log: the API key's
// name once keys are built; never the key itself.
func actorOf(c *gin.Context) string { return "anonymous" }
