import { describe, expect, it } from 'vitest';
import { GraphIndex } from '../ir/graphIndex.js';
import { model } from '../shape/test-support/build.js';
import { LiveIndex } from './liveIndex.js';

const names = (nodes: readonly { name: string }[]) => nodes.map((n) => n.name).sort();

/** x → Relu → a → Identity → b → {Neg, Add(b, a)}; y = Neg, z = Add. */
const sample = () => model({
  inputs: [['x', 'float32', [2]]],
  nodes: [['Relu', ['x'], ['a']], ['Identity', ['a'], ['b']], ['Neg', ['b'], ['y']], ['Add', ['b', 'a'], ['z']]],
  outputs: ['y', 'z'],
});

describe('LiveIndex', () => {
  it('starts with the producers and readers GraphIndex gives', () => {
    const g = sample().graph;
    const live = new LiveIndex(g);
    const fresh = new GraphIndex(g);
    for (const v of ['x', 'a', 'b', 'y', 'z']) {
      expect(live.producer(v)).toBe(fresh.producer(v));
      expect(names(live.consumers(v))).toEqual(names(fresh.consumers(v)));
      expect(live.soleConsumer(v)).toBe(fresh.soleConsumer(v));
    }
  });

  it('after removing a node and renaming reads, matches a GraphIndex built on the edited graph', () => {
    const g = sample().graph;
    const live = new LiveIndex(g);
    const identity = g.nodes[1]!;
    live.removeNode(identity);
    live.renameReads('b', 'a');
    g.nodes = g.nodes.filter((n) => n !== identity);
    const fresh = new GraphIndex(g);
    expect(g.nodes.map((n) => n.inputs.join(','))).toEqual(['x', 'a', 'a,a']);
    for (const v of ['x', 'a', 'b']) {
      expect(live.producer(v)).toBe(fresh.producer(v));
      expect(names(live.consumers(v))).toEqual(names(fresh.consumers(v)));
      expect(live.readerCount(v)).toBe(fresh.consumers(v).length);
    }
  });

  it('follows edited inputs and renamed outputs', () => {
    const g = sample().graph;
    const live = new LiveIndex(g);
    const [relu, , neg] = g.nodes;
    const before = [...neg!.inputs];
    neg!.inputs[0] = 'x';
    live.inputsChanged(neg!, before);
    relu!.outputs[0] = 'r';
    live.outputRenamed(relu!, 'a', 'r');
    expect(names(live.consumers('x'))).toEqual(names([relu!, neg!]));
    expect(live.consumers('b').map((n) => n.opType)).toEqual(['Add']);
    expect(live.producer('r')).toBe(relu);
    expect(live.producer('a')).toBeUndefined();
  });
});
