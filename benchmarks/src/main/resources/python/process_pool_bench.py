"""Python's side of Weft's ProcessPoolBenchmark: the same workloads on concurrent.futures'
ProcessPoolExecutor and multiprocessing.Pool, printed as one JSON object on stdout.

Run by dev.weft.benchmarks.ProcessPoolBenchmark with the machine's python3:
    python3 process_pool_bench.py WORKERS SUBMITS ROUNDTRIPS MAP_ITEMS
"""
import json
import multiprocessing
import sys
import time
from concurrent.futures import ProcessPoolExecutor, wait


def identity(x):
    return x


def best_rate(runs, n, fn):
    rates = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        rates.append(n / (time.perf_counter() - start))
    return max(rates), sorted(rates)[len(rates) // 2]


def main():
    workers, submits, roundtrips, map_items = (int(a) for a in sys.argv[1:5])
    out = {"python": sys.version.split()[0], "workers": workers}

    start = time.perf_counter()
    with ProcessPoolExecutor(max_workers=1) as ex:
        ex.submit(identity, 1).result()
        out["executor_first_result_ms"] = (time.perf_counter() - start) * 1e3

    with ProcessPoolExecutor(max_workers=workers) as ex:
        list(ex.map(identity, range(1000)))                     # start every worker
        best, median = best_rate(3, submits, lambda: wait([ex.submit(identity, i) for i in range(submits)]))
        out["executor_submit_per_s"] = {"best": best, "median": median}
        for i in range(200):
            ex.submit(identity, i).result()
        start = time.perf_counter()
        for i in range(roundtrips):
            ex.submit(identity, i).result()
        out["executor_roundtrip_us"] = (time.perf_counter() - start) / roundtrips * 1e6

    with multiprocessing.Pool(workers) as pool:
        pool.map(identity, range(1000))
        best, median = best_rate(3, submits, lambda: [r.get() for r in [pool.apply_async(identity, (i,)) for i in range(submits)]])
        out["pool_apply_async_per_s"] = {"best": best, "median": median}
        best, median = best_rate(3, map_items, lambda: pool.map(identity, range(map_items), chunksize=100))
        out["pool_map_chunksize100_items_per_s"] = {"best": best, "median": median}

    print(json.dumps(out))


if __name__ == "__main__":
    main()
