#!/usr/bin/python3
"""Local encoder benchmark driver (run through bench/run_encoder.sh).

For each shape (MiniLM-L6: BERT, 6 layers, hidden 384, 30522-entry WordPiece vocab; multilingual-e5-small:
XLM-R, 12 layers, hidden 384, 250037-entry Unigram vocab) generates a model with random weights with
tests/local_encoder/make_models.py, texts of ~12 and ~200 tokens, then
times cinerec's encoder (bench/encoder_bench.cpp: text in, vector out) and PyTorch
(bench/encoder_reference.py: token ids in, vector out) on the same weights, batch 1 and 32, 1 and 2
threads. Both engines run as persistent processes and alternate cell by cell (the first engine alternates
between rounds) so background load hits both alike; per cell the median of the rounds' sentences/s
is kept. Writes the JSON results and the table in docs/BENCHMARKS.md between
<!-- encoder:begin --> and <!-- encoder:end -->."""
import argparse
import datetime
import json
import math
import os
import shutil
import statistics
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, os.path.join(ROOT, "tests", "local_encoder"))
from make_models import bert_words, wordpiece  # noqa: E402
from texts import TRAINING  # noqa: E402

from bench_support import cpu_model, replace_section  # noqa: E402


def make_texts(count_tokens, tokens, count):
    """count texts of about `tokens` tokens (specials included), made of the training sentences' words."""
    words = " ".join(TRAINING).split()
    out = []
    for k in range(count):
        i, cur = (k * 37) % len(words), []
        while count_tokens(" ".join(cur)) < tokens:
            cur.append(words[i % len(words)])
            i += 1
        out.append(" ".join(cur))
    return out


def token_counter(model_dir):
    """Tokens per text (with the two special tokens) by the benchmark's reference tokenizers."""
    with open(os.path.join(model_dir, "config.json")) as f:
        model_type = json.load(f)["model_type"]
    if model_type == "xlm-roberta":
        import sentencepiece as spm
        sp = spm.SentencePieceProcessor(model_file=os.path.join(model_dir, "sentencepiece.bpe.model"))
        return lambda text: len(sp.encode(text)) + 2
    with open(os.path.join(model_dir, "tokenizer.json")) as f:
        vocab = json.load(f)["model"]["vocab"]
    return lambda text: len(wordpiece(bert_words(text, True, True), vocab)) + 2


SHAPES = {
    "minilm-l6": "MiniLM-L6 (BERT, 6 layers, hidden 384, 12 heads, FFN 1536, WordPiece vocab 30522, mean pooling, "
                 "normalized)",
    "e5-small": "multilingual-e5-small (XLM-R, 12 layers, hidden 384, 12 heads, FFN 1536, Unigram vocab 250037, "
                "mean pooling, normalized)",
}


def openblas_core():
    import ctypes
    lib = ctypes.CDLL("libopenblas.so.0")
    lib.openblas_get_corename.restype = ctypes.c_char_p
    lib.openblas_get_config.restype = ctypes.c_char_p
    return lib.openblas_get_config().decode(), lib.openblas_get_corename().decode()


