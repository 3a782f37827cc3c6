#!/usr/bin/env python3
"""Small random-weight GGUF models for every LLM architecture Atelier runs, and the logits an
independent numpy implementation of each architecture computes on them.

Dev-time only (never needed to build or run the app):
    python3 -m venv /tmp/v && /tmp/v/bin/pip install gguf==0.19.0 numpy
    /tmp/v/bin/python tools/make_models/make_models.py fixtures
        -> tests/inference/llm/fixtures/tiny-<arch>.gguf and tiny-<arch>.reference.json
    /tmp/v/bin/python tools/make_models/make_models.py custom --arch llama --embd 2048 \
        --layers 22 --heads 32 --kv-heads 4 --ff 5632 --type Q8_0 -o /tmp/tinyllama-shape.gguf
        -> one model of any shape (benchmarks; no reference)

The reference (reference.py) is written from the architectures' published descriptions, in
float64, reading the weights back from the GGUF file (dequantized by gguf-py); it shares no
code with the C++ engine. Each JSON file holds a prompt, the greedy continuation, and the
logits after the prompt and after each greedy token.
"""
import argparse
import json
from pathlib import Path

import numpy as np
import gguf
from gguf import GGMLQuantizationType as Q

import reference

REPO = Path(__file__).resolve().parents[2]
FIXTURES = REPO / "tests" / "inference" / "llm" / "fixtures"

CHATML = ("{% for message in messages %}{{'<|im_start|>' + message['role'] + '\\n' + "
          "message['content'] + '<|im_end|>' + '\\n'}}{% endfor %}"
          "{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}")

WORDS = ["hello", "world", "the", "cat", "sat", "on", "mat", "dog", "is", "a", "story", "once",
         "upon", "time", "there", "was", "little", "girl", "named", "lily"]


def vocabulary(chat_tokens):
    """A SentencePiece-style vocabulary: control tokens, 256 byte tokens, letters and the
    prefixes of a few words (so that merges build whole words)."""
    tokens, scores, types = [], [], []

    def add(text, score, ttype):
        if text not in tokens:
            tokens.append(text)
            scores.append(score)
            types.append(ttype)

    add("<unk>", 0.0, gguf.TokenType.UNKNOWN)
    add("<s>", 0.0, gguf.TokenType.CONTROL)
    add("</s>", 0.0, gguf.TokenType.CONTROL)
    for t in chat_tokens:
        add(t, 0.0, gguf.TokenType.CONTROL)
    for b in range(256):
        add(f"<0x{b:02X}>", 0.0, gguf.TokenType.BYTE)
    pieces = ["\u2581"] + [chr(c) for c in range(ord("a"), ord("z") + 1)] + list(".,!?'\n")
    for w in WORDS:
        for n in range(2, len(w) + 1):
            pieces.append(w[:n])
        for n in range(1, len(w) + 1):
            pieces.append("\u2581" + w[:n])
    for i, p in enumerate(pieces):
        add(p, -float(i), gguf.TokenType.NORMAL)
    return tokens, scores, types


# Architecture configurations of the fixtures: tiny, but with every feature switched on.
FIXTURE_CONFIGS = {
    "llama": dict(embd=32, layers=2, heads=4, kv_heads=2, ff=64, ctx=256, type=Q.Q8_0,
                  tied=True, rope_freqs=True, rope_base=500000.0),
    "qwen2": dict(embd=32, layers=2, heads=4, kv_heads=2, ff=64, ctx=256, type=Q.F16,
                  tied=False, qkv_bias=True, chat=True, rope_base=1000000.0),
    "qwen3": dict(embd=32, layers=2, heads=4, kv_heads=1, ff=64, ctx=256, type=Q.F16,
                  tied=True, head_dim=16, qk_norm=True, rope_base=1000000.0),
    "phi3": dict(embd=32, layers=2, heads=4, kv_heads=4, ff=64, ctx=256, type=Q.F16,
                 tied=False, rope_base=10000.0),
    "gemma2": dict(embd=32, layers=3, heads=2, kv_heads=1, ff=64, ctx=256, type=Q.F16,
                   tied=True, head_dim=16, sliding_window=6, attn_softcap=50.0,
                   final_softcap=30.0, rope_base=10000.0),
}


