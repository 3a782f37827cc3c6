#!/usr/bin/env python3
"""Records what llama.cpp (through llama-cpp-python, CPU build) computes on a GGUF model, into a
JSON fixture that Atelier's conformance tests compare against. Format: see README.md here.

    python3 -m venv /tmp/v && /tmp/v/bin/pip install -r tools/requirements-dev.txt
    /tmp/v/bin/python tools/llama_reference/record.py MODEL.gguf -o FIXTURE.json \
        [--prompt TEXT ...] [--steps 8] [--top-k 10] [--top-steps 8] [--no-long]
    /tmp/v/bin/python tools/llama_reference/record.py --fixtures
        -> tests/inference/llm/reference/<model>.llamacpp.json for every
           tests/inference/llm/fixtures/*.gguf

Everything runs greedy (temperature 0: argmax, lowest id on ties), 2 threads, F16 KV cache,
flash attention off, fixed context sizes written into the fixture. Cases:
  text            prompts tokenized by llama.cpp (BOS as the metadata says, no special-token
                  parsing); an empty prompt starts from BOS alone
  ids             a fixed pseudo-random token-id prompt (no tokenizer involved); and, where
                  tools/make_models wrote a numpy reference beside the model, its prompt
  long_prefill    a prompt of 1,100 token ids in one context of 1,280
  prefix_reuse    a prompt, its greedy reply, then a longer prompt extending prompt + reply in
                  the SAME context: llama.cpp keeps the shared prefix and decodes only the rest
  context_overflow a prompt longer than the context, fitted the way Atelier's session does
                  (protected prefix kept, oldest turns dropped whole); llama.cpp's greedy run
                  on the fitted prompt is recorded (llama.cpp itself has no such policy, and
                  rounds small contexts up to 256 cells, so it would not even overflow)
"""
import argparse
import hashlib
import json
import random
import sys
from pathlib import Path

import llama_cpp

from llama_runner import DecodeError, LlamaContext, LlamaModel, quiet_logs

REPO = Path(__file__).resolve().parents[2]
FIXTURE_MODELS = REPO / "tests" / "inference" / "llm" / "fixtures"
REFERENCE_DIR = REPO / "tests" / "inference" / "llm" / "reference"
FORMAT_VERSION = 1

DEFAULT_PROMPTS = ["once upon a time there was a little girl named lily",
                   "the cat sat on the mat. the dog is a story",
                   "Hello, world!", ""]


def sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def top_k(logits, k):
    order = sorted(range(len(logits)), key=lambda i: (-logits[i], i))[:k]
    return {"ids": order, "values": [round(float(logits[i]), 5) for i in order],
            "max_abs": round(max(abs(float(v)) for v in logits), 5)}


def argmax(logits):
    best = 0
    for i in range(1, len(logits)):
        if logits[i] > logits[best]:
            best = i
    return best


def greedy(ctx, logits, steps, k, top_steps):
    """Greedy continuation from `logits` (after the prompt): the chosen ids and the top-k of
    the first `top_steps` steps (the logits each chosen token was picked from)."""
    chosen, tops = [], []
    for step in range(steps):
        if step < top_steps:
            tops.append(top_k(logits, k))
        token = argmax(logits)
        chosen.append(token)
        if step + 1 < steps:
            logits = ctx.decode([token])
    return chosen, tops


def random_ids(model, n, seed):
    """Token ids >= 3 (past <unk>, <s>, </s>) that are not control tokens, reproducibly."""
    rng = random.Random(seed)
    usable = [t for t in range(3, model.n_vocab)
              if not llama_cpp.llama_vocab_is_control(model.vocab, t)]
    return [rng.choice(usable) for _ in range(n)]


def with_bos(model, ids):
    return ([model.bos()] if model.add_bos() else []) + ids


def run_prompt(model, tokens, n_ctx, args):
    ctx = LlamaContext(model, n_ctx, n_threads=args.threads)
    try:
        logits = ctx.decode(tokens)
        out, tops = greedy(ctx, logits, args.steps, args.top_k, args.top_steps)
    finally:
        ctx.close()
    return {"prompt_tokens": tokens, "n_ctx": n_ctx, "greedy": out, "top_logits": tops}


