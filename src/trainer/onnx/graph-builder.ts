import type { Attribute, Graph, Node, Tensor, ValueInfo } from './onnx-protobuf';

/**
 * Collects the nodes of an ONNX graph, naming every intermediate value, so that the graphs of
 * the engine read as the formulas they compute.
 */
export class GraphBuilder {
  private readonly nodes: Node[] = [];
  private readonly initializers: Tensor[] = [];
  private readonly constants = new Map<string, string>();
  private count = 0;

  /** `prefix` keeps the names of a Loop's body apart from those of the graph around it. */
  constructor(private readonly prefix = '') {}

  /** Adds a node with one output and returns that output's name. */
  op(op: string, inputs: readonly string[], attributes: readonly Attribute[] = [], output = this.fresh(op)): string {
    this.nodes.push({ op, inputs, outputs: [output], attributes });
    return output;
  }

  /** A float scalar constant, shared by every node that uses the same value. */
  scalar(value: number): string {
    return this.constant(`f${value}`, { type: 'float', dims: [], values: new Float32Array([value]) });
  }

  /** An int64 scalar constant (an index). */
  int64(value: number): string {
    return this.constant(`s${value}`, { type: 'int64', dims: [], values: BigInt64Array.of(BigInt(value)) });
  }

  /** An int64 vector constant (axes, depths, shapes). */
  int64s(values: readonly number[]): string {
    return this.constant(`i${values.join('_')}`, { type: 'int64', dims: [values.length], values: BigInt64Array.from(values.map(BigInt)) });
  }

  /** A float vector constant. */
  floats(values: readonly number[]): string {
    return this.constant(`v${values.join('_')}`, { type: 'float', dims: [values.length], values: Float32Array.from(values) });
  }

  /** Adds a node as given (several outputs, or outputs named by the caller). */
  node(node: Node): void {
    this.nodes.push(node);
  }

  build(name: string, inputs: readonly ValueInfo[], outputs: readonly ValueInfo[]): Graph {
    return { name, nodes: this.nodes, initializers: this.initializers, inputs, outputs };
  }

  private constant(key: string, tensor: Omit<Tensor, 'name'>): string {
    const known = this.constants.get(key);
    if (known) return known;
    const name = this.fresh('const');
    this.initializers.push({ name, ...tensor });
    this.constants.set(key, name);
    return name;
  }

  private fresh(prefix: string): string {
    this.count += 1;
    return `${this.prefix}${prefix}_${this.count}`;
  }
}
