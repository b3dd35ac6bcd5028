"""What the probe costs a run: the same workflows on two servers that differ only in the probe
being on (COMFYPROF_PROBE=1) or off (COMFYPROF_PROBE=0, the pack loaded but idle), submitted
alternately by a plain HTTP client. Run time = execution_success − execution_start, the server's
own stamps from /history (whole ms). Standard library only; not part of the pack ComfyUI loads.

  python3 overhead.py http://127.0.0.1:8189 http://127.0.0.1:8190 --runs 20

Prints, per workflow, the median run time on each server, the difference, and a 95 % bootstrap
interval of the difference of medians (docs/performance.md "Probe overhead")."""

import argparse
import json
import random
import statistics
import time
import urllib.request
import uuid


def many_small_nodes(count=30):
    """A chain of cheap stock nodes on a small image: many messages per second of run."""
    prompt = {"1": {"class_type": "EmptyImage", "inputs": {"width": 64, "height": 64, "batch_size": 1, "color": 0}}}
    for i in range(2, count + 2):
        prompt[str(i)] = {"class_type": "ImageInvert", "inputs": {"image": [str(i - 1), 0]}}
    prompt[str(count + 2)] = {"class_type": "PreviewImage", "inputs": {"images": [str(count + 1), 0]}}
    return prompt


def post(base, path, body):
    request = urllib.request.Request(base + path, data=json.dumps(body).encode(), headers={"Content-Type": "application/json"})
    return json.loads(urllib.request.urlopen(request).read() or b"null")


def run_once(base, prompt):
    """Submits with a fresh nonce on every node (so every node runs) and returns the server's execution time, ms."""
    for node in prompt.values():
        node["inputs"]["overhead_nonce"] = uuid.uuid4().hex
    prompt_id = post(base, "/prompt", {"prompt": prompt, "client_id": "overhead-client"})["prompt_id"]
    while True:
        history = json.loads(urllib.request.urlopen(f"{base}/history/{prompt_id}").read())
        if prompt_id in history:
            break
        time.sleep(0.02)
    stamps = {kind: data.get("timestamp") for kind, data in history[prompt_id]["status"]["messages"]}
    return stamps["execution_success"] - stamps["execution_start"]


def bootstrap_median_difference(a, b, rounds=10_000, seed=20261130):
    rng = random.Random(seed)
    diffs = sorted(
        statistics.median(rng.choices(a, k=len(a))) - statistics.median(rng.choices(b, k=len(b))) for _ in range(rounds)
    )
    return diffs[int(0.025 * rounds)], diffs[int(0.975 * rounds)]


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("probe_on")
    parser.add_argument("probe_off")
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--workflow", action="append", help="an API-format workflow file (default: 30 small stock nodes)")
    args = parser.parse_args()
    workflows = {path: json.load(open(path)) for path in args.workflow or []} or {"30 ImageInvert nodes (64×64)": many_small_nodes()}
    for name, prompt in workflows.items():
        times = {args.probe_on: [], args.probe_off: []}
        for base in times:  # one warm-up each: first-use costs (imports, allocations) are not the probe's
            run_once(base, json.loads(json.dumps(prompt)))
        for i in range(args.runs):
            order = [args.probe_on, args.probe_off] if i % 2 == 0 else [args.probe_off, args.probe_on]
            for base in order:
                times[base].append(run_once(base, json.loads(json.dumps(prompt))))
        on, off = times[args.probe_on], times[args.probe_off]
        low, high = bootstrap_median_difference(on, off)
        m_on, m_off = statistics.median(on), statistics.median(off)
        print(json.dumps({
            "workflow": name, "runs": args.runs,
            "medianOnMs": m_on, "medianOffMs": m_off, "differenceMs": m_on - m_off,
            "difference95": [low, high], "relative": (m_on - m_off) / m_off,
            "onMs": on, "offMs": off,
        }))


if __name__ == "__main__":
    main()