def text_cases(model, args):
    cases = []
    for i, text in enumerate(args.prompt if args.prompt is not None else DEFAULT_PROMPTS):
        tokens = model.tokenize(text, add_special=True, parse_special=False)
        if not tokens:
            tokens = [model.bos()]  # an empty prompt starts from BOS alone
        case = {"name": f"text_{i}", "kind": "text", "prompt_text": text}
        case.update(run_prompt(model, tokens, args.ctx, args))
        cases.append(case)
    return cases


def ids_case(model, args):
    tokens = with_bos(model, random_ids(model, 24, seed=1))
    case = {"name": "ids", "kind": "ids"}
    case.update(run_prompt(model, tokens, args.ctx, args))
    return case


def numpy_prompt_case(model, model_path, args):
    """The prompt of tools/make_models' numpy reference for this model, when there is one, so
    that llama.cpp, the numpy reference and our engine can be compared on the same tokens."""
    ref = Path(model_path).with_suffix(".reference.json")
    if not ref.exists():
        return []
    data = json.loads(ref.read_text())
    case = {"name": "numpy_reference_prompt", "kind": "ids",
            "numpy_reference": ref.name, "numpy_greedy": data.get("greedy")}
    case.update(run_prompt(model, [int(t) for t in data["prompt"]], args.ctx, args))
    return [case]


def long_prefill_case(model, args):
    tokens = with_bos(model, random_ids(model, 1100, seed=2))
    case = {"name": "long_prefill", "kind": "long_prefill"}
    case.update(run_prompt(model, tokens, 1280, args))
    return case


def prefix_reuse_case(model, args):
    """First request, its greedy reply, then a follow-up that extends prompt + reply."""
    n_ctx = 512
    first = with_bos(model, random_ids(model, 300, seed=3))
    ctx = LlamaContext(model, n_ctx, n_threads=args.threads)
    try:
        logits = ctx.decode(first)
        reply, first_tops = greedy(ctx, logits, 4, args.top_k, args.top_steps)
        second = first + reply + random_ids(model, 40, seed=4)
        # What the cache holds now: the first prompt and all reply tokens but the last.
        common = 0
        while common < min(len(ctx.tokens), len(second)) and ctx.tokens[common] == second[common]:
            common += 1
        common = min(common, len(second) - 1)  # at least one token to decode for logits
        ctx.keep_prefix(common)
        logits = ctx.decode(second[common:])
        out, tops = greedy(ctx, logits, args.steps, args.top_k, args.top_steps)
    finally:
        ctx.close()
    # The same second prompt without reuse: how far llama.cpp itself moves (chunking).
    fresh = run_prompt(model, second, n_ctx, args)
    drift = max(abs(a - b) for ta, tb in zip(tops, fresh["top_logits"])
                for a, b in zip(ta["values"], tb["values"]) if ta["ids"] == tb["ids"]) \
        if tops else 0.0
    return {"name": "prefix_reuse", "kind": "prefix_reuse", "n_ctx": n_ctx,
            "first": {"prompt_tokens": first, "greedy": reply, "top_logits": first_tops},
            "prompt_tokens": second, "cached_tokens": common,
            "greedy": out, "top_logits": tops,
            "fresh_greedy": fresh["greedy"],
            "fresh_max_top_logit_diff": round(float(drift), 5)}


def fit_prompt(prompt, protected, turn_starts, budget):
    """Atelier's documented policy (inference/llm/context_window.hpp): keep the protected
    prefix, drop whole turns oldest first (never the last); then cut right after the prefix."""
    starts = list(turn_starts)
    bounds = starts + [len(prompt)]
    dropped_turns, first_kept = 0, 0
    tokens = prompt
    while len(tokens) > budget and first_kept < len(starts) - 1:
        first_kept += 1
        dropped_turns += 1
        tokens = prompt[:protected] + prompt[bounds[first_kept]:]
    if len(tokens) > budget:
        cut = len(tokens) - budget
        tokens = tokens[:protected] + tokens[protected + cut:]
    return tokens, len(prompt) - len(tokens), dropped_turns


