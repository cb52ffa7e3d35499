#!/usr/bin/env python3
"""Serves recorded Kubernetes list JSON on 127.0.0.1 the way an API server lists: `limit`
and `continue` paging, an unknown token answered 410 Expired, 404 as a Status object, and a
bearer token checked when one is given. No API server can run on these machines (no
kube-apiserver in Debian or PyPI, no containers), so factop's Kubernetes feed is tested
against this and says so.

usage: k8s_stub.py PORT DIR [TOKEN]   (DIR holds nodes.json = NodeList, pods.json = PodList)
"""
import base64
import json
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

PORT, DIR = int(sys.argv[1]), sys.argv[2]
TOKEN = sys.argv[3] if len(sys.argv) > 3 else None
LISTS = {"/api/v1/nodes": "nodes.json", "/api/v1/pods": "pods.json"}


def status(code, reason, message):
    return {"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure",
            "reason": reason, "code": code, "message": message}


class Handler(BaseHTTPRequestHandler):
    def answer(self, code, body):
        data = json.dumps(body).encode()
        self.send_response(code)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        if TOKEN and self.headers.get("Authorization") != f"Bearer {TOKEN}":
            return self.answer(401, status(401, "Unauthorized", "Unauthorized"))
        url = urlparse(self.path)
        query = parse_qs(url.query)
        name = LISTS.get(url.path.rstrip("/"))
        if name is None:
            return self.answer(404, status(404, "NotFound",
                                           "the server could not find the requested resource"))
        with open(f"{DIR}/{name}") as f:  # read per request: a test may rewrite it
            recorded = json.load(f)
        items = recorded.get("items", [])
        start = 0
        if query.get("continue"):
            try:
                start = int(base64.urlsafe_b64decode(query["continue"][0]).decode())
            except Exception:
                return self.answer(410, status(410, "Expired",
                                               "The provided continue parameter is too old"))
        limit = int(query["limit"][0]) if query.get("limit") else 0
        end = start + limit if limit > 0 else len(items)
        meta = {"resourceVersion": recorded.get("metadata", {}).get("resourceVersion", "1")}
        if end < len(items):
            meta["continue"] = base64.urlsafe_b64encode(str(end).encode()).decode()
            meta["remainingItemCount"] = len(items) - end
        self.answer(200, {"kind": recorded.get("kind", "List"), "apiVersion": "v1",
                          "metadata": meta, "items": items[start:end]})

    def log_message(self, *args):
        pass


ThreadingHTTPServer(("127.0.0.1", PORT), Handler).serve_forever()