def write_markdown(path, result):
    env = result["environment"]
    body = ["Run of %s (`bash bench/run_encoder.sh`), %s, %d cores, load average at start %s. OpenBLAS %s (core %s) "
            "for both engines; PyTorch %s loads %s, runs with OMP_WAIT_POLICY=PASSIVE. %d rounds per cell, "
            "median kept." % (
                result["time"], env["cpu"], env["cores"], env["load_average"], env["openblas"], env["openblas_core"],
                env["torch"], ", ".join(env["torch_blas"]), result["rounds"])]
    for shape, model in result["models"].items():
        cells = [c for c in result["cells"] if c["shape"] == shape]
        acc = model["int8_cosine_to_fp32"]
        body += ["", "**%s**" % model["shape"], "",
                 "| threads | batch | tokens | cinerec fp32 sent/s | PyTorch sent/s | **ratio** | cinerec int8 sent/s | "
                 "int8 ratio | p50 ms cinerec / int8 / PyTorch |",
                 "|---:|---:|---:|---:|---:|---:|---:|---:|---|"]
        for c in cells:
            body.append("| %d | %d | ~%d | %.1f | %.1f | **%.2f×** | %.1f | %.2f× | %.1f / %.1f / %.1f |" % (
                c["threads"], c["batch"], c["tokens"], c["cinerec_sentences_per_s"], c["pytorch_sentences_per_s"],
                c["ratio"], c["cinerec-int8_sentences_per_s"], c["int8_ratio"], c["cinerec_p50_ms"],
                c["cinerec-int8_p50_ms"], c["pytorch_p50_ms"]))
        body += ["", "fp32 ratio: smallest %.2f×, largest %.2f×. int8 vs fp32 vectors over the %d benchmark texts: "
                 "cosine min %.5f, mean %.5f." % (min(c["ratio"] for c in cells), max(c["ratio"] for c in cells),
                                                 acc["texts"], acc["min"], acc["mean"])]
    body += ["", "Ratio = cinerec ÷ PyTorch throughput at equal threads (cinerec includes tokenization, PyTorch "
             "does not); int8 = dynamic quantization of the linear layers."]
    text = open(path).read() if os.path.exists(path) else "# Benchmarks\n"
    with open(path, "w") as f:
        f.write(replace_section(text, "encoder", "\n".join(body)))


