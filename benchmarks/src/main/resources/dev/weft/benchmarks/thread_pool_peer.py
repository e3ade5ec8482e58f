"""The Python side of IoPoolVsPython: the same IO workloads on multiprocessing.pool.ThreadPool,
one thread per task, as the seed runs them. Launched by the Java program (never by hand, though
it can be), which reads the one JSON line this prints.

    python3 thread_pool_peer.py scan RUNS HOST PORT,PORT,...
    python3 thread_pool_peer.py sleep RUNS TASKS MILLIS

Each run times ThreadPool(n) -> map -> close -> join, the whole life of the pool (so that the
Java side's Pool.io() -> map -> close measures the same thing), and also its three parts.
"""
import json
import platform
import socket
import sys
import time
from multiprocessing.pool import ThreadPool


def probe(target):
    host, port = target
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.settimeout(1.0)
    try:
        s.connect((host, port))
        return True
    except OSError:
        return False
    finally:
        s.close()


def sleeper(seconds):
    time.sleep(seconds)
    return seconds


def one_run(fn, items):
    t0 = time.perf_counter()
    pool = ThreadPool(len(items))
    t1 = time.perf_counter()
    results = pool.map(fn, items)
    t2 = time.perf_counter()
    pool.close()
    pool.join()
    t3 = time.perf_counter()
    ms = lambda a, b: round((b - a) * 1000, 3)
    return {"total": ms(t0, t3), "create": ms(t0, t1), "map": ms(t1, t2), "close": ms(t2, t3)}, results


def main(argv):
    workload, runs = argv[1], int(argv[2])
    if workload == "scan":
        host = argv[3]
        items = [(host, int(p)) for p in argv[4].split(",")]
        fn = probe
    elif workload == "sleep":
        items = [int(argv[4]) / 1000.0] * int(argv[3])
        fn = sleeper
    else:
        raise SystemExit("unknown workload " + workload)
    out = {"python": platform.python_version(), "workload": workload, "tasks": len(items), "runs": []}
    try:
        for _ in range(runs):
            timing, results = one_run(fn, items)
            if workload == "scan":
                timing["open"] = sum(1 for r in results if r)
            out["runs"].append(timing)
    except Exception as e:  # e.g. RuntimeError: can't start new thread
        out["error"] = "%s: %s" % (type(e).__name__, e)
    print(json.dumps(out), flush=True)


if __name__ == "__main__":
    main(sys.argv)
