"""Random-weight GGUF models at real model shapes for tools/bench-llm: the weights are noise
(speed does not depend on them), the shapes and tokenizers are real. F16 files are written
with gguf-py; the quantized ones are made from the F16 file by llama.cpp's own quantizer
(llama_model_quantize through llama-cpp-python), so both engines read identical bytes.
Nothing here is committed: the files go to a cache folder.
"""
import ctypes
from pathlib import Path

import numpy as np
import gguf

REPO = Path(__file__).resolve().parents[2]
SHARED_VOCAB = REPO.parent / "shared" / "testdata" / "vocab"

# name -> shape. TinyLlama-1.1B: untied output; SmolLM2-135M: tied embeddings.
SHAPES = {
    "tinyllama-1.1b": dict(embd=2048, layers=22, heads=32, kv_heads=4, ff=5632, ctx=2048,
                           rope_base=10000.0, eps=1e-5, tied=False,
                           vocab=SHARED_VOCAB / "ggml-vocab-llama-spm.gguf"),
    "smollm2-135m": dict(embd=576, layers=30, heads=9, kv_heads=3, ff=1536, ctx=8192,
                         rope_base=100000.0, eps=1e-5, tied=True,
                         vocab=SHARED_VOCAB / "ggml-vocab-gpt-2.gguf"),
}

# Our quant names -> llama.cpp's LLAMA_FTYPE_MOSTLY_* values (include/llama.h).
FTYPES = {"F16": 1, "Q4_0": 2, "Q4_1": 3, "Q8_0": 7, "Q4_K_M": 15, "Q6_K": 18}


def copy_tokenizer(writer, vocab_path):
    """Every tokenizer.* key of a vocabulary-only GGUF, copied as is."""
    reader = gguf.GGUFReader(str(vocab_path))
    n_vocab = 0
    for key, field in reader.fields.items():
        if not key.startswith("tokenizer."):
            continue
        value = field.contents()
        vtype = field.types[0]
        if vtype == gguf.GGUFValueType.ARRAY:
            sub = field.types[-1]
            writer.add_array(key, value) if sub != gguf.GGUFValueType.STRING else \
                writer.add_array(key, [str(v) for v in value])
            if key == "tokenizer.ggml.tokens":
                n_vocab = len(value)
        else:
            writer.add_key_value(key, value, vtype)
    return n_vocab


def write_f16(path, shape_name, seed=7):
    cfg = SHAPES[shape_name]
    E, L, H, KV, F = cfg["embd"], cfg["layers"], cfg["heads"], cfg["kv_heads"], cfg["ff"]
    D = E // H
    w = gguf.GGUFWriter(str(path), "llama")
    w.add_name(f"random {shape_name} (benchmark)")
    w.add_file_type(FTYPES["F16"])
    w.add_context_length(cfg["ctx"])
    w.add_embedding_length(E)
    w.add_block_count(L)
    w.add_feed_forward_length(F)
    w.add_head_count(H)
    w.add_head_count_kv(KV)
    w.add_rope_dimension_count(D)
    w.add_rope_freq_base(cfg["rope_base"])
    w.add_layer_norm_rms_eps(cfg["eps"])
    n_vocab = copy_tokenizer(w, cfg["vocab"])
    w.add_vocab_size(n_vocab)

    rng = np.random.default_rng(seed)

    def mat(rows, cols):
        # Scaled noise, generated in float32 slices to keep memory flat.
        out = np.empty((rows, cols), dtype=np.float16)
        step = max(1, (1 << 24) // cols)
        for r in range(0, rows, step):
            n = min(step, rows - r)
            out[r:r + n] = rng.standard_normal((n, cols), dtype=np.float32) / np.sqrt(cols)
        return out

    def norm(n):
        return (1.0 + 0.05 * rng.standard_normal(n)).astype(np.float32)

    w.add_tensor("token_embd.weight", mat(n_vocab, E))
    w.add_tensor("output_norm.weight", norm(E))
    if not cfg["tied"]:
        w.add_tensor("output.weight", mat(n_vocab, E))
    for i in range(L):
        p = f"blk.{i}."
        w.add_tensor(p + "attn_norm.weight", norm(E))
        w.add_tensor(p + "attn_q.weight", mat(H * D, E))
        w.add_tensor(p + "attn_k.weight", mat(KV * D, E))
        w.add_tensor(p + "attn_v.weight", mat(KV * D, E))
        w.add_tensor(p + "attn_output.weight", mat(E, H * D))
        w.add_tensor(p + "ffn_norm.weight", norm(E))
        w.add_tensor(p + "ffn_gate.weight", mat(F, E))
        w.add_tensor(p + "ffn_up.weight", mat(F, E))
        w.add_tensor(p + "ffn_down.weight", mat(E, F))
    w.write_header_to_file()
    w.write_kv_data_to_file()
    w.write_tensors_to_file()
    w.close()


def quantize(src, dst, qtype, threads=2):
    import llama_cpp as lc
    from llama_runner import quiet_logs
    quiet_logs()  # llama.cpp prints every tensor it converts
    params = lc.llama_model_quantize_default_params()
    params.nthread = threads
    params.ftype = FTYPES[qtype]
    rc = lc.llama_model_quantize(str(src).encode(), str(dst).encode(), ctypes.byref(params))
    if rc != 0:
        raise RuntimeError(f"llama_model_quantize {src} -> {qtype} failed ({rc})")


def ensure(cache, shape_name, qtype, log=print):
    """The cached model file for shape + type, made (F16 first) when missing."""
    cache = Path(cache)
    cache.mkdir(parents=True, exist_ok=True)
    f16 = cache / f"{shape_name}-F16.gguf"
    if not f16.exists():
        log(f"writing {f16} (random weights, gguf-py)")
        tmp = f16.with_suffix(".part")
        write_f16(tmp, shape_name)
        tmp.rename(f16)
    if qtype == "F16":
        return f16
    out = cache / f"{shape_name}-{qtype}.gguf"
    if not out.exists():
        log(f"quantizing {f16.name} -> {out.name} (llama_model_quantize, {qtype})")
        tmp = out.with_suffix(".part")
        quantize(f16, tmp, qtype)
        tmp.rename(out)
    return out
