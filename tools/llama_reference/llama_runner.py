"""A thin wrapper over llama-cpp-python's low-level API (llama.cpp's C API through ctypes):
load a GGUF, tokenize, decode tokens into a KV cache, read logits. Shared by record.py (the
conformance fixtures) and tools/bench-llm (the llama.cpp side of the benchmark).

Dev-time only; see tools/requirements-dev.txt for the pinned version.
"""
import ctypes
import time

import llama_cpp as lc

_LOG_CALLBACK = None


def quiet_logs():
    """llama.cpp logs every load to stderr; keep errors only."""
    global _LOG_CALLBACK
    if _LOG_CALLBACK is not None:
        return

    @lc.llama_log_callback
    def _log(level, text, _user):
        if level == 4:  # GGML_LOG_LEVEL_ERROR (ggml.h: none, debug, info, warn, error)
            print(text.decode("utf-8", "replace"), end="", flush=True)

    _LOG_CALLBACK = _log  # keep a reference: llama.cpp calls it later
    lc.llama_log_set(_LOG_CALLBACK, ctypes.c_void_p(0))


class LlamaModel:
    """One loaded GGUF (weights memory-mapped, CPU only)."""

    def __init__(self, path, string_overrides=None):
        """string_overrides: {metadata key: text} that llama.cpp reads instead of the file's."""
        lc.llama_backend_init()
        params = lc.llama_model_default_params()
        params.n_gpu_layers = 0
        if string_overrides:
            items = list(string_overrides.items())
            self._overrides = (lc.llama_model_kv_override * (len(items) + 1))()
            for i, (key, text) in enumerate(items):
                self._overrides[i].tag = lc.LLAMA_KV_OVERRIDE_TYPE_STR
                self._overrides[i].key = key.encode()
                self._overrides[i].value.val_str = text.encode()
            self._overrides[len(items)].key = b""  # the list ends at an empty key
            params.kv_overrides = self._overrides
        self.path = str(path)
        self.model = lc.llama_model_load_from_file(self.path.encode(), params)
        if not self.model:
            raise RuntimeError(f"llama.cpp could not load {self.path}")
        self.vocab = lc.llama_model_get_vocab(self.model)
        self.n_vocab = lc.llama_vocab_n_tokens(self.vocab)
        self.n_ctx_train = lc.llama_model_n_ctx_train(self.model)

    def close(self):
        if self.model:
            lc.llama_model_free(self.model)
            self.model = None

    def bos(self):
        return lc.llama_vocab_bos(self.vocab)

    def add_bos(self):
        return bool(lc.llama_vocab_get_add_bos(self.vocab))

    def tokenize(self, text, add_special=True, parse_special=False):
        data = text.encode("utf-8")
        capacity = len(data) + 8
        buf = (lc.llama_token * capacity)()
        n = lc.llama_tokenize(self.vocab, data, len(data), buf, capacity, add_special,
                              parse_special)
        if n < 0:
            raise RuntimeError(f"tokenize: needs {-n} tokens")
        return [int(buf[i]) for i in range(n)]

    def piece(self, token):
        buf = ctypes.create_string_buffer(256)
        n = lc.llama_token_to_piece(self.vocab, token, buf, len(buf), 0, True)
        return buf.raw[: max(n, 0)]


class LlamaContext:
    """A KV cache (F16 keys and values) and the decode loop over one sequence."""

    def __init__(self, model, n_ctx, n_threads=2, n_batch=512, flash_attn=False):
        self.model = model
        params = lc.llama_context_default_params()
        params.n_ctx = n_ctx
        params.n_batch = n_batch
        params.n_ubatch = n_batch
        params.n_seq_max = 1
        params.n_threads = n_threads
        params.n_threads_batch = n_threads
        params.flash_attn_type = (lc.LLAMA_FLASH_ATTN_TYPE_ENABLED if flash_attn is True else
                                  lc.LLAMA_FLASH_ATTN_TYPE_DISABLED if flash_attn is False else
                                  lc.LLAMA_FLASH_ATTN_TYPE_AUTO)
        params.no_perf = True
        self.n_ctx = n_ctx
        # llama.cpp caps the batch at the context (causal models) and aborts on a larger one.
        n_batch = min(n_batch, n_ctx)
        self.n_batch = n_batch
        self.ctx = lc.llama_init_from_model(model.model, params)
        if not self.ctx:
            raise RuntimeError(f"llama.cpp could not create a context of {n_ctx} for "
                               f"{model.path}")
        self.memory = lc.llama_get_memory(self.ctx)
        self.batch = lc.llama_batch_init(n_batch, 0, 1)
        self.tokens = []  # what the KV cache holds, position by position

    def close(self):
        if self.ctx:
            lc.llama_batch_free(self.batch)
            lc.llama_free(self.ctx)
            self.ctx = None

    def clear(self):
        lc.llama_memory_clear(self.memory, True)
        self.tokens = []

    def keep_prefix(self, n):
        """Drop cached positions n.. (prefix reuse: the first n tokens stay)."""
        if n < len(self.tokens):
            if not lc.llama_memory_seq_rm(self.memory, 0, n, -1):
                raise RuntimeError("llama_memory_seq_rm refused a partial removal")
            self.tokens = self.tokens[:n]

    def decode(self, tokens, want_logits=True):
        """Appends tokens to the cache in n_batch chunks; returns the logits after the last
        one (a list of floats; None without want_logits), or raises when llama_decode fails
        (e.g. the cache is full)."""
        if not tokens:
            raise ValueError("nothing to decode")
        for start in range(0, len(tokens), self.n_batch):
            chunk = tokens[start: start + self.n_batch]
            b = self.batch
            b.n_tokens = len(chunk)
            for i, t in enumerate(chunk):
                b.token[i] = t
                b.pos[i] = len(self.tokens) + i
                b.n_seq_id[i] = 1
                b.seq_id[i][0] = 0
                b.logits[i] = 0
            b.logits[len(chunk) - 1] = 1
            rc = lc.llama_decode(self.ctx, b)
            if rc != 0:
                raise DecodeError(rc, len(self.tokens) + len(chunk), self.n_ctx)
            self.tokens.extend(chunk)
        if not want_logits:
            return None
        row = lc.llama_get_logits_ith(self.ctx, -1)
        return row[: self.model.n_vocab]

    def timed_decode(self, tokens):
        """Seconds to decode `tokens` (llama_synchronize included; logits not read)."""
        t0 = time.perf_counter()
        self.decode(tokens, want_logits=False)
        lc.llama_synchronize(self.ctx)
        return time.perf_counter() - t0


class DecodeError(RuntimeError):
    def __init__(self, rc, wanted, n_ctx):
        super().__init__(f"llama_decode returned {rc} at {wanted} positions (n_ctx {n_ctx})")
        self.rc = rc
