#!/usr/bin/env python3
"""Differential check of atelier-cli tokenize against the reference tokenizer libraries.

Dev-time only (not run by CI): needs `pip install tokenizers sentencepiece protobuf`.
For a vocabulary-only GGUF it builds the equivalent Hugging Face / SentencePiece tokenizer from
the GGUF's own metadata, tokenizes the shared test inputs plus random mixed-script texts with
both, and reports every difference.

    compare_with_reference.py --cli build/app/atelier-cli VOCAB.gguf [--pre NAME] [--count N]

Byte-level BPE ("gpt2") uses the pre-tokenizer named by --pre (default: the file's own
tokenizer.ggml.pre), rebuilt as Hugging Face's tokenizer.json would spell it; to check another
preset with the same vocabulary, give --pre and a copy of the file whose tokenizer.ggml.pre says
the same (use --rewrite-pre to make one).
"""
import argparse
import random
import struct
import subprocess
import sys

# --- a minimal GGUF metadata reader/writer -----------------------------------------------------
_SCALARS = {0: 'B', 1: 'b', 2: 'H', 3: 'h', 4: 'I', 5: 'i', 6: 'f', 7: '?', 10: 'Q', 11: 'q', 12: 'd'}


def _read(f, fmt):
    return struct.unpack('<' + fmt, f.read(struct.calcsize(fmt)))[0]


def _string(f):
    return f.read(_read(f, 'Q')).decode('utf-8', 'replace')


def _value(f, t):
    if t == 8:
        return _string(f)
    if t == 9:
        et, n = _read(f, 'I'), _read(f, 'Q')
        return [_value(f, et) for _ in range(n)]
    return _read(f, _SCALARS[t])


def read_metadata(path):
    with open(path, 'rb') as f:
        assert f.read(4) == b'GGUF', 'not a GGUF file'
        _read(f, 'I'), _read(f, 'Q')
        meta, raw = {}, []
        for _ in range(_read(f, 'Q')):
            start = f.tell()
            key = _string(f)
            meta[key] = _value(f, _read(f, 'I'))
            end = f.tell()
            f.seek(start)
            raw.append((key, f.read(end - start)))
    return meta, raw


def rewrite_pre(src, dst, pre):
    """Copies a vocabulary-only GGUF (no tensors) with tokenizer.ggml.pre replaced."""
    with open(src, 'rb') as f:
        f.read(4)
        version, tensors = _read(f, 'I'), _read(f, 'Q')
    assert tensors == 0, 'only vocabulary-only files can be rewritten'
    _, raw = read_metadata(src)
    blob = b''.join(r for k, r in raw if k != 'tokenizer.ggml.pre')
    key, value = b'tokenizer.ggml.pre', pre.encode()
    blob += struct.pack('<Q', len(key)) + key + struct.pack('<IQ', 8, len(value)) + value
    count = sum(1 for k, _ in raw if k != 'tokenizer.ggml.pre') + 1
    with open(dst, 'wb') as f:
        f.write(b'GGUF' + struct.pack('<IQQ', version, 0, count) + blob)


# --- reference tokenizers ------------------------------------------------------------------------
GPT2 = r"'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+"
LLAMA3 = (r"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+"
          r"[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+")
QWEN2 = LLAMA3.replace(r"\p{N}{1,3}", r"\p{N}")
TEKKEN = (r"[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]*[\p{Ll}\p{Lm}\p{Lo}\p{M}]+|"
          r"[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]+[\p{Ll}\p{Lm}\p{Lo}\p{M}]*|\p{N}|"
          r" ?[^\s\p{L}\p{N}]+[\r\n/]*|\s*[\r\n]+|\s+(?!\S)|\s+")
GPT4O = (r"[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]*[\p{Ll}\p{Lm}\p{Lo}\p{M}]+"
         r"(?i:'s|'t|'re|'ve|'m|'ll|'d)?|[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]+"
         r"[\p{Ll}\p{Lm}\p{Lo}\p{M}]*(?i:'s|'t|'re|'ve|'m|'ll|'d)?|\p{N}{1,3}|"
         r" ?[^\s\p{L}\p{N}]+[\r\n/]*|\s*[\r\n]+|\s+(?!\S)|\s+")
