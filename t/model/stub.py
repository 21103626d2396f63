#!/usr/bin/env python3
"""A scripted OpenAI-compatible chat service for the coach's tests.

Standard library only.  Binds 127.0.0.1 (port 0 = a free one, or --port N),
prints the port as the first line on stdout and serves, one thread per
connection, until killed.  Writes with Nagle's algorithm on, like Python's
http.server; --nodelay sets TCP_NODELAY instead, like llama.cpp's server,
Ollama and vLLM.  See t/model/README.md for the whole contract:

  POST /v1/chat/completions   streamed (SSE, "stream": true) or one JSON
                              completion; the answer is "grounded" in the
                              <source n=..> blocks of the last user message,
                              a rewrite ("TASK: REWRITE" in the system
                              message) or a route ("TASK: CLASSIFY").
  POST /__script              {"responses": [behaviour, ...]} queued FIFO,
                              one per chat request.
  GET  /__requests            the chat requests received and how each ended.
  POST /__reset               clears the queue and the log.
  POST /__release             {"hold": name}: lets the streams held as name
                              go on (see "hold" in t/model/README.md).
  GET  /health                200.
"""
import argparse
import json
import re
import socket
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

LOCK = threading.Lock()
QUEUE = []     # scripted behaviours, consumed FIFO
REQUESTS = []  # one dict per chat request
# Classification requests (TASK: CLASSIFY) have a queue and a log of their
# own, so that scripting an answer is not taken by the question's routing.
CLASSIFY_QUEUE = []
CLASSIFY_REQUESTS = []
# Gates for {"hold": name}: a stream waits at its first token until the
# test releases the name (POST /__release), at most HOLD_MAX_S.
HOLDS = {}
HOLD_MAX_S = 300


def hold_gate(name):
    """The gate of a held stream (created on first use)."""
    with LOCK:
        return HOLDS.setdefault(name, threading.Event())


def is_classify(body):
    messages = body.get("messages") if isinstance(body, dict) and isinstance(body.get("messages"), list) else []
    return "TASK: CLASSIFY" in last_of_role(messages, "system")
DISCONNECTS = (BrokenPipeError, ConnectionResetError, ConnectionAbortedError,
               socket.timeout, OSError)

SOURCE_RE = re.compile(r'<source\s+n="(\d+)"[^>]*>\s*(.*?)\s*</source>', re.S)
INVENTED = "Teams that meet on Fridays always outperform every other team."


def sentences(text):
    """Full sentences of a passage: split after . ! ? and white space."""
    parts = re.split(r'(?<=[.!?])["\u201d\']?\s+', " ".join(text.split()))
    out = []
    for p in parts:
        p = p.strip()
        if len(p) >= 20 and p[-1] in '.!?"\u201d\'':
            out.append(p)
    return out


def first_sentence(text):
    """The first full sentence without quote marks of its own (so that it
    can be quoted), else the first sentence, else the first 200 bytes."""
    s = sentences(text)
    for x in s:
        if not any(q in x for q in '"\u201c\u201d'):
            return x
    if s:
        return s[0]
    words = " ".join(text.split())
    return words[:200]


def last_of_role(messages, role):
    for m in reversed(messages):
        if isinstance(m, dict) and m.get("role") == role:
            c = m.get("content")
            return c if isinstance(c, str) else ""
    return ""


def after_label(text, label):
    """The text after a line starting with label (to the end of that line)."""
    for line in text.splitlines():
        if line.strip().lower().startswith(label.lower()):
            return line.strip()[len(label):].strip()
    return ""


