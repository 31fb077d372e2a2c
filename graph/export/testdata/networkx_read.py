"""Read a GraphML and a GEXF file with networkx and print what it found.

An independent reader for the export tests (TestNetworkxReadsExports):
networkx parses both formats with its own code, so a file it reads the
way the Go test expects is one analysts' tools can open.

Usage: networkx_read.py GRAPHML GEXF EDGE_ID NODE_ID...

Prints one JSON object with, for each format, the node and edge counts,
the attributes networkx gives the named nodes and the named edge (with
its source and target), each attribute as [python type name, value], so
that the test sees whether a declared double came back as a float.
"""

import json
import sys

import networkx as nx


def typed(data):
    return {k: [type(v).__name__, v] for k, v in data.items()}


def summary(g, edge_id, node_ids):
    edge = None
    for u, v, data in g.edges(data=True):
        if data.get("id") == edge_id:
            edge = {"source": u, "target": v, "attrs": typed(data)}
    return {
        "nodes": g.number_of_nodes(),
        "edges": g.number_of_edges(),
        "directed": g.is_directed(),
        "node": {n: typed(g.nodes[n]) for n in node_ids if n in g},
        "edge": edge,
    }


def main(argv):
    if len(argv) < 4:
        sys.exit(__doc__)
    graphml, gexf, edge_id, node_ids = argv[0], argv[1], argv[2], argv[3:]
    out = {
        "graphml": summary(nx.read_graphml(graphml), edge_id, node_ids),
        # networkx reads GEXF 1.2draft unless told the version.
        "gexf": summary(nx.read_gexf(gexf, version="1.3"), edge_id, node_ids),
    }
    json.dump(out, sys.stdout, ensure_ascii=False, sort_keys=True)
    print()


if __name__ == "__main__":
    main(sys.argv[1:])