def bench_shape(args, shape, work):
    """Times the three engines on one generated model; returns (cells, model description, torch info)."""
    model = os.path.join(work, shape)
    subprocess.run([sys.executable, os.path.join(ROOT, "tests", "local_encoder", "make_models.py"), "--bench", shape,
                    model], check=True)
    count_tokens = token_counter(model)
    texts_file = os.path.join(work, shape + "-texts.json")
    with open(texts_file, "w") as f:
        json.dump({"12": make_texts(count_tokens, 12, 64), "200": make_texts(count_tokens, 200, 64)}, f,
                  ensure_ascii=False)

    samples, extra = {}, {}
    for threads in [int(t) for t in args.threads.split(",")]:
        # Passive OpenMP waiting: with the default (spinning) policy, PyTorch's OpenMP threads and
        # OpenBLAS's threads fight over the cores of a busy machine and PyTorch runs 10-30x slower.
        env = dict(os.environ, OMP_NUM_THREADS=str(threads), OPENBLAS_NUM_THREADS=str(threads),
                   OMP_WAIT_POLICY="PASSIVE")
        common = ["--model-dir", model, "--texts", texts_file, "--threads", str(threads), "--serve"]
        engines = {
            "cinerec": subprocess.Popen([args.binary] + common, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                        text=True, env=env),
            "cinerec-int8": subprocess.Popen([args.binary, "--int8"] + common, stdin=subprocess.PIPE,
                                             stdout=subprocess.PIPE, text=True, env=env),
            "pytorch": subprocess.Popen([sys.executable, os.path.join(HERE, "encoder_reference.py")] + common,
                                        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env=env),
        }
        for rnd in range(args.rounds):
            for tokens in ("12", "200"):
                for batch in (1, 32):
                    # Alternate which engine goes first, so neither always gets the quieter moment.
                    order = ["cinerec", "cinerec-int8", "pytorch"]
                    if rnd % 2 == 1:
                        order.reverse()
                    for engine in order:
                        proc = engines[engine]
                        proc.stdin.write("%d %s %s\n" % (batch, tokens, args.seconds))
                        proc.stdin.flush()
                        line = proc.stdout.readline()
                        if not line:
                            sys.exit("%s engine stopped" % engine)
                        r = json.loads(line)
                        samples.setdefault((threads, batch, int(tokens)), {}).setdefault(engine, []).append(r)
                        if engine == "pytorch":
                            extra = {"torch": r["torch"], "blas": r["blas"]}
            print("%s: threads %d round %d done" % (shape, threads, rnd + 1), file=sys.stderr, flush=True)
        for proc in engines.values():
            proc.stdin.close()
            proc.wait()

    cells = []
    for (threads, batch, tokens), by_engine in sorted(samples.items()):
        c = {"shape": shape, "threads": threads, "batch": batch, "tokens": tokens}
        for engine, runs in by_engine.items():
            c[engine + "_sentences_per_s"] = statistics.median(r["sentences_per_s"] for r in runs)
            c[engine + "_p50_ms"] = statistics.median(r["p50_ms"] for r in runs)
            c[engine + "_rounds"] = [round(r["sentences_per_s"], 2) for r in runs]
        c["ratio"] = c["cinerec_sentences_per_s"] / c["pytorch_sentences_per_s"]
        c["int8_ratio"] = c["cinerec-int8_sentences_per_s"] / c["pytorch_sentences_per_s"]
        cells.append(c)
    vectors = {}
    for name, flags in (("fp32", []), ("int8", ["--int8"])):
        out = os.path.join(work, "%s-%s.json" % (shape, name))
        subprocess.run([args.binary, "--model-dir", model, "--texts", texts_file, "--threads", "2",
                        "--embed-out", out] + flags, check=True)
        with open(out) as f:
            vectors[name] = json.load(f)
    cosines = []
    for tokens in vectors["fp32"]:
        for a, b in zip(vectors["fp32"][tokens], vectors["int8"][tokens]):
            cosines.append(sum(x * y for x, y in zip(a, b)) / math.sqrt(sum(x * x for x in a) * sum(y * y for y in b)))
    shutil.rmtree(model, ignore_errors=True)
    description = {"shape": SHAPES[shape], "weights": "random (tests/local_encoder/make_models.py --bench %s)" % shape,
                   "int8_cosine_to_fp32": {"min": min(cosines), "mean": statistics.mean(cosines),
                                           "texts": len(cosines)}}
    return cells, description, extra


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--binary", required=True)
    ap.add_argument("--json", required=True)
    ap.add_argument("--markdown", required=True)
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--seconds", type=float, default=1.5)
    ap.add_argument("--threads", default="1,2")
    ap.add_argument("--shapes", default=",".join(SHAPES), help="comma-separated, of: " + ", ".join(SHAPES))
    args = ap.parse_args()

    work = tempfile.mkdtemp(prefix="cinerec-encoder-bench-")
    load = " ".join(open("/proc/loadavg").read().split()[:3])
    cells, models, extra = [], {}, {}
    for shape in args.shapes.split(","):
        shape_cells, models[shape], extra = bench_shape(args, shape, work)
        cells += shape_cells
    shutil.rmtree(work, ignore_errors=True)
    config, core = openblas_core()
    result = {
        "benchmark": "local encoder vs PyTorch, same weights",
        "time": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "models": models,
        "rounds": args.rounds,
        "environment": {"cpu": cpu_model(), "cores": os.cpu_count(), "load_average": load, "openblas": config,
                        "openblas_core": core, "torch": extra.get("torch"), "torch_blas": extra.get("blas", [])},
        "cells": cells,
    }
    os.makedirs(os.path.dirname(os.path.abspath(args.json)), exist_ok=True)
    with open(args.json, "w") as f:
        json.dump(result, f, indent=1)
    write_markdown(args.markdown, result)
    for c in cells:
        print("%-9s threads %d batch %2d tokens %3d: cinerec %7.1f/s  int8 %7.1f/s  pytorch %7.1f/s  ratio %.2f  "
              "int8 %.2f" % (c["shape"], c["threads"], c["batch"], c["tokens"], c["cinerec_sentences_per_s"],
                             c["cinerec-int8_sentences_per_s"], c["pytorch_sentences_per_s"], c["ratio"],
                             c["int8_ratio"]))
    for shape, m in models.items():
        print("%s int8 cosine to fp32: min %.5f mean %.5f" % (shape, m["int8_cosine_to_fp32"]["min"],
                                                             m["int8_cosine_to_fp32"]["mean"]))


if __name__ == "__main__":
    main()