CJK = "[\u4e00-\u9fa5\u0800-\u4e00\uac00-\ud7ff]+"
DEEPSEEK_LETTERS = (r"\s?[" +
                    "\u0041-\u005a\u0061-\u007a\u00b5\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u01ba" +
                    "\u01bc-\u01bf\u01c4-\u0293\u0295-\u02af\u0370-\u0373\u0376\u0377\u037b-\u037d" +
                    "\u037f\u0386\u0388-\u038a\u038c\u038e-\u03a1\u03a3-\u03f5\u03f7-\u0481" +
                    "\u048a-\u052f\u0531-\u0556\u10a0-\u10c5\u13a0-\u13f5\u13f8-\u13fd\u1c90-\u1cba" +
                    "\u1cbd-\u1cbf\u1d00-\u1d2b\u1d6b-\u1d77\u1d79-\u1d9a\u1e00-\u1f15\u1f18-\u1f1d" +
                    "\u1f20-\u1f45\u1f48-\u1f4d\u1f50-\u1f57\u1f59\u1f5b\u1f5d\u1f5f-\u1f7d" +
                    "\u1f80-\u1fb4\u1fb6-\u1fbc\u1fbe\u1fc2-\u1fc4\u1fc6-\u1fcc\u1fd0-\u1fd3" +
                    "\u1fd6-\u1fdb\u1fe0-\u1fec\u1ff2-\u1ff4\u1ff6-\u1ffc\u2102\u2107\u210a-\u2113" +
                    "\u2115\u2119-\u211d\u2124\u2126\u2128\u212a-\u212d\u212f-\u2134\u2139" +
                    "\u213c-\u213f\u2145-\u2149\u214e\u2183\u2184\u2c00-\u2c7b\u2c7e-\u2ce4" +
                    "\u2ceb-\u2cee\u2cf2\u2cf3\ua640-\ua66d\ua680-\ua69b\ua722-\ua76f\ua771-\ua787" +
                    "\ua78b-\ua78e\uab70-\uabbf\ufb00-\ufb06\ufb13-\ufb17\uff21-\uff3a\uff41-\uff5a" +
                    "\U00010400-\U0001044f\U000104b0-\U000104d3\U000104d8-\U000104fb" +
                    "\U00010c80-\U00010cb2\U00010cc0-\U00010cf2\U000118a0-\U000118df" +
                    "\U0001e900-\U0001e943]+")
DEEPSEEK_PUNCT = "\\s?[!-/:-~\uff01-\uff0f\uff1a-\uff5e\u2018-\u201f\u3000-\u3002]+"


def bpe_reference(meta, pre):
    from tokenizers import Regex, Tokenizer, models
    from tokenizers import pre_tokenizers as pt

    def split(rx):
        return pt.Split(Regex(rx), behavior='isolated', invert=False)

    plain = pt.ByteLevel(add_prefix_space=False, trim_offsets=True, use_regex=False)
    gpt2 = pt.ByteLevel(add_prefix_space=False, trim_offsets=True, use_regex=True)
    digits = [pt.Digits(individual_digits=True), gpt2]
    configs = {
        'gpt-2': ([gpt2], False), 'mpt': ([gpt2], False), 'olmo': ([gpt2], False),
        'llama3': ([split(LLAMA3), plain], True), 'llama-bpe': ([split(LLAMA3), plain], True),
        'qwen2': ([split(QWEN2), plain], False),
        'tekken': ([split(TEKKEN), plain], True),
        'starcoder': (digits, False), 'refact': (digits, False), 'smollm': (digits, False),
        'command-r': (digits, False),
        'deepseek-coder': ([split(r"[\r\n]"), split(r"\s?\p{L}+"), split(r"\s?\p{P}+"),
                            split(CJK), split(r"\p{N}"), plain], False),
        'deepseek-llm': ([split(r"[\r\n]"), split(DEEPSEEK_LETTERS), split(DEEPSEEK_PUNCT),
                          split(r"\s+$"), split(CJK), split(r"\p{N}+"), plain], False),
        'gpt-4o': ([split(GPT4O), plain], False), 'llama4': ([split(GPT4O), plain], False),
        'falcon': ([pt.Punctuation(behavior='contiguous'), gpt2,
                    pt.Digits(individual_digits=False), split('[0-9][0-9][0-9]')], False),
    }
    if pre not in configs:
        sys.exit(f'no reference pre-tokenizer for {pre!r} (known: {", ".join(configs)})')
    steps, ignore_merges = configs[pre]
    tokens = meta['tokenizer.ggml.tokens']
    vocab = {t: i for i, t in enumerate(tokens)}
    merges = [tuple(m.split(' ', 1)) for m in meta['tokenizer.ggml.merges']]
    tok = Tokenizer(models.BPE(vocab=vocab, merges=merges, ignore_merges=ignore_merges))
    tok.pre_tokenizer = pt.Sequence(steps)
    return lambda text: tok.encode(text, add_special_tokens=False).ids


def wpm_reference(meta):
    from tokenizers import Tokenizer, models, normalizers, pre_tokenizers
    tokens, types = meta['tokenizer.ggml.tokens'], meta['tokenizer.ggml.token_type']
    vocab = {}
    for i, t in enumerate(tokens):  # back from GGUF's "▁word"/"piece" to BERT's "word"/"##piece"
        hf = t if types[i] == 3 or t.startswith('[') else t[1:] if t.startswith('\u2581') else '##' + t
        vocab.setdefault(hf, i)
    unk = tokens[meta.get('tokenizer.ggml.unknown_token_id', 100)]
    tok = Tokenizer(models.WordPiece(vocab=vocab, unk_token=unk, max_input_chars_per_word=100))
    tok.normalizer = normalizers.BertNormalizer(clean_text=True, handle_chinese_chars=True,
                                                strip_accents=None, lowercase=True)
    tok.pre_tokenizer = pre_tokenizers.BertPreTokenizer()
    return lambda text: tok.encode(text, add_special_tokens=False).ids


