#!/usr/bin/env python3
"""llama.cpp's side of tools/bench-llm, run as its own process so that its peak resident
memory can be measured alone. Prints one JSON line in the shape of `atelier-cli bench`.

Per repetition (after one untimed warm-up): clear the KV cache, prefill P pseudo-random
tokens in one batch (timed), then decode N tokens one by one after them (timed).
"""
import argparse
import json
import random
import resource
import statistics
import sys
import time

import llama_cpp

from llama_runner import LlamaContext, LlamaModel, quiet_logs


def mean_sd(values):
    return {"mean": statistics.fmean(values),
            "sd": statistics.stdev(values) if len(values) > 1 else 0.0}


def main():
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("-m", "--model", required=True)
    p.add_argument("-p", "--prompt", type=int, default=128)
    p.add_argument("-n", "--decode", type=int, default=32)
    p.add_argument("--reps", type=int, default=3)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--flash-attn", choices=["auto", "on", "off"], default="auto")
    args = p.parse_args()

    quiet_logs()
    load_start = time.perf_counter()
    model = LlamaModel(args.model)
    fa = {"auto": None, "on": True, "off": False}[args.flash_attn]
    n_ctx = args.prompt + args.decode + 16
    ctx = LlamaContext(model, n_ctx, n_threads=args.threads, n_batch=max(args.prompt, 32),
                       flash_attn=fa)
    load_s = time.perf_counter() - load_start
    rng = random.Random(1)
    prompt = [model.bos()] + [rng.randrange(3, model.n_vocab) for _ in range(args.prompt - 1)]
    # Decode feeds fixed pseudo-random tokens (as llama-bench does): sampling is not timed.
    follow = [rng.randrange(3, model.n_vocab) for _ in range(args.decode)]

    # Warm-up: page the weights in and let the thread pool start.
    ctx.decode(prompt[:16], want_logits=False)
    ctx.decode([prompt[16]], want_logits=False)
    prefill, decode = [], []
    for _ in range(args.reps):
        ctx.clear()
        prefill.append(args.prompt / ctx.timed_decode(prompt))
        seconds = sum(ctx.timed_decode([token]) for token in follow)
        decode.append(args.decode / seconds)
    ctx.close()
    model.close()
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({"engine": "llama.cpp", "llama_cpp_python": llama_cpp.__version__,
                      "model": args.model, "backend": "cpu", "threads": args.threads,
                      "prompt_tokens": args.prompt, "decode_tokens": args.decode,
                      "reps": args.reps, "flash_attn": args.flash_attn,
                      "load_s": round(load_s, 3),
                      "prefill_tok_s": mean_sd(prefill), "decode_tok_s": mean_sd(decode),
                      "peak_rss_bytes": peak_kib * 1024}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
