package api

import "github.com/polgraph/polgraph/graph"

// notBuilt answers routes still being built; it goes with the last stub.
var notBuilt = graph.Errorf(graph.Internal, "not built yet")
