#!/usr/bin/env python3
"""Per-tensor-type conformance fixtures: one small random-weight llama model per weight type
Atelier supports, with every matrix (token_embd and output included) in that type, and what
llama.cpp computes on each.

    /tmp/v/bin/python tools/llama_reference/type_fixtures.py [--types Q4_K Q6_K ...]
        -> tests/inference/llm/fixtures/types/llama-<TYPE>.gguf
           tests/inference/llm/reference/types/llama-<TYPE>.llamacpp.json

How: tools/make_models writes an F32 model (random weights, the tiny fixtures' vocabulary);
llama.cpp's own quantizer (llama_model_quantize, `pure`: every 2-D weight in the requested
type, no per-tensor mixes) turns it into each type, so llama.cpp and Atelier read identical
bytes; record.py then records text and id prompts (no long cases: those run on the
architecture fixtures). Norms stay F32, as llama.cpp keeps them.

Each case also gets `numpy_top_logits`: what tools/make_models' float64 numpy reference
(weights dequantized by gguf-py, activations never rounded) computes at llama.cpp's top ids
of each step, teacher-forced on llama.cpp's greedy tokens. llama.cpp's CPU build rounds
activations to 8 bits for quantized dot products (~1% of the largest logit here); an engine
that keeps them in float is checked much more tightly against this reference.

Two shapes, to keep the files small: k-quants (256-value super-blocks) need rows that are
multiples of 256, so their models are n_embd 256, n_ff 256, 1 layer; the other types use
n_embd 64, n_ff 128, 2 layers. Both untied (output.weight in the type as well) with
grouped-query attention (4 heads, 2 KV heads).
"""
import argparse
import ctypes
import json
import sys
from pathlib import Path

import numpy as np
from gguf import GGMLQuantizationType as Q

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
sys.path.insert(0, str(REPO / "tools" / "make_models"))
import make_models  # noqa: E402  (tools/make_models/make_models.py)
import reference  # noqa: E402  (tools/make_models/reference.py)
import record  # noqa: E402

OUT_MODELS = REPO / "tests" / "inference" / "llm" / "fixtures" / "types"
OUT_REFERENCE = REPO / "tests" / "inference" / "llm" / "reference" / "types"

# Type name -> llama.cpp's LLAMA_FTYPE_* (include/llama.h). With `pure`, the ftype's base type
# is used for every matrix: Q3_K_M -> Q3_K, Q4_K_S -> Q4_K, Q5_K_S -> Q5_K.
FTYPES = {"F32": 0, "F16": 1, "BF16": 32, "Q4_0": 2, "Q4_1": 3, "Q5_0": 8, "Q5_1": 9,
          "Q8_0": 7, "Q2_K": 10, "Q3_K": 12, "Q4_K": 14, "Q5_K": 16, "Q6_K": 18}
K_QUANTS = {"Q2_K", "Q3_K", "Q4_K", "Q5_K", "Q6_K"}

COMMON = dict(heads=4, kv_heads=2, ctx=256, tied=False, rope_base=10000.0, type=Q.F32)
SHAPES = {"small": dict(COMMON, embd=64, layers=2, ff=128),
          "k": dict(COMMON, embd=256, layers=1, ff=256)}

PROMPTS = ["once upon a time there was a little girl named lily"]


def base_model(shape, cache):
    """The F32 model of one shape (same seed every time: reproducible bytes)."""
    path = cache / f"llama-{shape}-F32.gguf"
    rng = np.random.default_rng(20261126 + list(SHAPES).index(shape))
    make_models.write_model(path, "llama", SHAPES[shape], rng, f"tiny random llama ({shape})")
    return path


def quantize(src, dst, type_name):
    import llama_cpp as lc
    params = lc.llama_model_quantize_default_params()
    params.nthread = 2
    params.ftype = FTYPES[type_name]
    params.pure = True  # one type for every matrix, token_embd and output included
    rc = lc.llama_model_quantize(str(src).encode(), str(dst).encode(), ctypes.byref(params))
    if rc != 0:
        raise RuntimeError(f"llama_model_quantize {src} -> {type_name} failed ({rc})")


def tensor_types(path):
    import gguf
    reader = gguf.GGUFReader(str(path))
    return {t.name: t.tensor_type.name for t in reader.tensors}


def add_numpy_reference(model_path, fixture_path):
    """numpy_top_logits per case: the float64 reference's logits at llama.cpp's top ids."""
    model = reference.Model.from_gguf(model_path)
    fixture = json.loads(Path(fixture_path).read_text())
    for case in fixture["cases"]:
        tokens, tops = list(case["prompt_tokens"]), []
        for step, top in enumerate(case["top_logits"]):
            logits = model.logits(np.array(tokens))[-1]
            tops.append({"ids": top["ids"],
                         "values": [round(float(logits[i]), 5) for i in top["ids"]],
                         "max_abs": round(float(np.max(np.abs(logits))), 5)})
            tokens.append(case["greedy"][step])
        case["numpy_top_logits"] = tops
    Path(fixture_path).write_text(json.dumps(fixture, indent=None, separators=(",", ":")) + "\n")


def main():
    p = argparse.ArgumentParser(description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--types", nargs="*", default=list(FTYPES), choices=list(FTYPES))
    p.add_argument("--cache", default="/tmp/atelier-type-fixtures",
                   help="folder for the F32 base models (not committed)")
    args = p.parse_args()
    from llama_runner import quiet_logs
    quiet_logs()  # llama.cpp prints every tensor it converts
    cache = Path(args.cache)
    cache.mkdir(parents=True, exist_ok=True)
    OUT_MODELS.mkdir(parents=True, exist_ok=True)
    bases = {}
    rec_args = argparse.Namespace(prompt=PROMPTS, steps=6, top_k=10, top_steps=6, ctx=256,
                                  threads=2, no_long=True)
    for type_name in args.types:
        shape = "k" if type_name in K_QUANTS else "small"
        if shape not in bases:
            bases[shape] = base_model(shape, cache)
        model = OUT_MODELS / f"llama-{type_name}.gguf"
        quantize(bases[shape], model, type_name)
        kinds = sorted(set(tensor_types(model).values()))
        print(f"{model.name}: {model.stat().st_size} bytes, tensor types {kinds}")
        fixture = OUT_REFERENCE / f"llama-{type_name}.llamacpp.json"
        record.record(model, fixture, rec_args)
        add_numpy_reference(model, fixture)


if __name__ == "__main__":
    main()
