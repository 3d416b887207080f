"""Make a dynamically quantised model read each token on its own scale, so that a text's
reading never depends on the texts it is batched with.

    pip install -e '.[train]'                     # onnx
    python scripts/quantise_per_token.py          # rewrites the shipped model in place
    python scripts/quantise_per_token.py --model models/<name>

onnxruntime's dynamic quantisation (``quantize_dynamic``) puts a DynamicQuantizeLinear before
each int8 MatMul: one scale and zero point over the whole input tensor, that is over every
token of every text in the batch, padding included. So the same text read in another batch
got other numbers (17 sentiment labels of 2,000 changed with the batching). This rewrite
keeps the int8 weights exactly as they are and applies DynamicQuantizeLinear's own rule
(uint8, the range widened to hold 0) to each row, i.e. each token:

- the row's min and max give its scale and zero point; QuantizeLinear quantises a
  [tokens, K] view of the input with one scale per row (its per-axis form);
- MatMulInteger takes no per-row zero point on CPU, so it multiplies the raw uint8 values
  and the zero point's share, ``zero_point × Σ_k w[k, n]`` (a constant per output column),
  is subtracted in int32: exact integer arithmetic, as before;
- the int32 result is scaled by the row's scale times the weight's scale. Keep the Sub
  between MatMulInteger and that Cast → Mul: without it onnxruntime fuses the three into
  MatMulIntegerToFloat, which takes one scale for all of A and silently misreads a per-row
  one (tried: emotion probabilities off by up to 0.85).

The mean pooling's ReduceSum over tokens becomes a batched MatMul (mask row × token states):
onnxruntime's ReduceSum over the middle axis adds in another order for one text than for
several, which moved the pooled vector in its last bit.

Together with windows batched only with windows of the same length (no padding:
``runtime.run_sorted``), each window's outputs are bit-for-bit those it gets read alone.
Per-token scales also follow the same int8 weights run in float more closely than one scale
per batch did (on 600 speed-set windows, emotion probabilities 0.0007 from them on average,
against 0.0031). The rewrite is idempotent: a model without DynamicQuantizeLinear is left as it is.
"""

import argparse
import json
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_MODEL = ROOT / "rapport" / "engine" / "text" / "models" / "goemotions-minilm-int8"
# What config.json says of a rewritten model; TextModel puts it in the readings' version.
ACTIVATIONS = "per-token"


