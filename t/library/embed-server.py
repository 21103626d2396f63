#!/usr/bin/env python3
"""A scripted OpenAI-compatible embeddings server for t/library/openai-t.

Binds 127.0.0.1 on a free port, prints the port on stdout, and serves
POST /<mode>/v1/embeddings, where mode is:
  ok        deterministic vectors: v[j] = ((len(text) + j) % 7) / 7
  flaky     429 on the first request, then as ok
  down      503 always
  bad       malformed JSON
  dims      one dimension too few
  auth      401 unless "Authorization: Bearer sekrit"
It counts requests per mode; GET /count/<mode> answers the count.
"""
import json
import sys
from http.server import BaseHTTPRequestHandler, HTTPServer

counts = {}


class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def answer(self, status, body):
        data = body.encode() if isinstance(body, str) else body
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        parts = self.path.strip("/").split("/")
        if len(parts) == 2 and parts[0] == "count":
            self.answer(200, str(counts.get(parts[1], 0)))
        else:
            self.answer(404, "{}")

    def do_POST(self):
        parts = self.path.strip("/").split("/")
        mode = parts[0]
        counts[mode] = counts.get(mode, 0) + 1
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        texts = body["input"]
        dims = int(body.get("dimensions", 8))
        if mode == "down" or (mode == "flaky" and counts[mode] == 1):
            self.answer(429 if mode == "flaky" else 503, '{"error":"busy"}')
            return
        if mode == "bad":
            self.answer(200, '{"data":[{"index":0,"embedding":[0.1,')
            return
        if mode == "auth" and self.headers.get("Authorization") != "Bearer sekrit":
            self.answer(401, '{"error":"unauthorized"}')
            return
        if mode == "dims":
            dims -= 1
        data = [{"object": "embedding", "index": i,
                 "embedding": [((len(t) + j) % 7) / 7 for j in range(dims)]}
                for i, t in enumerate(texts)]
        data.reverse()  # indexes, not order, say which text is which
        self.answer(200, json.dumps({"object": "list", "data": data, "model": body["model"]}))


server = HTTPServer(("127.0.0.1", 0), Handler)
print(server.server_address[1], flush=True)
sys.stdout.close()
server.serve_forever()
