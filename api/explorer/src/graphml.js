// GraphML of what the view shows, with the attributes the elements carry
// (the same names as the API's GraphML: label, label_ar, kind, type, …),
// for yEd, Gephi or networkx.

const nodeKeys = ['label', 'label_ar', 'kind', 'subtype', 'event_type', 'date'];
const edgeKeys = ['type', 'role', 'title', 'confidence', 'evidence_count', 'date', 'first_seen', 'last_seen'];
const numeric = { confidence: 'double', evidence_count: 'int' };

function esc(s) {
  return String(s).replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c]);
}

// toGraphML takes plain {nodes: [data], edges: [data]} (Cytoscape data
// objects) and returns the GraphML document as a string.
export function toGraphML({ nodes, edges }) {
  const out = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<graphml xmlns="http://graphml.graphdrawing.org/xmlns" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" ' +
      'xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">',
  ];
  for (const k of nodeKeys) out.push(`  <key id="n_${k}" for="node" attr.name="${k}" attr.type="string"/>`);
  for (const k of edgeKeys) out.push(`  <key id="e_${k}" for="edge" attr.name="${k}" attr.type="${numeric[k] || 'string'}"/>`);
  out.push('  <graph id="polgraph" edgedefault="directed">');
  for (const d of nodes) {
    out.push(`    <node id="${esc(d.id)}">`);
    for (const k of nodeKeys) if (d[k] !== undefined && d[k] !== '') out.push(`      <data key="n_${k}">${esc(d[k])}</data>`);
    out.push('    </node>');
  }
  for (const d of edges) {
    out.push(`    <edge id="${esc(d.id)}" source="${esc(d.source)}" target="${esc(d.target)}">`);
    const attrs = { ...d, type: d.label };
    for (const k of edgeKeys) if (attrs[k] !== undefined && attrs[k] !== '') out.push(`      <data key="e_${k}">${esc(attrs[k])}</data>`);
    out.push('    </edge>');
  }
  out.push('  </graph>', '</graphml>', '');
  return out.join('\n');
}
