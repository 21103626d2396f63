#!/usr/bin/env python3
"""Bounded load of questions to the coach, for t/integration/db-restart.sh
and bench/db-restart.sh.

Each client (a signed-in user: a cookie and its CSRF token) asks N questions
one after another in its own conversation (the first starts it, the others
continue it), alternating a JSON answer and a streamed one.  A request
succeeds when it answers 200 with an answer document (JSON) or a stream that
ends with `done`.  One JSON line per request goes to stdout:
{"client", "i", "mode", "status", "ok", "start", "end", "ms", "error",
"conversation_id", "message_id"} (the answer's id, when the server gave one) with
times in seconds since the epoch.  While the clients run, GET /health is
polled every 50 ms and each probe is printed as {"health": status, "start",
"end", "ms"}.

    ask-load.py run BASE_URL CLIENTS_FILE N
    (CLIENTS_FILE: one "COOKIE CSRF" per line, COOKIE as name=value)

`summary` reads those lines and the outage's start and end (epoch
seconds) and prints one JSON object: requests, failed, in flight across
the outage, latency percentiles, and the /health probes made during the
outage (how many answered 503, the slowest); failed requests go to
stderr.

    ask-load.py summary RESULTS_FILE OUTAGE_START OUTAGE_END
"""
import http.client
import json
import sys
import threading
import time
import urllib.parse

QUESTIONS = [
    "How should our team write norms?",
    "What makes a good common formative assessment?",
    "How do we plan interventions during the school day?",
    "How often should we look at student data together?",
    "What does a guaranteed and viable curriculum mean?",
]


def request(base, method, path, headers=None, body=None, timeout=60):
    u = urllib.parse.urlparse(base)
    conn = http.client.HTTPConnection(u.hostname, u.port, timeout=timeout)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        resp = conn.getresponse()
        return resp.status, resp.read()
    finally:
        conn.close()


def sse_done(raw):
    """The events of a stream; the last one's name and data."""
    events = []
    name, data = None, []
    for line in raw.decode("utf-8", "replace").split("\n"):
        if line == "":
            if name is not None:
                events.append((name, "\n".join(data)))
            name, data = None, []
        elif line.startswith("event:"):
            name = line[6:].strip()
        elif line.startswith("data:"):
            data.append(line[5:].lstrip())
    return events


def client(base, k, cookie, csrf, n, out, lock):
    conv = None
    for i in range(n):
        mid = None
        stream = i % 2 == 1
        body = {"question": QUESTIONS[(k + i) % len(QUESTIONS)]}
        if conv:
            body["conversation_id"] = conv
        headers = {"Cookie": cookie, "X-CSRF-Token": csrf, "Content-Type": "application/json",
                   "Accept": "text/event-stream" if stream else "application/json"}
        t0 = time.time()
        status, ok, err = 0, False, None
        try:
            status, raw = request(base, "POST", "/api/coach/ask", headers, json.dumps(body))
            if status == 200 and stream:
                events = sse_done(raw)
                last = events[-1] if events else (None, "")
                ok = last[0] == "done"
                for name, data in events:
                    if name in ("meta", "done") and '"message_id"' in data:
                        mid = json.loads(data).get("message_id") or mid
                if ok:
                    conv = json.loads(last[1]).get("conversation_id") or conv
                else:
                    err = "stream ended with %s" % (last[0],)
            elif status == 200:
                doc = json.loads(raw)
                conv = doc.get("conversation_id") or conv
                mid = doc.get("message_id")
                ok = True
            else:
                err = raw.decode("utf-8", "replace")[:300]
        except Exception as e:  # a failed request is a result, not a crash
            err = repr(e)
        t1 = time.time()
        with lock:
            out.write(json.dumps({"client": k, "i": i, "mode": "sse" if stream else "json",
                                  "status": status, "ok": ok, "start": t0, "end": t1,
                                  "ms": round((t1 - t0) * 1000, 1), "error": err,
                                  "conversation_id": conv, "message_id": mid}) + "\n")
            out.flush()


def health(base, stop, out, lock):
    while not stop.is_set():
        t0 = time.time()
        try:
            status, _ = request(base, "GET", "/health", timeout=10)
        except Exception:
            status = 0
        t1 = time.time()
        with lock:
            out.write(json.dumps({"health": status, "start": t0, "end": t1,
                                  "ms": round((t1 - t0) * 1000, 1)}) + "\n")
            out.flush()
        time.sleep(0.05)


def pct(values, p):
    """The p-th percentile (nearest rank) of values; 0 when empty."""
    v = sorted(values)
    return v[min(len(v) - 1, int((len(v) - 1) * p / 100 + 0.5))] if v else 0


def summary(path, stop, up):
    rows = [json.loads(line) for line in open(path)]
    asks = [r for r in rows if "client" in r]
    health = [r for r in rows if "health" in r]
    during = [r for r in asks if r["start"] < up and r["end"] > stop]
    h_out = [r for r in health if r["start"] >= stop and r["end"] <= up]
    ms = [r["ms"] for r in asks]
    out = {
        "requests": len(asks),
        "failed": sum(1 for r in asks if not r["ok"]),
        "failed_in_outage": sum(1 for r in during if not r["ok"]),
        "in_flight_across_outage": len(during),
        "p50_ms": pct(ms, 50), "p95_ms": pct(ms, 95), "max_ms": max(ms, default=0),
        "max_ms_across_outage": max((r["ms"] for r in during), default=0),
        "outage_s": round(up - stop, 2),
        "health_probes_in_outage": len(h_out),
        "health_503_in_outage": sum(1 for r in h_out if r["health"] == 503),
        "health_max_ms_in_outage": max((r["ms"] for r in h_out), default=0),
        "health_other": sum(1 for r in health if r["health"] not in (200, 503)),
    }
    for r in asks:
        if not r["ok"]:
            print("failed:", r["client"], r["i"], r["mode"], r["status"], r["error"],
                  file=sys.stderr)
    print(json.dumps(out))


def main():
    if sys.argv[1] == "summary":
        summary(sys.argv[2], float(sys.argv[3]), float(sys.argv[4]))
        return
    base, clients_file, n = sys.argv[2], sys.argv[3], int(sys.argv[4])
    clients = [line.split() for line in open(clients_file) if line.strip()]
    lock, stop = threading.Lock(), threading.Event()
    threads = [threading.Thread(target=client, args=(base, k, c[0], c[1], n, sys.stdout, lock))
               for k, c in enumerate(clients)]
    h = threading.Thread(target=health, args=(base, stop, sys.stdout, lock))
    h.start()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    stop.set()
    h.join()


if __name__ == "__main__":
    main()
