#!/usr/bin/env python3
"""Measurements for bench/coach.sh (python3 standard library only).

  direct STUB_PORT N          the stand-in's own time to its first content
                              chunk, asked directly (one line per request, ms)
  stack PORT COOKIE CSRF N    POST /api/coach/ask through nginx, streamed:
                              per request "request_id meta_ms first_delta_ms
                              done_ms" (client clock, from sending the request)
  concurrent PORT COOKIE CSRF C
                              C streamed questions at once; prints
                              "ok N errors M wall_ms W p50 P p95 Q" (done times)
  json PORT COOKIE CSRF N     N non-streamed questions one after another;
                              one total time per line (ms)
"""
import http.client
import json
import sys
import threading
import time

QUESTIONS = [
    "How should our team write norms?",
    "How do we write a common formative assessment as a team?",
    "What is a guaranteed and viable curriculum?",
    "How do we plan Tier 2 interventions?",
    "How should our team look at the results of a common assessment?",
    "How can a principal support collaborative teams?",
    "How do we extend learning for students who already know it?",
    "How do we write SMART goals?",
]


def sse_events(resp):
    """Yields (event, data, t) as events arrive."""
    name, data = None, []
    while True:
        line = resp.readline()
        if not line:
            return
        line = line.decode("utf-8").rstrip("\r\n")
        if line == "":
            if name is not None or data:
                yield name or "message", "\n".join(data), time.perf_counter()
            name, data = None, []
        elif line.startswith(":"):
            continue
        elif line.startswith("event: "):
            name = line[7:]
        elif line.startswith("data: "):
            data.append(line[6:])


def direct(port, n):
    body = json.dumps({
        "model": "stub-model", "stream": True,
        "messages": [{"role": "system", "content": "You are PLC Coach."},
                     {"role": "user", "content": "Sources:\n\n<source n=\"1\" title=\"T\" "
                      "chapter=\"1: C\" pages=\"1\">\nTeam norms are the agreements that guide "
                      "how a team works together.\n</source>\n\nQuestion: norms?"}]})
    for _ in range(n):
        c = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        t0 = time.perf_counter()
        c.request("POST", "/v1/chat/completions", body, {"Content-Type": "application/json"})
        r = c.getresponse()
        first = None
        for _, data, t in sse_events(r):
            if data == "[DONE]":
                break
            d = json.loads(data)
            if first is None and d.get("choices") and d["choices"][0]["delta"].get("content"):
                first = t
        c.close()
        print("%.3f" % ((first - t0) * 1000))


def ask_stream(port, cookie, csrf, question):
    """Returns (request_id, meta_ms, first_delta_ms, done_ms, ok)."""
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    body = json.dumps({"question": question})
    t0 = time.perf_counter()
    c.request("POST", "/api/coach/ask", body,
              {"Content-Type": "application/json", "Accept": "text/event-stream",
               "Cookie": cookie, "X-CSRF-Token": csrf})
    r = c.getresponse()
    rid = r.getheader("X-Request-Id", "")
    meta = first = done = None
    ok = r.status == 200
    if ok:
        for name, data, t in sse_events(r):
            if name == "meta" and meta is None:
                meta = t
            elif name == "delta" and first is None:
                first = t
            elif name == "error":
                ok = False
            elif name == "done":
                done = t
                d = json.loads(data)
                ok = ok and d.get("mode") == "llm" and d.get("grounded") is True
    c.close()
    ms = lambda t: (t - t0) * 1000 if t is not None else -1
    return rid, ms(meta), ms(first), ms(done), ok and done is not None


def stack(port, cookie, csrf, n):
    for i in range(n):
        rid, meta, first, done, ok = ask_stream(port, cookie, csrf, QUESTIONS[i % len(QUESTIONS)])
        if not ok:
            print("error %s" % rid, file=sys.stderr)
        print("%s %.3f %.3f %.3f" % (rid, meta, first, done))


def pct(values, p):
    v = sorted(values)
    return v[int((len(v) - 1) * p / 100)] if v else -1


def concurrent(port, cookie, csrf, c):
    results = [None] * c
    go = threading.Event()

    def run(i):
        go.wait()
        try:
            results[i] = ask_stream(port, cookie, csrf, QUESTIONS[i % len(QUESTIONS)])
        except Exception as e:  # a failed request is an error, not a crash
            results[i] = ("", -1, -1, -1, False)
            print("error: %r" % e, file=sys.stderr)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(c)]
    for t in threads:
        t.start()
    t0 = time.perf_counter()
    go.set()
    for t in threads:
        t.join()
    wall = (time.perf_counter() - t0) * 1000
    good = [r for r in results if r[4]]
    dones = [r[3] for r in good]
    print("ok %d errors %d wall_ms %.0f p50 %.0f p95 %.0f" % (
        len(good), c - len(good), wall, pct(dones, 50), pct(dones, 95)))


def json_mode(port, cookie, csrf, n):
    for i in range(n):
        c = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        body = json.dumps({"question": QUESTIONS[i % len(QUESTIONS)]})
        t0 = time.perf_counter()
        c.request("POST", "/api/coach/ask", body,
                  {"Content-Type": "application/json", "Cookie": cookie, "X-CSRF-Token": csrf})
        r = c.getresponse()
        d = json.loads(r.read())
        t = (time.perf_counter() - t0) * 1000
        c.close()
        if r.status != 200 or d.get("mode") != "extractive" or not d.get("grounded"):
            print("error %d %s" % (r.status, d.get("mode")), file=sys.stderr)
        print("%.3f" % t)


def main():
    cmd = sys.argv[1]
    if cmd == "direct":
        direct(int(sys.argv[2]), int(sys.argv[3]))
    elif cmd == "stack":
        stack(int(sys.argv[2]), sys.argv[3], sys.argv[4], int(sys.argv[5]))
    elif cmd == "concurrent":
        concurrent(int(sys.argv[2]), sys.argv[3], sys.argv[4], int(sys.argv[5]))
    elif cmd == "json":
        json_mode(int(sys.argv[2]), sys.argv[3], sys.argv[4], int(sys.argv[5]))
    else:
        sys.exit("unknown command " + cmd)


if __name__ == "__main__":
    main()
