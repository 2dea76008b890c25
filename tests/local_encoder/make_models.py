#!/usr/bin/python3
"""Generates small random-weight sentence-embedding models in the on-disk layout of real ones, and
the reference token ids and embeddings the C++ local encoder must reproduce.

Written independently of the C++ code: tokenization follows the original BERT algorithm (WordPiece,
also run through Hugging Face's tokenizers.js by hf_token_ids.mjs) and SentencePiece itself (Unigram);
the forward pass is a plain PyTorch implementation of the BERT / XLM-R encoder on a *padded* batch
with an additive attention mask (the C++ packs sequences instead), computed in float64.

Usage: make_models.py OUT_DIR            (all test models)
       make_models.py --bench SHAPE OUT_DIR
                                         (benchmark model, SHAPE minilm-l6 or e5-small, no reference)
Writes one directory per model under OUT_DIR, each with config.json, model.safetensors,
tokenizer.json, the sentence-transformers files and (test models) reference.json.
"""
import base64
import collections
import io
import json
import math
import os
import struct
import subprocess
import sys
import unicodedata

import sentencepiece as spm
import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from texts import CORPUS, TRAINING  # noqa: E402


# ----------------------------------------------------------------------------------------------
# WordPiece: vocabulary and reference tokenizer (the original BERT algorithm).

def is_whitespace(ch):
    return ch in " \t\n\r" or unicodedata.category(ch) == "Zs" or ch in "\x0b\x0c\x85\u2028\u2029"


def is_control(ch):
    if ch in "\t\n\r":
        return False
    return unicodedata.category(ch).startswith("C")


def is_punctuation(ch):
    cp = ord(ch)
    if 33 <= cp <= 47 or 58 <= cp <= 64 or 91 <= cp <= 96 or 123 <= cp <= 126:
        return True
    return unicodedata.category(ch).startswith("P")


def is_cjk(cp):
    return (0x4E00 <= cp <= 0x9FFF or 0x3400 <= cp <= 0x4DBF or 0x20000 <= cp <= 0x2A6DF
            or 0x2A700 <= cp <= 0x2B73F or 0x2B740 <= cp <= 0x2B81F or 0x2B820 <= cp <= 0x2CEAF
            or 0xF900 <= cp <= 0xFAFF or 0x2F800 <= cp <= 0x2FA1F)


def bert_words(text, lowercase, strip_accents):
    out = []
    for ch in text:
        if ord(ch) == 0 or ord(ch) == 0xFFFD or is_control(ch):
            continue
        if is_whitespace(ch):
            out.append(" ")
        elif is_cjk(ord(ch)):
            out.append(" " + ch + " ")
        else:
            out.append(ch)
    text = "".join(out)
    if strip_accents:
        text = "".join(c for c in unicodedata.normalize("NFD", text) if unicodedata.category(c) != "Mn")
    if lowercase:
        # Per character, as the Hugging Face normalizer does (no final-sigma context rule).
        text = "".join(c.lower() for c in text)
    words = []
    for token in text.split():
        current = ""
        for ch in token:
            if is_punctuation(ch):
                if current:
                    words.append(current)
                words.append(ch)
                current = ""
            else:
                current += ch
        if current:
            words.append(current)
    return words


def wordpiece(words, vocab, unk="[UNK]", max_chars=100):
    ids = []
    for word in words:
        if len(word) > max_chars:
            ids.append(vocab[unk])
            continue
        pieces, start, bad = [], 0, False
        while start < len(word):
            end, found = len(word), None
            while start < end:
                sub = ("##" if start > 0 else "") + word[start:end]
                if sub in vocab:
                    found = vocab[sub]
                    break
                end -= 1
            if found is None:
                bad = True
                break
            pieces.append(found)
            start = end
        ids.extend([vocab[unk]] if bad else pieces)
    return ids


def build_wordpiece_vocab(lowercase, strip_accents):
    specials = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]
    counts = collections.Counter()
    chars = set()
    for line in TRAINING:
        for w in bert_words(line, lowercase, strip_accents):
            counts[w] += 1
            chars.update(w)
    vocab = list(specials)
    for c in sorted(chars):
        vocab += [c, "##" + c]
    for w, _ in counts.most_common(120):
        if w not in vocab:
            vocab.append(w)
    suffixes = collections.Counter()
    for w, n in counts.items():
        for k in (2, 3, 4):
            if len(w) > k + 1:
                suffixes["##" + w[-k:]] += n
    for s, _ in suffixes.most_common(80):
        if s not in vocab:
            vocab.append(s)
    return {tok: i for i, tok in enumerate(vocab)}


