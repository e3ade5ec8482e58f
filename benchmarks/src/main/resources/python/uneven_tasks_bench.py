"""The Python side of UnevenTasksBenchmark: uneven sleeping tasks on a process pool.

Arguments: workers items slow_every slow_ms fast_ms rounds. Prints one JSON object: for each way
of running the items, the wall time of each round in milliseconds, until every item is done and
(suffix _fast_ms) until every fast item is done.
"""
import concurrent.futures
import json
import multiprocessing
import sys
import time


def task(i, slow_every, slow_ms, fast_ms):
    time.sleep((slow_ms if i % slow_every == 0 else fast_ms) / 1000.0)
    return i


def main():
    workers, items, slow_every, slow_ms, fast_ms, rounds = (int(a) for a in sys.argv[1:7])
    args = [(i, slow_every, slow_ms, fast_ms) for i in range(items)]
    slow = [i % slow_every == 0 for i in range(items)]
    fast_items = slow.count(False)
    out = {"executor_map_ms": [], "executor_submit_ms": [], "executor_submit_fast_ms": [],
           "pool_imap_unordered_ms": [], "pool_imap_unordered_fast_ms": []}
    with concurrent.futures.ProcessPoolExecutor(max_workers=workers) as ex:
        list(ex.map(task, *zip(*[(i, 1_000_000, 1, 1) for i in range(2 * workers)])))    # every worker started
        for _ in range(rounds):
            t = time.perf_counter()
            list(ex.map(task, *zip(*args)))
            out["executor_map_ms"].append((time.perf_counter() - t) * 1000)
            t = time.perf_counter()
            futures = [ex.submit(task, *a) for a in args]
            for i, f in enumerate(futures):
                if not slow[i]:
                    f.result()
            out["executor_submit_fast_ms"].append((time.perf_counter() - t) * 1000)
            for f in futures:
                f.result()
            out["executor_submit_ms"].append((time.perf_counter() - t) * 1000)
    with multiprocessing.Pool(workers) as pool:
        pool.starmap(task, [(i, 1_000_000, 1, 1) for i in range(2 * workers)])
        for _ in range(rounds):
            t = time.perf_counter()
            seen = 0
            for i in pool.imap_unordered(star, args, 1):
                if not slow[i]:
                    seen += 1
                    if seen == fast_items:
                        out["pool_imap_unordered_fast_ms"].append((time.perf_counter() - t) * 1000)
            out["pool_imap_unordered_ms"].append((time.perf_counter() - t) * 1000)
    print(json.dumps(out))


def star(a):
    return task(*a)


if __name__ == "__main__":
    main()