def context_overflow_case(model, args):
    n_ctx, max_tokens, protected, turn_len, turns = 128, 8, 16, 40, 5
    reserve = min(max_tokens, n_ctx // 2)  # GenerateRequest.reserveForReply = -1
    prefix = with_bos(model, random_ids(model, protected - (1 if model.add_bos() else 0), 5))
    prompt, turn_starts = list(prefix), []
    for t in range(turns):
        turn_starts.append(len(prompt))
        prompt += random_ids(model, turn_len, seed=10 + t)
    kept, dropped_tokens, dropped_turns = fit_prompt(prompt, protected, turn_starts,
                                                     n_ctx - reserve)
    result = run_prompt(model, kept, n_ctx, argparse.Namespace(**{**vars(args),
                                                                   "steps": max_tokens}))
    return {"name": "context_overflow", "kind": "context_overflow", "n_ctx": n_ctx,
            "max_tokens": max_tokens, "reserve_for_reply": reserve,
            "protected_prefix": protected, "turn_starts": turn_starts,
            "full_prompt_tokens": prompt,
            "dropped_tokens": dropped_tokens, "dropped_turns": dropped_turns,
            "prompt_tokens": kept, "greedy": result["greedy"],
            "top_logits": result["top_logits"]}


def record(model_path, out_path, args):
    quiet_logs()
    # llama.cpp picks per-token attributes by general.name: a name containing "phi3" makes it
    # look up "<|endoftext|>", which the tiny fixture vocabularies do not have. The name has
    # no other effect on inference, so read a neutral one.
    model = LlamaModel(model_path, {"general.name": "conformance fixture"})
    try:
        cases = text_cases(model, args) + [ids_case(model, args)] + \
            numpy_prompt_case(model, model_path, args)
        if not args.no_long:
            cases += [long_prefill_case(model, args), prefix_reuse_case(model, args),
                      context_overflow_case(model, args)]
        fixture = {
            "format": FORMAT_VERSION,
            "generator": "tools/llama_reference/record.py",
            "llama_cpp_python": llama_cpp.__version__,
            "model": Path(model_path).name,
            "model_sha256": sha256(model_path),
            "n_vocab": model.n_vocab,
            "add_bos": model.add_bos(),
            "bos": model.bos(),
            "settings": {"threads": args.threads, "n_ctx": args.ctx, "n_batch": 512,
                         "kv_cache": "f16", "flash_attn": False, "sampling": "greedy",
                         "top_k": args.top_k, "top_steps": args.top_steps,
                         "steps": args.steps},
            "cases": cases,
        }
    finally:
        model.close()
    Path(out_path).parent.mkdir(parents=True, exist_ok=True)
    Path(out_path).write_text(json.dumps(fixture, indent=None, separators=(",", ":")) + "\n")
    summary = ", ".join(f"{c['name']}:{c['greedy'][:4]}" for c in cases)
    print(f"{out_path}: {Path(out_path).stat().st_size} bytes; {summary}")


def main():
    p = argparse.ArgumentParser(description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("model", nargs="?", help="GGUF file")
    p.add_argument("-o", "--output", help="fixture JSON to write")
    p.add_argument("--fixtures", action="store_true",
                   help="record every tests/inference/llm/fixtures/*.gguf")
    p.add_argument("--prompt", action="append", help="text prompt (repeatable)")
    p.add_argument("--steps", type=int, default=8, help="greedy tokens per case")
    p.add_argument("--top-k", type=int, default=10, help="logits kept per step")
    p.add_argument("--top-steps", type=int, default=8, help="steps whose top logits are kept")
    p.add_argument("--ctx", type=int, default=256, help="context of the short cases")
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--no-long", action="store_true",
                   help="skip long_prefill, prefix_reuse and context_overflow")
    args = p.parse_args()
    if args.fixtures:
        models = sorted(FIXTURE_MODELS.glob("*.gguf"))
        if not models:
            sys.exit(f"no GGUF files in {FIXTURE_MODELS}")
        for m in models:
            record(m, REFERENCE_DIR / (m.stem + ".llamacpp.json"), args)
    elif args.model and args.output:
        record(args.model, args.output, args)
    else:
        p.error("give MODEL and -o OUTPUT, or --fixtures")


if __name__ == "__main__":
    main()
