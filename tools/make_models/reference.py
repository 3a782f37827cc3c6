"""A plain numpy (float64) implementation of the decoder architectures Atelier runs: llama,
qwen2, qwen3, phi3, gemma2 -- written from the models' published descriptions (and llama.cpp's
GGUF conventions for names and rope styles), recomputing the whole sequence for every step.
Slow and simple on purpose: it is the yardstick for tests, not an engine.

Keys and values are rounded to float16 as they enter attention, because the engine keeps its
KV cache in F16; everything else is float64.
"""
import numpy as np
import gguf
from gguf.quants import dequantize

NEOX = {"qwen2", "qwen3", "phi3", "gemma2"}  # rotate the two halves; llama rotates pairs


def rms_norm(x, w, eps):
    return x / np.sqrt(np.mean(x * x, axis=-1, keepdims=True) + eps) * w


def rope(x, positions, base, neox, factors):
    """x: [T, heads, D]; rotates all D dims."""
    D = x.shape[-1]
    inv = base ** (-np.arange(0, D, 2, dtype=np.float64) / D)
    if factors is not None:
        inv = inv / factors
    theta = positions[:, None].astype(np.float64) * inv[None, :]  # [T, D/2]
    cos, sin = np.cos(theta)[:, None, :], np.sin(theta)[:, None, :]
    out = x.copy()
    if neox:
        a, b = x[..., : D // 2], x[..., D // 2:]
        out[..., : D // 2] = a * cos - b * sin
        out[..., D // 2:] = a * sin + b * cos
    else:
        a, b = x[..., 0::2], x[..., 1::2]
        out[..., 0::2] = a * cos - b * sin
        out[..., 1::2] = a * sin + b * cos
    return out


def attention(q, k, v, scale, softcap, window):
    """q [T, Hq, D], k/v [T, Hkv, D]; causal, grouped-query, optional soft-cap and window."""
    T, Hq, _ = q.shape
    group = Hq // k.shape[1]
    k = k.astype(np.float16).astype(np.float64)
    v = v.astype(np.float16).astype(np.float64)
    i = np.arange(T)[:, None]
    j = np.arange(T)[None, :]
    hidden = j > i
    if window:
        hidden |= (i - j) >= window
    out = np.zeros((T, Hq, v.shape[-1]))
    for h in range(Hq):
        s = (q[:, h, :] @ k[:, h // group, :].T) * scale
        if softcap:
            s = softcap * np.tanh(s / softcap)
        s = np.where(hidden, -np.inf, s)
        s = np.exp(s - s.max(axis=1, keepdims=True))
        s /= s.sum(axis=1, keepdims=True)
        out[:, h, :] = s @ v[:, h // group, :]
    return out


def silu(x):
    return x / (1.0 + np.exp(-x))


def gelu_tanh(x):
    return 0.5 * x * (1.0 + np.tanh(np.sqrt(2.0 / np.pi) * (x + 0.044715 * x ** 3)))


class Model:
    def __init__(self, arch, meta, tensors):
        self.arch, self.meta, self.t = arch, meta, tensors

    @staticmethod
    def from_gguf(path):
        r = gguf.GGUFReader(str(path))
        arch = bytes(r.fields["general.architecture"].parts[-1]).decode()
        meta = {}
        for key, field in r.fields.items():
            if key.startswith(arch + ".") and len(field.data) == 1:
                meta[key[len(arch) + 1:]] = field.parts[field.data[0]][0].item()
        tensors = {}
        for t in r.tensors:
            shape = [int(n) for n in reversed(t.shape)]  # numpy order: (out, in)
            values = dequantize(t.data, t.tensor_type).astype(np.float64)
            tensors[t.name] = values.reshape(shape)
        return Model(arch, meta, tensors)

    def logits(self, tokens):
        """Logits of every position, [T, vocab]."""
        m, t, arch = self.meta, self.t, self.arch
        E, L, H = m["embedding_length"], m["block_count"], m["attention.head_count"]
        KV = m.get("attention.head_count_kv", H)
        D = m.get("attention.key_length", E // H)
        eps = m.get("attention.layer_norm_rms_epsilon", 1e-5)
        base = m.get("rope.freq_base", 10000.0)
        neox = arch in NEOX
        factors = t.get("rope_freqs.weight")
        positions = np.arange(len(tokens))

        x = t["token_embd.weight"][tokens]  # [T, E]
        if arch == "gemma2":
            x = x * np.sqrt(E)
        for i in range(L):
            p = f"blk.{i}."
            h = rms_norm(x, t[p + "attn_norm.weight"], eps)
            if arch == "phi3":
                qkv = h @ t[p + "attn_qkv.weight"].T
                q, k, v = np.split(qkv, [H * D, H * D + KV * D], axis=1)
            else:
                q = h @ t[p + "attn_q.weight"].T
                k = h @ t[p + "attn_k.weight"].T
                v = h @ t[p + "attn_v.weight"].T
                if p + "attn_q.bias" in t:
                    q, k, v = q + t[p + "attn_q.bias"], k + t[p + "attn_k.bias"], \
                        v + t[p + "attn_v.bias"]
            q, k, v = q.reshape(-1, H, D), k.reshape(-1, KV, D), v.reshape(-1, KV, D)
            if arch == "qwen3":
                q = rms_norm(q, t[p + "attn_q_norm.weight"], eps)
                k = rms_norm(k, t[p + "attn_k_norm.weight"], eps)
            q = rope(q, positions, base, neox, factors)
            k = rope(k, positions, base, neox, factors)
            softcap = m.get("attn_logit_softcapping", 0.0) if arch == "gemma2" else 0.0
            window = m.get("attention.sliding_window", 0) if arch == "gemma2" and i % 2 == 0 else 0
            a = attention(q, k, v, 1.0 / np.sqrt(D), softcap, window).reshape(len(tokens), -1)
            a = a @ t[p + "attn_output.weight"].T
            if arch == "gemma2":
                a = rms_norm(a, t[p + "post_attention_norm.weight"], eps)
            x = x + a

            h = rms_norm(x, t[p + "ffn_norm.weight"], eps)
            if arch == "phi3":
                gate, up = np.split(h @ t[p + "ffn_up.weight"].T, 2, axis=1)
            else:
                gate, up = h @ t[p + "ffn_gate.weight"].T, h @ t[p + "ffn_up.weight"].T
            act = gelu_tanh(gate) if arch == "gemma2" else silu(gate)
            f = (act * up) @ t[p + "ffn_down.weight"].T
            if arch == "gemma2":
                f = rms_norm(f, t[p + "post_ffw_norm.weight"], eps)
            x = x + f

        x = rms_norm(x, t["output_norm.weight"], eps)
        out = x @ t.get("output.weight", t["token_embd.weight"]).T
        cap = m.get("final_logit_softcapping", 0.0) if arch == "gemma2" else 0.0
        if cap:
            out = cap * np.tanh(out / cap)
        return out

    def greedy(self, prompt, steps):
        """The greedy continuation and the last-position logits before each chosen token."""
        tokens, chosen, rows = list(prompt), [], []
        for _ in range(steps):
            last = self.logits(np.array(tokens))[-1]
            rows.append(last)
            nxt = int(np.argmax(last))
            chosen.append(nxt)
            tokens.append(nxt)
        return chosen, rows