def wordpiece_tokenizer_json(vocab, lowercase, strip_accents):
    return {
        "version": "1.0",
        "truncation": None,
        "padding": None,
        "added_tokens": [{"id": vocab[t], "content": t, "single_word": False, "lstrip": False, "rstrip": False,
                          "normalized": False, "special": True}
                         for t in ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]],
        "normalizer": {"type": "BertNormalizer", "clean_text": True, "handle_chinese_chars": True,
                       "strip_accents": None if strip_accents == lowercase else strip_accents,
                       "lowercase": lowercase},
        "pre_tokenizer": {"type": "BertPreTokenizer"},
        "post_processor": {
            "type": "TemplateProcessing",
            "single": [{"SpecialToken": {"id": "[CLS]", "type_id": 0}}, {"Sequence": {"id": "A", "type_id": 0}},
                       {"SpecialToken": {"id": "[SEP]", "type_id": 0}}],
            "pair": [],
            "special_tokens": {t: {"id": t, "ids": [vocab[t]], "tokens": [t]} for t in ["[CLS]", "[SEP]"]},
        },
        "decoder": {"type": "WordPiece", "prefix": "##", "cleanup": True},
        "model": {"type": "WordPiece", "unk_token": "[UNK]", "continuing_subword_prefix": "##",
                  "max_input_chars_per_word": 100, "vocab": vocab},
    }


# ----------------------------------------------------------------------------------------------
# Unigram: a SentencePiece model, converted to tokenizer.json the way XLM-R's was.

def read_varint(buf, pos):
    result, shift = 0, 0
    while True:
        b = buf[pos]
        pos += 1
        result |= (b & 0x7F) << shift
        if not b & 0x80:
            return result, pos
        shift += 7


def parse_proto(buf):
    """Minimal protobuf reader: {field: [values]} with bytes for length-delimited fields."""
    fields, pos = collections.defaultdict(list), 0
    while pos < len(buf):
        key, pos = read_varint(buf, pos)
        field, wire = key >> 3, key & 7
        if wire == 0:
            value, pos = read_varint(buf, pos)
        elif wire == 1:
            value, pos = buf[pos:pos + 8], pos + 8
        elif wire == 2:
            n, pos = read_varint(buf, pos)
            value, pos = buf[pos:pos + n], pos + n
        elif wire == 5:
            value, pos = buf[pos:pos + 4], pos + 4
        else:
            raise ValueError("unsupported wire type %d" % wire)
        fields[field].append(value)
    return fields


def train_sentencepiece(byte_fallback):
    model = io.BytesIO()
    spm.SentencePieceTrainer.train(
        sentence_iterator=iter(TRAINING * 3), model_writer=model, vocab_size=400, model_type="unigram",
        character_coverage=0.98, hard_vocab_limit=False, byte_fallback=byte_fallback, minloglevel=2,
        normalization_rule_name="nmt_nfkc")
    return model.getvalue()


def unigram_tokenizer_json(model_proto):
    """XLM-R layout: <s> <pad> </s> <unk> first, SentencePiece pieces from its id 3 shifted by one."""
    proto = parse_proto(model_proto)
    pieces = []
    for raw in proto[1]:
        p = parse_proto(raw)
        piece = p[1][0].decode("utf-8")
        score = struct.unpack("<f", p[2][0])[0] if p[2] else 0.0
        pieces.append((piece, score))
    charsmap = parse_proto(proto[3][0])[2][0]
    vocab = [["<s>", 0.0], ["<pad>", 0.0], ["</s>", 0.0], ["<unk>", 0.0]]
    vocab += [[p, s] for p, s in pieces[3:]]
    vocab.append(["<mask>", 0.0])
    byte_fallback = any(p.startswith("<0x") and len(p) == 6 for p, _ in pieces)
    return {
        "version": "1.0",
        "truncation": None,
        "padding": None,
        "added_tokens": [],
        "normalizer": {"type": "Sequence", "normalizers": [
            {"type": "Precompiled", "precompiled_charsmap": base64.b64encode(charsmap).decode("ascii")},
            {"type": "Replace", "pattern": {"Regex": " {2,}"}, "content": " "}]},
        "pre_tokenizer": {"type": "Sequence", "pretokenizers": [
            {"type": "WhitespaceSplit"},
            {"type": "Metaspace", "replacement": "\u2581", "add_prefix_space": True}]},
        "post_processor": {"type": "RobertaProcessing", "sep": ["</s>", 2], "cls": ["<s>", 0],
                           "trim_offsets": True, "add_prefix_space": True},
        "decoder": {"type": "Metaspace", "replacement": "\u2581", "add_prefix_space": True},
        "model": {"type": "Unigram", "unk_id": 3, "vocab": vocab, "byte_fallback": byte_fallback},
    }, len(vocab)