def grounded_answer(messages, behaviour):
    user = last_of_role(messages, "user")
    sources = {int(n): body for n, body in SOURCE_RE.findall(user)}
    question = after_label(user, "Question:") or "this question"
    cite = behaviour.get("cite")
    if not isinstance(cite, list) or not cite:
        cite = [1, 2] if 2 in sources else [1]
    quotes = []
    for i, n in enumerate(cite):
        # a number without a source quotes source 1 (the number is the lie)
        body = sources.get(n, sources.get(1, ""))
        q = first_sentence(body) if body else ""
        if i == 0 and behaviour.get("invent_quote"):
            q = INVENTED
        quotes.append((n, q))
    if not sources and not behaviour.get("invent_quote"):
        return ("I could not find this in the sources provided.\n\n"
                "**Key takeaways**\n- The library has nothing on this yet.\n\n"
                "**Suggested follow-up questions**\n"
                "1. What does the library say about collaborative teams?\n"
                "2. How do teams use common formative assessments?\n")
    q = question.rstrip("?.!")
    lines = ["Here is what the sources say about %s." % (q[:1].lower() + q[1:])]
    n0, q0 = quotes[0]
    lines.append(' As the book puts it, "%s" [%d].' % (q0, n0))
    for n, q in quotes[1:]:
        lines.append(' Another passage adds, "%s" [%d].' % (q, n))
    answer = "".join(lines)
    answer += "\n\n**Key takeaways**\n"
    for n, _ in quotes:
        answer += "- Ground the team's work in what the source describes [%d].\n" % n
    answer += ("\n**Suggested follow-up questions**\n"
               "1. How can a team put this into practice next week?\n"
               "2. What evidence shows this is working?\n")
    return answer


def answer_text(body, behaviour):
    if isinstance(behaviour.get("text"), str):
        return behaviour["text"]
    messages = body.get("messages") if isinstance(body.get("messages"), list) else []
    system = last_of_role(messages, "system")
    if "TASK: REWRITE" in system:
        user = last_of_role(messages, "user")
        follow = after_label(user, "Follow-up:") or user.strip()
        prev = after_label(user, "Previous question:")
        # the strict JSON src/coach/rewrite.h asks for
        return json.dumps({"standalone_question": "%s (about: %s)" % (follow, prev) if prev else follow,
                           "is_followup": True})
    if "TASK: TAG DOMAINS" in system:
        # passage n of the batch: {leadership, school_culture} when n is
        # odd, {curriculum} when even (t/integration/domains-model.sh)
        user = last_of_role(messages, "user")
        n = len(re.findall(r'<passage n="\d+">', user))
        tags = [["leadership", "school_culture"] if i % 2 else ["curriculum"]
                for i in range(1, n + 1)]
        return json.dumps({"tags": tags})
    if "TASK: CLASSIFY" in system:
        # The stand-in has no judgement of its own: it answers what the
        # rules' reading in the request says ("Rules say: ..."), with the
        # lexicon's domains, in the strict JSON asked for.
        user = last_of_role(messages, "user")
        rules = after_label(user, "Rules say:")
        domains = after_label(user, "Domains by the lexicon:").split()
        return json.dumps({"scope": "out" if rules == "out of scope" else "in",
                           "too_broad": rules == "too broad",
                           "domains": [] if rules == "out of scope" else domains[:3]})
    return grounded_answer(messages, behaviour)


def pieces(text, words=3):
    """Small chunks of a few words each (the white space kept)."""
    tokens = re.findall(r'\S+\s*|\s+', text)
    return ["".join(tokens[i:i + words]) for i in range(0, len(tokens), words)] or [""]