def spm_reference(meta):
    import sentencepiece as spm
    from sentencepiece import sentencepiece_model_pb2 as pb
    m = pb.ModelProto()
    m.trainer_spec.model_type = pb.TrainerSpec.BPE
    m.trainer_spec.byte_fallback = True
    unk = meta.get('tokenizer.ggml.unknown_token_id', 0)
    m.trainer_spec.unk_id = unk
    m.trainer_spec.bos_id = meta.get('tokenizer.ggml.bos_token_id', -1)
    m.trainer_spec.eos_id = meta.get('tokenizer.ggml.eos_token_id', -1)
    m.trainer_spec.pad_id = -1
    m.normalizer_spec.name = 'identity'
    m.normalizer_spec.add_dummy_prefix = meta.get('tokenizer.ggml.add_space_prefix', True)
    m.normalizer_spec.remove_extra_whitespaces = meta.get('tokenizer.ggml.remove_extra_whitespaces', False)
    m.normalizer_spec.escape_whitespaces = True
    scores = meta.get('tokenizer.ggml.scores') or [0.0] * len(meta['tokenizer.ggml.tokens'])
    types = meta.get('tokenizer.ggml.token_type') or [1] * len(scores)
    for i, (t, s, ty) in enumerate(zip(meta['tokenizer.ggml.tokens'], scores, types)):
        p = m.pieces.add()
        p.piece, p.score = t, s
        # SentencePiece allows one unknown piece; other "unknown"-typed ones act as control.
        p.type = 2 if i == unk else (3 if ty == 2 else ty)
    sp = spm.SentencePieceProcessor(model_proto=m.SerializeToString())
    return lambda text: sp.encode(text)


# --- inputs and comparison -----------------------------------------------------------------------
POOL = (list("abcdefghijXYZ ''''sStTdDmMlLvVrReE0123456789.,;:!?-_/\\()[]{}<>=+*&^%$#@~`|\"") +
        list("   \t\n\n\r") + ['\u00a0', '\u2028', '\u3000', '\u212a', '\u017f', 'é', 'Ü', 'ß', 'ñ',
                              'д', 'Ж', 'ω', 'Σ', '中', '文', '한', 'ぁ', 'カ', '😀', '🦙', '\u0301',
                              '\u0308', '\u200d', '½', '²', '٣', 'Ⅻ', '\u0e01', '\u0e34', 'ក',
                              '\u17b6', '…', '。', '，', '«', '»', '€', '\u00ad'])


def inputs(inp_file, count, seed):
    texts = []
    if inp_file:
        with open(inp_file, encoding='utf-8') as f:
            texts = [t for t in f.read().split('\n__ggml_vocab_test__\n') if t]
    rng = random.Random(seed)
    for _ in range(count):
        texts.append(''.join(rng.choice(POOL) for _ in range(rng.randint(1, 40))))
    return texts


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('vocab')
    ap.add_argument('--cli', default='build/app/atelier-cli')
    ap.add_argument('--pre', help='byte-level BPE pre-tokenizer to rebuild (default: the file\'s)')
    ap.add_argument('--inputs', help='a .inp file (default: VOCAB.inp when it exists)')
    ap.add_argument('--count', type=int, default=200, help='random texts to add')
    ap.add_argument('--seed', type=int, default=1)
    ap.add_argument('--rewrite-pre', nargs=2, metavar=('PRE', 'OUT'),
                    help='write a copy of VOCAB with tokenizer.ggml.pre = PRE to OUT and exit')
    args = ap.parse_args()
    if args.rewrite_pre:
        rewrite_pre(args.vocab, args.rewrite_pre[1], args.rewrite_pre[0])
        return 0
    meta, _ = read_metadata(args.vocab)
    model = meta['tokenizer.ggml.model']
    if model == 'gpt2':
        reference = bpe_reference(meta, args.pre or meta.get('tokenizer.ggml.pre', 'gpt-2'))
    elif model == 'bert':
        reference = wpm_reference(meta)
    elif model == 'llama':
        reference = spm_reference(meta)
    else:
        sys.exit(f'no reference for tokenizer model {model!r}')
    import os
    inp = args.inputs or (args.vocab + '.inp' if os.path.exists(args.vocab + '.inp') else None)
    texts = inputs(inp, args.count, args.seed)
    bad = 0
    for text in texts:
        expected = reference(text)
        run = subprocess.run([args.cli, 'tokenize', '-m', args.vocab], input=text.encode('utf-8'),
                             capture_output=True, check=True)
        got = [int(x) for x in run.stdout.split()]
        if got != expected:
            bad += 1
            print(f'{text!r}\n  reference: {expected}\n  atelier:   {got}')
    print(f'{args.vocab}: {len(texts) - bad} of {len(texts)} texts match')
    return 1 if bad else 0


if __name__ == '__main__':
    sys.exit(main())