def sentencepiece_ids(processor, text):
    # SentencePiece ids shifted to the XLM-R vocabulary (its <unk> 0 is XLM-R's 3).
    return [3 if i == 0 else i + 1 for i in processor.encode(text)]


# ----------------------------------------------------------------------------------------------
# Weights, safetensors and the reference forward pass.

def random_weights(cfg, gen):
    h, f, v = cfg["hidden_size"], cfg["intermediate_size"], cfg["vocab_size"]
    # Standard deviations scale with 1/sqrt(hidden) so that attention logits and residual updates keep
    # the magnitudes of a trained model at any width (at hidden 64: 0.25 for query/key, 0.1 otherwise).
    unit = 8.0 / math.sqrt(h)

    def rnd(*shape, std=0.1):
        return torch.randn(*shape, generator=gen, dtype=torch.float64) * std

    w = {
        "embeddings.word_embeddings.weight": rnd(v, h, std=0.5),
        "embeddings.position_embeddings.weight": rnd(cfg["max_position_embeddings"], h, std=0.5),
        "embeddings.token_type_embeddings.weight": rnd(cfg["type_vocab_size"], h, std=0.5),
        "embeddings.LayerNorm.weight": 1 + rnd(h),
        "embeddings.LayerNorm.bias": rnd(h),
        "pooler.dense.weight": rnd(h, h),
        "pooler.dense.bias": rnd(h),
    }
    for i in range(cfg["num_hidden_layers"]):
        p = "encoder.layer.%d." % i
        for part in ("query", "key", "value"):
            w[p + "attention.self.%s.weight" % part] = rnd(h, h, std=(0.25 if part != "value" else 0.1) * unit)
            w[p + "attention.self.%s.bias" % part] = rnd(h)
        w[p + "attention.output.dense.weight"] = rnd(h, h, std=0.1 * unit)
        w[p + "attention.output.dense.bias"] = rnd(h)
        w[p + "attention.output.LayerNorm.weight"] = 1 + rnd(h)
        w[p + "attention.output.LayerNorm.bias"] = rnd(h)
        w[p + "intermediate.dense.weight"] = rnd(f, h, std=0.1 * unit)
        w[p + "intermediate.dense.bias"] = rnd(f)
        w[p + "output.dense.weight"] = rnd(h, f, std=0.05 * unit)
        w[p + "output.dense.bias"] = rnd(h)
        w[p + "output.LayerNorm.weight"] = 1 + rnd(h)
        w[p + "output.LayerNorm.bias"] = rnd(h)
    return w