def usage(body, text, nchunks):
    prompt = sum(len(m.get("content", "")) for m in body.get("messages", [])
                 if isinstance(m, dict) and isinstance(m.get("content"), str))
    return {"prompt_tokens": prompt // 4 + 1, "completion_tokens": max(nchunks, len(text) // 4),
            "total_tokens": prompt // 4 + 1 + max(nchunks, len(text) // 4)}


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def reply(self, status, obj, headers=None):
        data = (obj if isinstance(obj, str) else json.dumps(obj)).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(data)

    def read_body(self):
        n = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(n) if n > 0 else b""
        try:
            return json.loads(raw or b"{}")
        except ValueError:
            return None

    def do_GET(self):
        try:
            if self.path == "/health":
                self.reply(200, {"status": "ok"})
            elif self.path == "/__requests":
                with LOCK:
                    data = json.dumps(REQUESTS)
                self.reply(200, data)
            elif self.path == "/__classify":
                with LOCK:
                    data = json.dumps(CLASSIFY_REQUESTS)
                self.reply(200, data)
            else:
                self.reply(404, {"error": {"message": "not found"}})
        except DISCONNECTS:
            self.close_connection = True

    def do_POST(self):
        try:
            body = self.read_body()
            if self.path == "/__script":
                if not isinstance(body, dict) or not (isinstance(body.get("responses"), list)
                                                      or isinstance(body.get("classify"), list)):
                    self.reply(400, {"error": {"message": "expected {\"responses\": [...]}"}})
                    return
                with LOCK:
                    QUEUE.extend(b if isinstance(b, dict) else {} for b in body.get("responses") or [])
                    CLASSIFY_QUEUE.extend(b if isinstance(b, dict) else {} for b in body.get("classify") or [])
                self.reply(200, {"queued": len(body.get("responses") or []) + len(body.get("classify") or [])})
            elif self.path == "/__reset":
                with LOCK:
                    QUEUE.clear()
                    REQUESTS.clear()
                    CLASSIFY_QUEUE.clear()
                    CLASSIFY_REQUESTS.clear()
                    for gate in HOLDS.values():
                        gate.set()
                    HOLDS.clear()
                self.reply(200, {"status": "ok"})
            elif self.path == "/__release":
                if not isinstance(body, dict) or not isinstance(body.get("hold"), str):
                    self.reply(400, {"error": {"message": "expected {\"hold\": name}"}})
                    return
                hold_gate(body["hold"]).set()
                self.reply(200, {"released": body["hold"]})
            elif self.path == "/v1/chat/completions":
                self.chat(body)
            else:
                self.reply(404, {"error": {"message": "not found"}})
        except DISCONNECTS:
            self.close_connection = True

    def chat(self, body):
        classify = is_classify(body)
        queue, log = (CLASSIFY_QUEUE, CLASSIFY_REQUESTS) if classify else (QUEUE, REQUESTS)
        with LOCK:
            behaviour = queue.pop(0) if queue else {}
            entry = {"body": body, "authorization": self.headers.get("Authorization"),
                     "behaviour": behaviour, "outcome": "started",
                     # the client's address:port: the same for two requests
                     # that came over one kept-alive connection
                     "peer": "%s:%d" % self.client_address[:2]}
            log.append(entry)
        if not isinstance(body, dict) or not isinstance(body.get("messages"), list):
            entry["outcome"] = "bad-request"
            self.reply(400, {"error": {"message": "messages is required", "type": "invalid_request_error"}})
            return
        if behaviour.get("stall_before_ms"):
            time.sleep(behaviour["stall_before_ms"] / 1000)
        status = behaviour.get("status", 200)
        if status != 200:
            headers = {}
            if "retry_after" in behaviour:
                headers["Retry-After"] = str(behaviour["retry_after"])
            entry["outcome"] = "status-%d" % status
            self.reply(status, behaviour.get("body", {"error": {
                "message": "scripted failure %d" % status, "type": "server_error"}}), headers)
            return
        text = answer_text(body, behaviour)
        model = body.get("model", "stub")
        if not body.get("stream") or behaviour.get("no_stream"):
            entry["outcome"] = "completed"
            self.reply(200, {"id": "chatcmpl-stub", "object": "chat.completion",
                             "created": int(time.time()), "model": model,
                             "choices": [{"index": 0, "message": {"role": "assistant", "content": text},
                                          "finish_reason": "stop"}],
                             "usage": usage(body, text, 1)})
            return
        entry["outcome"] = "streaming"
        try:
            self.stream(body, behaviour, text, model, entry)
        except DISCONNECTS:
            entry["outcome"] = "cancelled"
            self.close_connection = True

    def send_chunk(self, data):
        self.wfile.write(b"%x\r\n%s\r\n" % (len(data), data))

    def event(self, obj):
        self.send_chunk(b"data: " + (obj if isinstance(obj, bytes) else json.dumps(obj).encode()) + b"\n\n")

    def stream(self, body, behaviour, text, model, entry):
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-cache")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()

        def chunk(delta, finish=None):
            return {"id": "chatcmpl-stub", "object": "chat.completion.chunk",
                    "created": int(time.time()), "model": model,
                    "choices": [{"index": 0, "delta": delta, "finish_reason": finish}]}

        self.send_chunk(b": stub keep-alive\n\n")
        self.event(chunk({"role": "assistant", "content": ""}))
        parts = pieces(text)
        if isinstance(behaviour.get("chunks"), int) and behaviour["chunks"] > 0:
            # Fixed length: the first N chunks, or the last one repeated up
            # to N (whatever retrieval put in the prompt).
            n = behaviour["chunks"]
            parts = parts[:n] + [parts[-1]] * (n - len(parts))
        per_chunk = behaviour.get("delay_ms_per_chunk") or 0
        if behaviour.get("duration_ms"):
            # Fixed duration: the chunks spread evenly over duration_ms.
            per_chunk = behaviour["duration_ms"] / len(parts)
        for i, part in enumerate(parts):
            if i == 1 and isinstance(behaviour.get("hold"), str):
                # Held after the first token until released.
                entry["outcome"] = "held"
                hold_gate(behaviour["hold"]).wait(HOLD_MAX_S)
                entry["outcome"] = "streaming"
            if behaviour.get("stall_after_chunks") == i and behaviour.get("stall_ms"):
                time.sleep(behaviour["stall_ms"] / 1000)
            if behaviour.get("drop_after_chunks") == i:
                entry["outcome"] = "dropped"
                self.close_connection = True
                self.connection.shutdown(socket.SHUT_RDWR)
                return
            if behaviour.get("error_after_chunks") == i:
                # a service that fails mid-answer reports it in the stream
                # (as OpenAI's and vLLM's do) and ends it: no finish, no [DONE]
                entry["outcome"] = "error-event"
                self.event({"error": {"message": behaviour.get("error_message", "scripted failure mid-stream"),
                                      "type": "server_error"}})
                self.send_chunk(b"")
                self.wfile.flush()
                return
            if behaviour.get("malformed_after_chunks") == i:
                self.event(b'{"choices": [{"delta": {"content": "oops"')
            if per_chunk:
                time.sleep(per_chunk / 1000)
            self.event(chunk({"content": part}))
        self.event(chunk({}, "stop"))
        if (body.get("stream_options") or {}).get("include_usage"):
            self.event({"id": "chatcmpl-stub", "object": "chat.completion.chunk",
                        "created": int(time.time()), "model": model, "choices": [],
                        "usage": usage(body, text, len(parts))})
        self.event(b"[DONE]")
        self.send_chunk(b"")
        # a client that went away during the last writes shows up here
        self.wfile.flush()
        entry["outcome"] = "completed"


class Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 512

    def handle_error(self, request, client_address):
        pass  # a client that disconnects never kills or clutters the server


class NoDelayHandler(Handler):
    """--nodelay: TCP_NODELAY on every connection, as llama.cpp's server,
    Ollama and vLLM do; the default Handler writes with Nagle's algorithm
    on, as Python's http.server does (the realistic worst case)."""
    disable_nagle_algorithm = True


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int, default=0)
    ap.add_argument("--nodelay", action="store_true",
                    help="disable Nagle's algorithm on its connections")
    args = ap.parse_args()
    server = Server(("127.0.0.1", args.port), NoDelayHandler if args.nodelay else Handler)
    print(server.server_address[1], flush=True)
    sys.stdout.close()
    server.serve_forever()


if __name__ == "__main__":
    main()
