#!/usr/bin/python3
"""PyTorch side of the local encoder benchmark: the same model directory run by a plain PyTorch
BERT / XLM-R encoder (float32, inference mode; the operations Hugging Face's BertModel performs: padded
batch, additive attention mask, matmul + softmax attention, erf GELU, LayerNorm), mean pooling and
normalization. Token ids come from the Python WordPiece reference of the parity tests (BERT) or
SentencePiece (XLM-R), outside the timed region (cinerec's timings include its tokenization). One JSON object per cell on stdout.

Usage: encoder_reference.py --model-dir DIR --texts FILE --threads N [--batches 1,32] [--seconds S]
Thread count is fixed through OMP_NUM_THREADS / OPENBLAS_NUM_THREADS by the caller as well."""
import argparse
import json
import math
import os
import struct
import sys
import time

import numpy as np
import sentencepiece as spm
import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "local_encoder"))
from make_models import bert_words, wordpiece  # noqa: E402


def read_safetensors(path):
    with open(path, "rb") as f:
        n = struct.unpack("<Q", f.read(8))[0]
        header = json.loads(f.read(n))
        data = f.read()
    out = {}
    for name, spec in header.items():
        if name == "__metadata__":
            continue
        assert spec["dtype"] == "F32"
        b, e = spec["data_offsets"]
        out[name] = torch.from_numpy(np.frombuffer(data[b:e], dtype=np.float32).copy()).view(spec["shape"])
    return out


class Encoder:
    def __init__(self, model_dir):
        with open(os.path.join(model_dir, "config.json")) as f:
            self.cfg = json.load(f)
        self.w = read_safetensors(os.path.join(model_dir, "model.safetensors"))
        with open(os.path.join(model_dir, "sentence_bert_config.json")) as f:
            self.max_tokens = json.load(f)["max_seq_length"]
        self.xlmr = self.cfg["model_type"] == "xlm-roberta"
        if self.xlmr:
            # XLM-R directories ship the SentencePiece model; its ids are XLM-R's shifted by one (<unk> 0 -> 3).
            self.sp = spm.SentencePieceProcessor(model_file=os.path.join(model_dir, "sentencepiece.bpe.model"))
        else:
            with open(os.path.join(model_dir, "tokenizer.json")) as f:
                self.vocab = json.load(f)["model"]["vocab"]

    def ids(self, text):
        if self.xlmr:
            body = [3 if i == 0 else i + 1 for i in self.sp.encode(text)][: self.max_tokens - 2]
            return [self.cfg["bos_token_id"]] + body + [self.cfg["eos_token_id"]]
        body = wordpiece(bert_words(text, True, True), self.vocab)[: self.max_tokens - 2]
        return [self.vocab["[CLS]"]] + body + [self.vocab["[SEP]"]]

    def forward(self, batch_ids):
        cfg, w = self.cfg, self.w
        h, nh = cfg["hidden_size"], cfg["num_attention_heads"]
        dh = h // nh
        B, L = len(batch_ids), max(len(s) for s in batch_ids)
        pad = cfg["pad_token_id"]
        ids = torch.tensor([s + [pad] * (L - len(s)) for s in batch_ids])
        mask = torch.tensor([[1] * len(s) + [0] * (L - len(s)) for s in batch_ids], dtype=torch.float32)
        if self.xlmr:
            # RoBERTa counts positions from padding_idx + 1 and gives padding the padding position.
            positions = w["embeddings.position_embeddings.weight"][(torch.cumsum(mask, 1) * mask).long() + pad]
        else:
            positions = w["embeddings.position_embeddings.weight"][:L]
        x = (w["embeddings.word_embeddings.weight"][ids] + positions + w["embeddings.token_type_embeddings.weight"][0])
        eps = cfg["layer_norm_eps"]
        x = F.layer_norm(x, (h,), w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"], eps)
        additive = (1.0 - mask)[:, None, None, :] * torch.finfo(torch.float32).min
        for i in range(cfg["num_hidden_layers"]):
            p = "encoder.layer.%d." % i

            def lin(t, name):
                return F.linear(t, w[p + name + ".weight"], w[p + name + ".bias"])

            def heads(t):
                return t.view(B, L, nh, dh).transpose(1, 2)

            q, k, v = (heads(lin(x, "attention.self." + n)) for n in ("query", "key", "value"))
            probs = torch.softmax(torch.matmul(q, k.transpose(-1, -2)) / math.sqrt(dh) + additive, dim=-1)
            ctx = torch.matmul(probs, v).transpose(1, 2).reshape(B, L, h)
            x = F.layer_norm(lin(ctx, "attention.output.dense") + x, (h,), w[p + "attention.output.LayerNorm.weight"],
                             w[p + "attention.output.LayerNorm.bias"], eps)
            x = F.layer_norm(lin(F.gelu(lin(x, "intermediate.dense")), "output.dense") + x, (h,),
                             w[p + "output.LayerNorm.weight"], w[p + "output.LayerNorm.bias"], eps)
        pooled = (x * mask[..., None]).sum(1) / mask.sum(1, keepdim=True)
        return F.normalize(pooled, p=2, dim=1)


def blas_in_use():
    with open("/proc/self/maps") as f:
        libs = {line.split()[-1] for line in f if "blas" in line.lower() and "/" in line}
    return sorted(os.path.realpath(l) for l in libs)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--model-dir", required=True)
    ap.add_argument("--texts", required=True)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--batches", default="1,32")
    ap.add_argument("--seconds", type=float, default=1.5)
    ap.add_argument("--serve", action="store_true", help='read cells "<batch> <tokens> <seconds>" from stdin')
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    enc = Encoder(args.model_dir)
    with open(args.texts) as f:
        texts = json.load(f)
    ids = {tokens: [enc.ids(t) for t in pool] for tokens, pool in texts.items()}
    counter = [0]

    def run_cell(batch, tokens, seconds):
        pool_ids = ids[tokens]

        def take():
            out = [pool_ids[(counter[0] + i) % len(pool_ids)] for i in range(batch)]
            counter[0] += batch
            return out

        enc.forward(take())  # warm-up
        ms, start = [], time.perf_counter()
        while len(ms) < 2 or time.perf_counter() - start < seconds:
            inputs = take()
            t0 = time.perf_counter()
            enc.forward(inputs)
            ms.append((time.perf_counter() - t0) * 1000)
        ms.sort()
        print(json.dumps({"engine": "pytorch", "threads": args.threads, "batch": batch, "tokens": int(tokens),
                          "calls": len(ms), "p50_ms": ms[len(ms) // 2], "p90_ms": ms[len(ms) * 9 // 10],
                          "sentences_per_s": 1000.0 * batch / ms[len(ms) // 2],
                          "torch": torch.__version__, "blas": blas_in_use(),
                          "mean_tokens": sum(len(s) for s in pool_ids) / len(pool_ids)}), flush=True)

    with torch.inference_mode():
        if args.serve:
            # One cell per input line "<batch> <tokens> <seconds>", so a driver can interleave engines.
            for line in sys.stdin:
                batch, tokens, seconds = line.split()
                run_cell(int(batch), tokens, float(seconds))
        else:
            for tokens in texts:
                for batch in [int(b) for b in args.batches.split(",")]:
                    run_cell(batch, tokens, args.seconds)

if __name__ == "__main__":
    main()
