/**
 * A protobuf writer for the few ONNX messages the CPU engine builds (onnx.proto3: ModelProto,
 * GraphProto, NodeProto, AttributeProto, TensorProto, ValueInfoProto), only the fields it uses.
 * Field numbers are those of onnx/onnx.proto.
 */

export const TensorType = { float: 1, uint8: 2, int32: 6, int64: 7, bool: 9 } as const;
export type TensorTypeName = keyof typeof TensorType;

export interface Tensor {
  name: string;
  type: 'float' | 'int64';
  dims: readonly number[];
  values: Float32Array | BigInt64Array;
}

/** A dimension is a fixed size or a symbolic name (such as the batch size). */
export type Dimension = number | string;

export interface ValueInfo {
  name: string;
  type: TensorTypeName;
  shape: readonly Dimension[];
}

export type Attribute =
  | { name: string; kind: 'int'; value: number }
  | { name: string; kind: 'float'; value: number }
  | { name: string; kind: 'ints'; value: readonly number[] }
  | { name: string; kind: 'tensor'; value: Tensor }
  | { name: string; kind: 'graph'; value: Graph };

export interface Node {
  op: string;
  inputs: readonly string[];
  outputs: readonly string[];
  attributes?: readonly Attribute[];
}

export interface Graph {
  name: string;
  nodes: readonly Node[];
  initializers: readonly Tensor[];
  inputs: readonly ValueInfo[];
  outputs: readonly ValueInfo[];
}

export interface Model {
  graph: Graph;
  opset: number;
}

const AttributeType = { float: 1, int: 2, tensor: 4, graph: 5, ints: 7 } as const;
const WireType = { varint: 0, fixed32: 5, bytes: 2 } as const;
/** ONNX IR version 8 goes with opsets up to 18. */
const IR_VERSION = 8;

/** Grows as it is written; `result()` is what was written so far. */
class Writer {
  private buffer = new Uint8Array(256);
  private length = 0;

  private reserve(extra: number): void {
    if (this.length + extra <= this.buffer.length) return;
    const grown = new Uint8Array(Math.max(this.buffer.length * 2, this.length + extra));
    grown.set(this.buffer.subarray(0, this.length));
    this.buffer = grown;
  }

  /** A varint; negative numbers as 64-bit two's complement (ten bytes), as protobuf's int64 wants. */
  varint(value: number | bigint): void {
    let rest = BigInt.asUintN(64, BigInt(value));
    this.reserve(10);
    do {
      const low = Number(rest & 0x7fn);
      rest >>= 7n;
      this.buffer[this.length++] = rest > 0n ? low | 0x80 : low;
    } while (rest > 0n);
  }

  raw(bytes: Uint8Array): void {
    this.reserve(bytes.length);
    this.buffer.set(bytes, this.length);
    this.length += bytes.length;
  }

  tag(field: number, wire: number): void {
    this.varint((field << 3) | wire);
  }

  int(field: number, value: number): void {
    this.tag(field, WireType.varint);
    this.varint(value);
  }

  float(field: number, value: number): void {
    this.tag(field, WireType.fixed32);
    const bytes = new Uint8Array(4);
    new DataView(bytes.buffer).setFloat32(0, value, true);
    this.raw(bytes);
  }

  bytes(field: number, bytes: Uint8Array): void {
    this.tag(field, WireType.bytes);
    this.varint(bytes.length);
    this.raw(bytes);
  }

  string(field: number, value: string): void {
    this.bytes(field, new TextEncoder().encode(value));
  }

  message(field: number, write: (writer: Writer) => void): void {
    const inner = new Writer();
    write(inner);
    this.bytes(field, inner.result());
  }

  packedInts(field: number, values: readonly number[]): void {
    const inner = new Writer();
    for (const value of values) inner.varint(value);
    this.bytes(field, inner.result());
  }

  result(): Uint8Array {
    return this.buffer.subarray(0, this.length);
  }
}

function writeTensor(writer: Writer, tensor: Tensor): void {
  writer.packedInts(1, tensor.dims);
  writer.int(2, TensorType[tensor.type]);
  writer.string(8, tensor.name);
  writer.bytes(9, new Uint8Array(tensor.values.buffer, tensor.values.byteOffset, tensor.values.byteLength));
}

function writeValueInfo(writer: Writer, info: ValueInfo): void {
  writer.string(1, info.name);
  writer.message(2, (type) =>
    type.message(1, (tensorType) => {
      tensorType.int(1, TensorType[info.type]);
      tensorType.message(2, (shape) => {
        for (const dim of info.shape) {
          shape.message(1, (dimension) => (typeof dim === 'number' ? dimension.int(1, dim) : dimension.string(2, dim)));
        }
      });
    }),
  );
}

function writeAttribute(writer: Writer, attribute: Attribute): void {
  writer.string(1, attribute.name);
  switch (attribute.kind) {
    case 'float':
      writer.float(2, attribute.value);
      break;
    case 'int':
      writer.int(3, attribute.value);
      break;
    case 'tensor':
      writer.message(5, (tensor) => writeTensor(tensor, attribute.value));
      break;
    case 'graph':
      writer.message(6, (graph) => writeGraph(graph, attribute.value));
      break;
    case 'ints':
      writer.packedInts(8, attribute.value);
      break;
  }
  writer.int(20, AttributeType[attribute.kind]);
}

function writeNode(writer: Writer, node: Node, index: number): void {
  for (const input of node.inputs) writer.string(1, input);
  for (const output of node.outputs) writer.string(2, output);
  writer.string(3, `${node.op}_${index}`);
  writer.string(4, node.op);
  for (const attribute of node.attributes ?? []) writer.message(5, (inner) => writeAttribute(inner, attribute));
}

function writeGraph(writer: Writer, graph: Graph): void {
  graph.nodes.forEach((node, index) => writer.message(1, (inner) => writeNode(inner, node, index)));
  writer.string(2, graph.name);
  for (const tensor of graph.initializers) writer.message(5, (inner) => writeTensor(inner, tensor));
  for (const input of graph.inputs) writer.message(11, (inner) => writeValueInfo(inner, input));
  for (const output of graph.outputs) writer.message(12, (inner) => writeValueInfo(inner, output));
}

/** The bytes of an ONNX ModelProto, as onnxruntime's InferenceSession.create takes them. */
export function encodeModel(model: Model): Uint8Array {
  const writer = new Writer();
  writer.int(1, IR_VERSION);
  writer.string(2, 'fashion-lab');
  writer.message(7, (graph) => writeGraph(graph, model.graph));
  writer.message(8, (opset) => {
    opset.string(1, '');
    opset.int(2, model.opset);
  });
  return writer.result().slice();
}
