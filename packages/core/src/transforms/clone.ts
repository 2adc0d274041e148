/** Deep copies of the IR's structure, for transforms that must not touch their input. */
import type { Attribute, AttributeValue, Graph, Model, Node, ValueInfo, ValueType } from '../ir/graph.js';

/**
 * A copy of `model` whose graphs, nodes, attributes, value infos and maps are new
 * objects; tensors are shared (transforms never mutate a tensor in place, they replace it).
 * `extra` fields (undecoded protobuf parts) are copied shallowly.
 * Example: `const work = cloneModel(model); preprocess(work);` leaves `model` as it was.
 */
export function cloneModel(model: Model): Model {
  return {
    ...model,
    opsetImports: new Map(model.opsetImports),
    metadata: new Map(model.metadata),
    graph: cloneGraph(model.graph),
    ...(model.extra ? { extra: { ...model.extra } } : {}),
  };
}

/** A structural copy of one graph (subgraphs included); tensors shared. */
export function cloneGraph(g: Graph): Graph {
  return {
    ...g,
    nodes: g.nodes.map(cloneNode),
    inputs: g.inputs.map(cloneValueInfo),
    outputs: g.outputs.map(cloneValueInfo),
    initializers: new Map(g.initializers),
    valueInfo: new Map([...g.valueInfo].map(([k, v]) => [k, cloneValueInfo(v)])),
    ...(g.extra ? { extra: { ...g.extra } } : {}),
  };
}

function cloneNode(n: Node): Node {
  return {
    ...n,
    inputs: [...n.inputs],
    outputs: [...n.outputs],
    attributes: n.attributes.map(cloneAttribute),
    ...(n.extra ? { extra: { ...n.extra } } : {}),
  };
}

function cloneAttribute(a: Attribute): Attribute {
  return { ...a, value: cloneAttributeValue(a.value) };
}

function cloneAttributeValue(v: AttributeValue): AttributeValue {
  switch (v.kind) {
    case 'graph': return { kind: 'graph', value: cloneGraph(v.value) };
    case 'graphs': return { kind: 'graphs', value: v.value.map(cloneGraph) };
    case 'floats': return { kind: 'floats', value: [...v.value] };
    case 'ints': return { ...v, value: [...v.value], ...(v.exact ? { exact: [...v.exact] } : {}) };
    case 'strings': return { kind: 'strings', value: [...v.value] };
    case 'tensors': return { kind: 'tensors', value: [...v.value] };
    default: return { ...v };
  }
}

function cloneValueInfo(v: ValueInfo): ValueInfo {
  return { ...v, ...(v.type ? { type: cloneType(v.type) } : {}), ...(v.extra ? { extra: { ...v.extra } } : {}) };
}

function cloneType(t: ValueType): ValueType {
  return t.kind === 'tensor' ? { ...t, ...(t.shape ? { shape: [...t.shape] } : {}) } : { ...t };
}
