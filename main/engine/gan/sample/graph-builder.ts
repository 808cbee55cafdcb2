// A tiny writer of TensorFlow GraphDef JSON as tfjs-converter reads it (model.json, format
// 'graph-model'): exported generators then load with plain `tf.loadGraphModel`, no app code needed.
export interface GraphNode {
  name: string;
  op: string;
  input?: string[];
  attr?: Record<string, unknown>;
}

export interface WeightSpec {
  name: string;
  shape: number[];
  dtype: 'float32' | 'int32';
}

const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');
const dims = (shape: number[]) => ({ dim: shape.map((s) => ({ size: String(s) })) });
const F = { type: 'DT_FLOAT' };

export class GraphBuilder {
  readonly nodes: GraphNode[] = [];
  readonly specs: WeightSpec[] = [];
  readonly data: (Float32Array | Int32Array)[] = [];
  private counter = 0;

  private unique(base: string): string {
    this.counter += 1;
    return `${base}_${this.counter}`;
  }

  private add(op: string, base: string, input: string[], attr: Record<string, unknown> = {}): string {
    const name = this.unique(base);
    this.nodes.push({ name, op, input, attr });
    return name;
  }

  placeholder(name: string, shape: number[]): string {
    this.nodes.push({ name, op: 'Placeholder', attr: { dtype: F, shape: { shape: dims(shape) } } });
    return name;
  }

  constFloat(base: string, values: Float32Array, shape: number[]): string {
    return this.constant(base, values, shape, 'float32');
  }

  constInt(base: string, values: number[], shape: number[] = [values.length]): string {
    return this.constant(base, Int32Array.from(values), shape, 'int32');
  }

  private constant(base: string, values: Float32Array | Int32Array, shape: number[], dtype: 'float32' | 'int32'): string {
    const name = this.unique(base);
    const tfType = dtype === 'float32' ? 'DT_FLOAT' : 'DT_INT32';
    this.nodes.push({ name, op: 'Const', attr: { dtype: { type: tfType }, value: { tensor: { dtype: tfType, tensorShape: dims(shape) } } } });
    this.specs.push({ name, shape, dtype });
    this.data.push(values);
    return name;
  }

  matMul(a: string, b: string): string {
    return this.add('MatMul', 'matmul', [a, b], { T: F, transpose_a: { b: false }, transpose_b: { b: false } });
  }

  conv2d(x: string, filter: string): string {
    const ones = { list: { i: ['1', '1', '1', '1'] } };
    return this.add('Conv2D', 'conv', [x, filter], { T: F, strides: ones, dilations: ones, padding: { s: b64('SAME') }, data_format: { s: b64('NHWC') } });
  }

  biasAdd(x: string, bias: string): string {
    return this.add('BiasAdd', 'bias', [x, bias], { T: F, data_format: { s: b64('NHWC') } });
  }

  binary(op: 'AddV2' | 'Mul', a: string, b: string): string {
    return this.add(op, op.toLowerCase(), [a, b], { T: F });
  }

  unary(op: 'Relu' | 'Tanh', x: string, name?: string): string {
    if (name) {
      this.nodes.push({ name, op, input: [x], attr: { T: F } });
      return name;
    }
    return this.add(op, op.toLowerCase(), [x], { T: F });
  }

  reshape(x: string, shape: number[]): string {
    return this.add('Reshape', 'reshape', [x, this.constInt('shape', shape)], { T: F });
  }

  slice(x: string, begin: number[], size: number[]): string {
    return this.add('Slice', 'slice', [x, this.constInt('begin', begin), this.constInt('size', size)], { T: F });
  }

  concat(xs: string[], axis: number): string {
    return this.add('ConcatV2', 'concat', [...xs, this.constInt('axis', [axis], [])], { T: F, N: { i: String(xs.length) } });
  }

  resizeNearest(x: string, size: [number, number]): string {
    return this.add('ResizeNearestNeighbor', 'upsample', [x, this.constInt('size', size)], { T: F, align_corners: { b: false }, half_pixel_centers: { b: false } });
  }

  /** The weight payload in spec order (float32 and int32 are both 4 bytes, little-endian). */
  weightData(): ArrayBuffer {
    const total = this.data.reduce((s, d) => s + d.length, 0);
    const buf = new ArrayBuffer(total * 4);
    let offset = 0;
    for (const d of this.data) {
      (d instanceof Float32Array ? new Float32Array(buf, offset * 4, d.length) : new Int32Array(buf, offset * 4, d.length)).set(d as never);
      offset += d.length;
    }
    return buf;
  }
}