def rewrite(model):
    """Rewrite an onnx ModelProto in place; returns how many quantisers were replaced."""
    from onnx import TensorProto, helper, numpy_helper

    graph = model.graph
    inits = {i.name: i for i in graph.initializer}
    consumers: dict[str, list] = {}
    for node in graph.node:
        for name in node.input:
            consumers.setdefault(name, []).append(node)
    extra = [
        numpy_helper.from_array(np.array(0.0, np.float32), "per_token_0"),
        numpy_helper.from_array(np.array(255.0, np.float32), "per_token_255"),
        numpy_helper.from_array(np.array(1e-30, np.float32), "per_token_tiny"),
        numpy_helper.from_array(np.array([1], np.int64), "per_token_one"),
    ]
    make = helper.make_node
    before: dict[int, list] = {}
    after: dict[int, list] = {}
    removed: set[int] = set()
    quantisers = [n for n in graph.node if n.op_type == "DynamicQuantizeLinear"]
    for dql in quantisers:
        x = dql.input[0]
        q_out, scale_out, _ = dql.output
        p = q_out + "_row"
        users = consumers.get(q_out, [])
        if not users or any(u.op_type != "MatMulInteger" for u in users):
            raise ValueError(f"{dql.name}: expected only MatMulInteger after it")
        k = numpy_helper.to_array(inits[users[0].input[1]]).shape[0]
        extra.append(numpy_helper.from_array(np.array([-1, k], np.int64), p + "_2d"))
        nodes = [
            make("Shape", [x], [p + "_shape"]),
            make("Shape", [x], [p + "_lead"], end=-1),
            make("Concat", [p + "_lead", "per_token_one"], [p + "_col"], axis=0),
            make("Reshape", [x, p + "_2d"], [p + "_x"]),
            # DynamicQuantizeLinear's rule, per row: the range holds 0; uint8.
            make("ReduceMax", [p + "_x"], [p + "_max"], axes=[1], keepdims=0),
            make("ReduceMin", [p + "_x"], [p + "_min"], axes=[1], keepdims=0),
            make("Max", [p + "_max", "per_token_0"], [p + "_max0"]),
            make("Min", [p + "_min", "per_token_0"], [p + "_min0"]),
            make("Sub", [p + "_max0", p + "_min0"], [p + "_range"]),
            make("Max", [p + "_range", "per_token_tiny"], [p + "_range1"]),
            make("Div", [p + "_range1", "per_token_255"], [p + "_scale"]),
            make("Div", [p + "_min0", p + "_scale"], [p + "_minq"]),
            make("Neg", [p + "_minq"], [p + "_zp_neg"]),
            make("Round", [p + "_zp_neg"], [p + "_zp_round"]),
            make("Clip", [p + "_zp_round", "per_token_0", "per_token_255"], [p + "_zp_f"]),
            make("Cast", [p + "_zp_f"], [p + "_zp"], to=TensorProto.UINT8),
            make("QuantizeLinear", [p + "_x", p + "_scale", p + "_zp"], [p + "_q"], axis=0),
            make("Reshape", [p + "_q", p + "_shape"], [q_out]),
            # scale and zero point as [..., 1], to broadcast over each output row
            make("Reshape", [p + "_scale", p + "_col"], [scale_out]),
            make("Cast", [p + "_zp_f"], [p + "_zp_i"], to=TensorProto.INT32),
            make("Reshape", [p + "_zp_i", p + "_col"], [p + "_zp_col"]),
        ]
        before[id(dql)] = nodes
        removed.add(id(dql))
        for matmul in users:
            weights = numpy_helper.to_array(inits[matmul.input[1]])
            weight_zero = matmul.input[3] if len(matmul.input) > 3 else ""
            if weight_zero and np.any(numpy_helper.to_array(inits[weight_zero]) != 0):
                raise ValueError(f"{matmul.name}: weights with a zero point are not handled")
            colsum = matmul.input[1] + "_colsum"
            if colsum not in {i.name for i in extra}:
                extra.append(
                    numpy_helper.from_array(weights.astype(np.int32).sum(0, dtype=np.int32), colsum)
                )
            raw, out = matmul.output[0] + "_raw", matmul.output[0]
            matmul.input[2] = ""
            matmul.output[0] = raw
            after[id(matmul)] = [
                make("Mul", [p + "_zp_col", colsum], [raw + "_zp_share"]),
                make("Sub", [raw, raw + "_zp_share"], [out]),
            ]
    pooled = _replace_token_sum(graph, make, before, removed, extra)
    nodes = []
    for node in graph.node:
        nodes.extend(before.get(id(node), []))
        if id(node) not in removed:
            nodes.append(node)
        nodes.extend(after.get(id(node), []))
    del graph.node[:]
    graph.node.extend(nodes)
    graph.initializer.extend(extra)
    used = {name for node in graph.node for name in node.input}
    kept = [i for i in graph.initializer if i.name in used]
    del graph.initializer[:]
    graph.initializer.extend(kept)
    return len(quantisers), pooled


def _replace_token_sum(graph, make, before, removed, extra) -> bool:
    """The mean pooling's ReduceSum over tokens (axis 1 of states × mask) as a batched
    MatMul: mask [B, 1, T] × states [B, T, H]."""
    from onnx import numpy_helper

    producer = {o: n for n in graph.node for o in n.output}
    for node in graph.node:
        if node.op_type != "ReduceSum" or len(node.input) < 2:
            continue
        axes = next((i for i in graph.initializer if i.name == node.input[1]), None)
        if (
            axes is None
            and node.input[1] in producer
            and producer[node.input[1]].op_type == "Constant"
        ):
            axes = producer[node.input[1]].attribute[0].t
        keepdims = next((a.i for a in node.attribute if a.name == "keepdims"), 1)
        product = producer.get(node.input[0])
        if axes is None or list(numpy_helper.to_array(axes)) != [1] or keepdims != 0:
            continue
        if product is None or product.op_type != "Mul":
            continue
        states, mask = product.input  # [B, T, H] and [B, T, 1]
        p = node.output[0] + "_by_matmul"
        extra.append(numpy_helper.from_array(np.array([1], np.int64), p + "_axis"))
        before[id(node)] = [
            make("Transpose", [mask], [p + "_mask"], perm=[0, 2, 1]),
            make("MatMul", [p + "_mask", states], [p + "_sum"]),
            make("Squeeze", [p + "_sum", p + "_axis"], [node.output[0]]),
        ]
        removed.add(id(node))
        return True
    return False


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--model", type=Path, default=DEFAULT_MODEL, help="a model folder")
    args = parser.parse_args(argv)
    import onnx

    path = args.model / "model.onnx"
    model = onnx.load(str(path))
    replaced, pooled = rewrite(model)
    if not replaced:
        print(f"{path}: no DynamicQuantizeLinear, left as it is")
        return 0
    onnx.checker.check_model(model)
    onnx.save(model, str(path))
    config_path = args.model / "config.json"
    config = json.loads(config_path.read_text())
    config["activations"] = ACTIVATIONS
    config_path.write_text(json.dumps(config, indent=2) + "\n")
    print(
        f"{path}: {replaced} quantisers per token"
        + (", mean pooling by MatMul" if pooled else ", no mean pooling found")
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