def random_weights(arch, cfg, vocab_size, rng):
    """name -> float32 array in PyTorch layout (out, in); gguf stores it as ne = [in, out]."""
    E, F, L = cfg["embd"], cfg["ff"], cfg["layers"]
    H, KV = cfg["heads"], cfg["kv_heads"]
    D = cfg.get("head_dim", E // H)

    def mat(rows, cols):
        return (rng.standard_normal((rows, cols)) / np.sqrt(cols)).astype(np.float32)

    def norm(n):
        return (1.0 + 0.1 * rng.standard_normal(n)).astype(np.float32)

    def bias(n):
        return (0.1 * rng.standard_normal(n)).astype(np.float32)

    w = {"token_embd.weight": rng.standard_normal((vocab_size, E)).astype(np.float32),
         "output_norm.weight": norm(E)}
    if not cfg.get("tied"):
        w["output.weight"] = mat(vocab_size, E)
    if cfg.get("rope_freqs"):
        w["rope_freqs.weight"] = (1.0 + 3.0 * rng.random(D // 2)).astype(np.float32)
    for i in range(L):
        p = f"blk.{i}."
        w[p + "attn_norm.weight"] = norm(E)
        w[p + "ffn_norm.weight"] = norm(E)
        w[p + "attn_output.weight"] = mat(E, H * D)
        w[p + "ffn_down.weight"] = mat(E, F)
        if arch == "phi3":
            w[p + "attn_qkv.weight"] = mat(H * D + 2 * KV * D, E)
            w[p + "ffn_up.weight"] = mat(2 * F, E)
        else:
            w[p + "attn_q.weight"] = mat(H * D, E)
            w[p + "attn_k.weight"] = mat(KV * D, E)
            w[p + "attn_v.weight"] = mat(KV * D, E)
            w[p + "ffn_gate.weight"] = mat(F, E)
            w[p + "ffn_up.weight"] = mat(F, E)
        if cfg.get("qkv_bias"):
            w[p + "attn_q.bias"] = bias(H * D)
            w[p + "attn_k.bias"] = bias(KV * D)
            w[p + "attn_v.bias"] = bias(KV * D)
        if cfg.get("qk_norm"):
            w[p + "attn_q_norm.weight"] = norm(D)
            w[p + "attn_k_norm.weight"] = norm(D)
        if arch == "gemma2":
            w[p + "post_attention_norm.weight"] = norm(E)
            w[p + "post_ffw_norm.weight"] = norm(E)
    return w


def tensor_type(name, array, matrix_type):
    """Norms, biases and rope factors stay F32; matrices take the model's type."""
    if array.ndim == 1:
        return Q.F32
    if name == "token_embd.weight" and matrix_type not in (Q.F32, Q.F16, Q.Q8_0):
        return Q.F16
    return matrix_type


def write_model(path, arch, cfg, rng, name):
    chat_tokens = ["<|im_start|>", "<|im_end|>"] if cfg.get("chat") else []
    tokens, scores, types = vocabulary(chat_tokens)
    E, H = cfg["embd"], cfg["heads"]
    D = cfg.get("head_dim", E // H)
    w = gguf.GGUFWriter(str(path), arch)
    w.add_name(name)
    w.add_context_length(cfg["ctx"])
    w.add_embedding_length(E)
    w.add_block_count(cfg["layers"])
    w.add_feed_forward_length(cfg["ff"])
    w.add_head_count(H)
    w.add_head_count_kv(cfg["kv_heads"])
    w.add_layer_norm_rms_eps(1e-6)
    w.add_rope_freq_base(cfg["rope_base"])
    if "head_dim" in cfg:
        w.add_key_length(D)
        w.add_value_length(D)
    if "sliding_window" in cfg:
        w.add_sliding_window(cfg["sliding_window"])
    if "attn_softcap" in cfg:
        w.add_attn_logit_softcapping(cfg["attn_softcap"])
        w.add_final_logit_softcapping(cfg["final_softcap"])
    w.add_tokenizer_model("llama")
    w.add_token_list(tokens)
    w.add_token_scores(scores)
    w.add_token_types(types)
    w.add_bos_token_id(1)
    w.add_eos_token_id(2)
    w.add_unk_token_id(0)
    w.add_add_bos_token(True)
    if cfg.get("chat"):
        w.add_eot_token_id(tokens.index("<|im_end|>"))
        w.add_chat_template(CHATML)
    weights = random_weights(arch, cfg, len(tokens), rng)
    for tname, array in weights.items():
        qtype = tensor_type(tname, array, cfg["type"])
        if qtype == Q.F32:
            w.add_tensor(tname, array)
        elif qtype == Q.F16:
            w.add_tensor(tname, array.astype(np.float16))
        else:
            w.add_tensor(tname, gguf.quants.quantize(array, qtype), raw_dtype=qtype)
    w.write_header_to_file()
    w.write_kv_data_to_file()
    w.write_tensors_to_file()
    w.close()
    return tokens


def make_fixtures(steps):
    FIXTURES.mkdir(parents=True, exist_ok=True)
    for index, (arch, cfg) in enumerate(FIXTURE_CONFIGS.items()):
        rng = np.random.default_rng(20261125 + index)
        path = FIXTURES / f"tiny-{arch}.gguf"
        tokens = write_model(path, arch, cfg, rng, f"tiny random {arch}")
        model = reference.Model.from_gguf(path)
        # A prompt of BOS and 19 random non-control tokens (longer than gemma's window).
        prompt = [1] + [int(t) for t in rng.integers(3, len(tokens), size=19)]
        greedy, logits = model.greedy(prompt, steps)
        # A long prompt that crosses prefill chunks (and gemma's window many times over).
        long_prompt = [1] + [int(t) for t in rng.integers(3, len(tokens), size=299)]
        long_logits = model.logits(np.array(long_prompt))[-1]
        out = {"architecture": arch, "prompt": prompt, "greedy": greedy,
               "logits": [[round(float(v), 6) for v in row] for row in logits],
               "long_prompt": long_prompt,
               "long_logits": [round(float(v), 6) for v in long_logits]}
        (FIXTURES / f"tiny-{arch}.reference.json").write_text(json.dumps(out) + "\n")
        print(f"{path.name}: {path.stat().st_size} bytes, greedy {greedy}")


def make_custom(args):
    cfg = dict(embd=args.embd, layers=args.layers, heads=args.heads, kv_heads=args.kv_heads,
               ff=args.ff, ctx=args.ctx, type=Q[args.type], tied=args.tied,
               rope_base=args.rope_base)
    if args.arch == "qwen2":
        cfg["qkv_bias"] = True
    if args.arch == "qwen3":
        cfg["qk_norm"] = True
    rng = np.random.default_rng(args.seed)
    write_model(args.output, args.arch, cfg, rng, f"random {args.arch}")
    print(f"{args.output}: {Path(args.output).stat().st_size} bytes")


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    fx = sub.add_parser("fixtures", help="the test fixtures and their reference logits")
    fx.add_argument("--steps", type=int, default=6, help="greedy tokens per reference")
    cu = sub.add_parser("custom", help="one random model of any shape")
    cu.add_argument("--arch", choices=list(FIXTURE_CONFIGS), default="llama")
    cu.add_argument("--embd", type=int, default=2048)
    cu.add_argument("--layers", type=int, default=22)
    cu.add_argument("--heads", type=int, default=32)
    cu.add_argument("--kv-heads", type=int, default=4)
    cu.add_argument("--ff", type=int, default=5632)
    cu.add_argument("--ctx", type=int, default=2048)
    cu.add_argument("--type", default="F16",
                    help="F32, F16, BF16, Q4_0, Q4_1, Q5_0, Q5_1 or Q8_0 (what gguf-py can "
                         "quantize; k-quants need llama.cpp's llama-quantize)")
    cu.add_argument("--tied", action="store_true")
    cu.add_argument("--rope-base", type=float, default=10000.0)
    cu.add_argument("--seed", type=int, default=1)
    cu.add_argument("-o", "--output", required=True)
    args = parser.parse_args()
    if args.command == "fixtures":
        make_fixtures(args.steps)
    else:
        make_custom(args)


if __name__ == "__main__":
    main()