def write_safetensors(path, tensors, dtype, prefix=""):
    """The safetensors layout: u64 header length, JSON header (space-padded to 8 bytes), raw data.
    Returns the weights as stored (rounded to the file's precision), widened to float64."""
    torch_dtype = {"F32": torch.float32, "F16": torch.float16}[dtype]
    header, blobs, stored, offset = {"__metadata__": {"format": "pt"}}, [], {}, 0
    for name in sorted(tensors):
        t = tensors[name].to(torch_dtype).contiguous()
        stored[name] = t.to(torch.float64)
        data = t.numpy().tobytes()
        header[prefix + name] = {"dtype": dtype, "shape": list(t.shape), "data_offsets": [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    head = json.dumps(header).encode("utf-8")
    head += b" " * (-len(head) % 8)
    with open(path, "wb") as out:
        out.write(struct.pack("<Q", len(head)))
        out.write(head)
        for b in blobs:
            out.write(b)
    return stored


def reference_forward(w, cfg, batch_ids):
    """Sentence embeddings of a list of id sequences: padded batch, additive mask, float64."""
    h, nh = cfg["hidden_size"], cfg["num_attention_heads"]
    dh = h // nh
    pad = cfg["pad_token_id"]
    width = max(len(s) for s in batch_ids)
    ids = torch.tensor([s + [pad] * (width - len(s)) for s in batch_ids])
    mask = torch.tensor([[1] * len(s) + [0] * (width - len(s)) for s in batch_ids], dtype=torch.float64)
    if cfg["model_type"] == "xlm-roberta":
        positions = (torch.cumsum(mask, 1) * mask).long() + pad  # RoBERTa: count from padding_idx + 1
    else:
        positions = torch.arange(width).unsqueeze(0).expand_as(ids)
    eps = cfg["layer_norm_eps"]
    x = (w["embeddings.word_embeddings.weight"][ids] + w["embeddings.position_embeddings.weight"][positions]
         + w["embeddings.token_type_embeddings.weight"][0])
    x = F.layer_norm(x, (h,), w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"], eps)
    additive = (1.0 - mask)[:, None, None, :] * -1e30
    B = len(batch_ids)
    for i in range(cfg["num_hidden_layers"]):
        p = "encoder.layer.%d." % i

        def lin(t, name):
            return t @ w[p + name + ".weight"].T + w[p + name + ".bias"]

        def heads(t):
            return t.view(B, width, nh, dh).transpose(1, 2)

        q, k, v = (heads(lin(x, "attention.self." + n)) for n in ("query", "key", "value"))
        probs = torch.softmax(q @ k.transpose(-1, -2) / math.sqrt(dh) + additive, dim=-1)
        ctx = (probs @ v).transpose(1, 2).reshape(B, width, h)
        x = F.layer_norm(lin(ctx, "attention.output.dense") + x, (h,), w[p + "attention.output.LayerNorm.weight"],
                         w[p + "attention.output.LayerNorm.bias"], eps)
        inner = F.gelu(lin(x, "intermediate.dense"))
        x = F.layer_norm(lin(inner, "output.dense") + x, (h,), w[p + "output.LayerNorm.weight"],
                         w[p + "output.LayerNorm.bias"], eps)
    if cfg["_pooling"] == "cls":
        pooled = x[:, 0]
    else:
        pooled = (x * mask[..., None]).sum(1) / mask.sum(1, keepdim=True)
    if cfg["_normalize"]:
        pooled = F.normalize(pooled, p=2, dim=1)
    return pooled


def write_model_dir(out, cfg, tokenizer, weights, dtype, prefix="", max_seq_length=None, prompts=None):
    os.makedirs(out, exist_ok=True)
    public = {k: v for k, v in cfg.items() if not k.startswith("_")}
    with open(os.path.join(out, "config.json"), "w") as f:
        json.dump(public, f, indent=1)
    with open(os.path.join(out, "tokenizer.json"), "w") as f:
        json.dump(tokenizer, f, ensure_ascii=False)
    modules = [{"idx": 0, "name": "0", "path": "", "type": "sentence_transformers.models.Transformer"},
               {"idx": 1, "name": "1", "path": "1_Pooling", "type": "sentence_transformers.models.Pooling"}]
    if cfg["_normalize"]:
        modules.append({"idx": 2, "name": "2", "path": "2_Normalize", "type": "sentence_transformers.models.Normalize"})
    with open(os.path.join(out, "modules.json"), "w") as f:
        json.dump(modules, f, indent=1)
    os.makedirs(os.path.join(out, "1_Pooling"), exist_ok=True)
    with open(os.path.join(out, "1_Pooling", "config.json"), "w") as f:
        json.dump({"word_embedding_dimension": cfg["hidden_size"],
                   "pooling_mode_cls_token": cfg["_pooling"] == "cls",
                   "pooling_mode_mean_tokens": cfg["_pooling"] == "mean",
                   "pooling_mode_max_tokens": False, "pooling_mode_mean_sqrt_len_tokens": False}, f, indent=1)
    if max_seq_length:
        with open(os.path.join(out, "sentence_bert_config.json"), "w") as f:
            json.dump({"max_seq_length": max_seq_length, "do_lower_case": False}, f)
    if prompts:
        with open(os.path.join(out, "config_sentence_transformers.json"), "w") as f:
            json.dump({"prompts": prompts, "default_prompt_name": None}, f)
    return write_safetensors(os.path.join(out, "model.safetensors"), weights, dtype, prefix)


def bert_config(vocab_size, **overrides):
    cfg = {"architectures": ["BertModel"], "model_type": "bert", "vocab_size": vocab_size, "hidden_size": 64,
           "num_hidden_layers": 2, "num_attention_heads": 4, "intermediate_size": 128,
           "max_position_embeddings": 64, "type_vocab_size": 2, "layer_norm_eps": 1e-12, "hidden_act": "gelu",
           "pad_token_id": 0, "position_embedding_type": "absolute", "_pooling": "cls", "_normalize": False}
    cfg.update(overrides)
    return cfg


def xlmr_config(vocab_size, **overrides):
    cfg = {"architectures": ["XLMRobertaModel"], "model_type": "xlm-roberta", "vocab_size": vocab_size,
           "hidden_size": 64, "num_hidden_layers": 2, "num_attention_heads": 4, "intermediate_size": 128,
           "max_position_embeddings": 50, "type_vocab_size": 1, "layer_norm_eps": 1e-5, "hidden_act": "gelu",
           "pad_token_id": 1, "bos_token_id": 0, "eos_token_id": 2, "position_embedding_type": "absolute",
           "_pooling": "mean", "_normalize": True}
    cfg.update(overrides)
    return cfg


def cases_for(cfg, weights, prompts, ids_of, max_tokens):
    cases = []
    for purpose in ("document", "query"):
        prefix = (prompts or {}).get("passage" if purpose == "document" else "query", "")
        ids = []
        for text in CORPUS:
            body = ids_of(prefix + text)[:max_tokens - 2]
            ids.append([cfg["_cls"]] + body + [cfg["_sep"]])
        emb = reference_forward(weights, cfg, ids)
        for text, seq, e in zip(CORPUS, ids, emb):
            cases.append({"text": text, "purpose": purpose, "ids": seq, "embedding": [float(x) for x in e]})
    return cases


def write_reference(out, max_tokens, cases):
    with open(os.path.join(out, "reference.json"), "w") as f:
        json.dump({"max_tokens": max_tokens, "cases": cases}, f, ensure_ascii=False)


def make_test_models(root):
    gen = torch.Generator().manual_seed(1234)

    # BERT uncased: WordPiece with lowercasing and accent stripping, CLS pooling, no normalization,
    # max_seq_length 40 under a 64-position table, fp32.
    vocab = build_wordpiece_vocab(lowercase=True, strip_accents=True)
    cfg = bert_config(len(vocab), _cls=vocab["[CLS]"], _sep=vocab["[SEP]"])
    w = random_weights(cfg, gen)
    stored = write_model_dir(os.path.join(root, "bert"), cfg, wordpiece_tokenizer_json(vocab, True, True), w,
                             "F32", max_seq_length=40)
    write_reference(os.path.join(root, "bert"), 40, cases_for(
        cfg, stored, None, lambda t: wordpiece(bert_words(t, True, True), vocab), 40))

    # XLM-R: SentencePiece Unigram, mean pooling + normalization, e5-style prompts, "roberta." prefix;
    # saved once in fp32 and once in fp16 (whose reference uses the fp16-rounded weights).
    proto = train_sentencepiece(byte_fallback=False)
    sp = spm.SentencePieceProcessor(model_proto=proto)
    tok, vocab_size = unigram_tokenizer_json(proto)
    cfg = xlmr_config(vocab_size, _cls=0, _sep=2)
    prompts = {"query": "query: ", "passage": "passage: "}
    w = random_weights(cfg, gen)
    max_tokens = cfg["max_position_embeddings"] - 2
    for name, dtype in (("xlmr", "F32"), ("xlmr-f16", "F16")):
        out = os.path.join(root, name)
        stored = write_model_dir(out, cfg, tok, w, dtype, prefix="roberta.", prompts=prompts)
        write_reference(out, max_tokens, cases_for(cfg, stored, prompts, lambda t: sentencepiece_ids(sp, t),
                                                   max_tokens))

    # Tokenizer-only variants: cased WordPiece (no lowercasing, accents kept) and Unigram with
    # byte fallback. Reference ids without special tokens or truncation.
    out = os.path.join(root, "bert-cased")
    os.makedirs(out, exist_ok=True)
    vocab = build_wordpiece_vocab(lowercase=False, strip_accents=False)
    with open(os.path.join(out, "tokenizer.json"), "w") as f:
        json.dump(wordpiece_tokenizer_json(vocab, False, False), f, ensure_ascii=False)
    write_reference(out, 0, [{"text": t, "ids": wordpiece(bert_words(t, False, False), vocab)} for t in CORPUS])

    out = os.path.join(root, "unigram-bytes")
    os.makedirs(out, exist_ok=True)
    proto = train_sentencepiece(byte_fallback=True)
    sp = spm.SentencePieceProcessor(model_proto=proto)
    tok, _ = unigram_tokenizer_json(proto)
    with open(os.path.join(out, "tokenizer.json"), "w") as f:
        json.dump(tok, f, ensure_ascii=False)
    write_reference(out, 0, [{"text": t, "ids": sentencepiece_ids(sp, t)} for t in CORPUS])

    # Hugging Face's own implementation as a second WordPiece reference, on both WordPiece tokenizers.
    huggingface_token_ids([os.path.join(root, "bert"), os.path.join(root, "bert-cased")], CORPUS, root)


def huggingface_token_ids(model_dirs, texts, scratch):
    """Writes hf_reference.json (ids without special tokens) into each model dir with tokenizers.js
    (hf_token_ids.mjs), installing it from package-lock.json first when node_modules is missing or stale."""
    here = os.path.dirname(os.path.abspath(__file__))
    stamp = os.path.join(here, "node_modules", ".package-lock.json")
    if not os.path.exists(stamp) or os.path.getmtime(os.path.join(here, "package-lock.json")) > os.path.getmtime(stamp):
        subprocess.run(["npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"], cwd=here, check=True)
    texts_file = os.path.join(scratch, "hf_texts.json")
    with open(texts_file, "w") as f:
        json.dump(texts, f, ensure_ascii=False)
    for model_dir in model_dirs:
        subprocess.run(["node", os.path.join(here, "hf_token_ids.mjs"), model_dir, texts_file], check=True)
    os.remove(texts_file)


def make_minilm_bench_model(out):
    """all-MiniLM-L6-v2's shape (6 layers, hidden 384, 12 heads, FFN 1536) with a generated WordPiece
    vocab padded to 30522 entries; weights random."""
    gen = torch.Generator().manual_seed(7)
    vocab = build_wordpiece_vocab(lowercase=True, strip_accents=True)
    for i in range(len(vocab), 30522):
        vocab["[unused%d]" % i] = i
    cfg = bert_config(len(vocab), hidden_size=384, num_hidden_layers=6, num_attention_heads=12,
                      intermediate_size=1536, max_position_embeddings=512, _pooling="mean", _normalize=True)
    write_model_dir(out, cfg, wordpiece_tokenizer_json(vocab, True, True), random_weights(cfg, gen), "F32",
                    max_seq_length=256)


def make_e5_small_bench_model(out):
    """multilingual-e5-small's shape (XLM-R layout, 12 layers, hidden 384, 12 heads, FFN 1536, Unigram
    vocab of 250037 entries); weights random. The SentencePiece model trained on the texts gives the real
    pieces; the rest of the vocabulary is filled with distinct pieces of Latin letters scored far below
    any real one, so they never win a segmentation (SentencePiece's ids stay valid) but the tokenizer
    still has to consider them, as it does with a real 250k vocabulary. The SentencePiece model is kept
    as sentencepiece.bpe.model (as in real XLM-R directories) for the benchmark's reference side."""
    import random
    gen = torch.Generator().manual_seed(11)
    proto = train_sentencepiece(byte_fallback=False)
    tok, _ = unigram_tokenizer_json(proto)
    vocab = tok["model"]["vocab"]
    mask = vocab.pop()
    taken = {piece for piece, _ in vocab}
    rng = random.Random(11)
    letters = "abcdefghijklmnopqrstuvwxyzáéíóúñ"
    while len(vocab) < 250036:
        piece = ("\u2581" if rng.random() < 0.5 else "") + "".join(rng.choice(letters) for _ in range(rng.randint(3, 9)))
        if piece not in taken:
            taken.add(piece)
            vocab.append([piece, -1000.0 - rng.random()])
    vocab.append(mask)
    cfg = xlmr_config(len(vocab), hidden_size=384, num_hidden_layers=12, num_attention_heads=12,
                      intermediate_size=1536, max_position_embeddings=514)
    write_model_dir(out, cfg, tok, random_weights(cfg, gen), "F32", max_seq_length=512)
    with open(os.path.join(out, "sentencepiece.bpe.model"), "wb") as f:
        f.write(proto)


BENCH_MODELS = {"minilm-l6": make_minilm_bench_model, "e5-small": make_e5_small_bench_model}


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--bench" and sys.argv[2] in BENCH_MODELS:
        BENCH_MODELS[sys.argv[2]](sys.argv[3])
    elif len(sys.argv) == 2:
        make_test_models(sys.argv[1])
    else:
        sys.exit(__doc__)
