#!/usr/bin/env python3
"""Simulated teachers for bench/capacity.sh.

Each user (a cookie and its CSRF token, signed in by the script) loops
until the deadline: list their conversations (GET /api/conversations), ask
a question streamed (POST /api/coach/ask, Accept: text/event-stream, a new
conversation each time), read the stream to its `done`, give feedback on
the answer (POST /api/messages/{id}/feedback), then think for 10-30 s
(uniform; BENCH_THINK_MIN/MAX).  Users start spread over the first
think-time so they do not arrive in step.

Before each ask one behaviour is appended to the model stand-in's queue
(t/model/stub.py /__script): the pause before the first token and the
pace of the chunks, so each answer holds a worker as long as a hosted
model's would.  Every behaviour is the same, so which ask takes which
does not matter.

    capacity.py run BASE_URL STUB_URL USERS_FILE SECONDS BEHAVIOUR_JSON
        (USERS_FILE: one "COOKIE CSRF" per line, COOKIE as name=value)
        One JSON line per request on stdout: {"user", "what", "status",
        "ok", "ms", "first_ms" (asks: to the first delta event), "error"}.
    capacity.py summary RESULTS_FILE
        One JSON object: requests and errors per kind, asks' first-delta
        p50/p95/max, whole-stream p50, 503s, the most asks in flight at
        once.
"""
import http.client
import json
import random
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
    "How do we respond when students already know the material?",
]


def connect(base, timeout=120):
    u = urllib.parse.urlparse(base)
    return http.client.HTTPConnection(u.hostname, u.port, timeout=timeout)


def simple(base, method, path, headers, body=None):
    conn = connect(base)
    try:
        conn.request(method, path, body=body, headers=headers)
        resp = conn.getresponse()
        return resp.status, resp.read()
    finally:
        conn.close()


def ask(base, headers, question):
    """Streams one answer.  Returns (status, ok, first_ms, message_id, error)."""
    conn = connect(base)
    t0 = time.monotonic()
    first = None
    try:
        conn.request("POST", "/api/coach/ask", body=json.dumps({"question": question}),
                     headers=dict(headers, **{"Accept": "text/event-stream", "Connection": "close",
                                              "Content-Type": "application/json"}))
        resp = conn.getresponse()
        if resp.status != 200:
            return resp.status, False, None, None, resp.read().decode("utf-8", "replace")[:200]
        name, data, last, done = None, [], None, None
        while True:
            line = resp.fp.readline()
            if not line:
                break
            line = line.decode("utf-8", "replace").rstrip("\r\n")
            if line.startswith("event:"):
                name = line[6:].strip()
                if name == "delta" and first is None:
                    first = (time.monotonic() - t0) * 1000
            elif line.startswith("data:"):
                data.append(line[5:].lstrip())
            elif line == "" and name is not None:
                last = name
                if name == "done":
                    done = "\n".join(data)
                    break  # the connection stays open (keep-alive): do not wait for its end
                name, data = None, []
        if last != "done":
            return 200, False, first, None, "stream ended with %s" % last
        return 200, True, first, json.loads(done).get("message_id"), None
    finally:
        conn.close()


def user(k, base, stub, cookie, csrf, deadline, behaviour, tmin, tmax, out, lock):
    rnd = random.Random(k)
    headers = {"Cookie": cookie, "X-CSRF-Token": csrf}

    def record(what, t0, status, ok, err, first=None):
        now = time.monotonic()
        row = {"user": k, "what": what, "status": status, "ok": ok, "start": round(t0, 4),
               "end": round(now, 4), "ms": round((now - t0) * 1000, 1), "error": err}
        if first is not None:
            row["first_ms"] = round(first, 1)
        with lock:
            out.write(json.dumps(row) + "\n")
            out.flush()

    def think(lo, hi):
        time.sleep(max(0.0, min(rnd.uniform(lo, hi), deadline - time.time())))

    think(0, tmax)
    i = 0
    while time.time() < deadline:
        t0 = time.monotonic()
        try:
            status, _ = simple(base, "GET", "/api/conversations", headers)
            record("list", t0, status, status == 200, None)
        except Exception as e:  # a failed request is a result
            record("list", t0, 0, False, repr(e))
        simple(stub, "POST", "/__script", {"Content-Type": "application/json"},
               json.dumps({"responses": [behaviour]}))
        t0 = time.monotonic()
        msg = None
        try:
            status, ok, first, msg, err = ask(base, headers, QUESTIONS[(k + i) % len(QUESTIONS)])
            record("ask", t0, status, ok, err, first)
        except Exception as e:
            record("ask", t0, 0, False, repr(e))
        i += 1
        if msg:
            t0 = time.monotonic()
            try:
                status, raw = simple(base, "POST", "/api/messages/%s/feedback" % msg,
                                     dict(headers, **{"Content-Type": "application/json"}),
                                     json.dumps({"rating": rnd.choice(["up", "down"])}))
                ok = 200 <= status < 300
                record("feedback", t0, status, ok,
                       None if ok else raw.decode("utf-8", "replace")[:200])
            except Exception as e:
                record("feedback", t0, 0, False, repr(e))
        think(tmin, tmax)


def pct(values, p):
    """The p-th percentile (nearest rank) of values; 0 when empty."""
    v = sorted(values)
    return v[min(len(v) - 1, int((len(v) - 1) * p / 100 + 0.5))] if v else 0


def summary(path):
    rows = [json.loads(line) for line in open(path) if line.startswith("{")]
    out = {}
    for what in ("list", "ask", "feedback"):
        r = [x for x in rows if x["what"] == what]
        out[what] = len(r)
        out[what + "_errors"] = sum(1 for x in r if not x["ok"])
    asks = [x for x in rows if x["what"] == "ask" and x["ok"]]
    firsts = [x["first_ms"] for x in asks if "first_ms" in x]
    out["first_p50_ms"] = pct(firsts, 50)
    out["first_p95_ms"] = pct(firsts, 95)
    out["first_max_ms"] = max(firsts, default=0)
    out["stream_p50_ms"] = pct([x["ms"] for x in asks], 50)
    out["status_503"] = sum(1 for x in rows if x["status"] == 503)
    # The most asks in flight at once: the workers the streams needed.
    edges = sorted([(x["start"], 1) for x in rows if x["what"] == "ask"]
                   + [(x["end"], -1) for x in rows if x["what"] == "ask"])
    level = peak = 0
    for _, d in edges:
        level += d
        peak = max(peak, level)
    out["asks_in_flight_max"] = peak
    for x in rows:
        if not x["ok"]:
            print("failed:", x["user"], x["what"], x["status"], x["error"], file=sys.stderr)
    print(json.dumps(out))


def main():
    if sys.argv[1] == "summary":
        summary(sys.argv[2])
        return
    base, stub, users_file = sys.argv[2], sys.argv[3], sys.argv[4]
    seconds, behaviour = float(sys.argv[5]), json.loads(sys.argv[6])
    tmin = float(sys.argv[7]) if len(sys.argv) > 7 else 10
    tmax = float(sys.argv[8]) if len(sys.argv) > 8 else 30
    users = [line.split() for line in open(users_file) if line.strip()]
    deadline = time.time() + seconds
    lock = threading.Lock()
    threads = [threading.Thread(target=user, args=(k, base, stub, u[0], u[1], deadline, behaviour,
                                                   tmin, tmax, sys.stdout, lock))
               for k, u in enumerate(users)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()


if __name__ == "__main__":
    main()
