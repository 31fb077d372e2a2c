// Package export writes the graph, or a part of it, in the formats that
// analysis tools open, so that analysts can work on it outside polgraph:
//
//   - GraphML (WriteGraphML) for networkx (read_graphml), Cytoscape
//     desktop, yEd, igraph and Gephi: the most widely read graph file,
//     static, with typed node and edge attributes.
//   - GEXF 1.3 (WriteGEXF) for Gephi, whose timeline plays it: the graph is
//     dynamic, each node and edge living over its dates. GEXF's date time
//     format wants whole days, so a coarse date covers its period (a month
//     from its first to its last day); undated items are always present.
//     networkx reads it too, with read_gexf(path, version="1.3").
//   - CSV (WriteCSV) for spreadsheets, pandas and R: one row per piece of
//     evidence, so every relation can be checked against the sentence it
//     was read from.
//
// Select chooses what to write: the whole graph through Store.Scan, or the
// neighbourhood of one entity through Store.Relations, filtered by relation
// type, time window and entity kind with the rules of package graph (the
// window is graph.Window's, the traversal types graph.TraversalTypes'), so
// an export holds what the API would show. Output is ordered, so that two
// exports of the same graph are byte for byte the same and diff cleanly.
//
// The XML formats share one list of attributes (attrs.go), so they name and
// type the same values the same way; a value that is absent is left out,
// never written empty.
//
// This package holds no storage, HTTP or command-line flags: its callers
// bring a store and a writer. Its tests read the files back with
// encoding/xml and encoding/csv, and with networkx
// (testdata/networkx_read.py), a reader written by others.
package export
