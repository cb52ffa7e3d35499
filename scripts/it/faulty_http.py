#!/usr/bin/env python3
"""A misbehaving HTTP(S) server on 127.0.0.1 for factop's fault tests: each way a source can
fail, chosen by the first segment of the path, so a source configured with base URL
`http://127.0.0.1:PORT/FAULT` meets that fault on every request it makes.

  ok          200 with the body of --ok FILE (a valid answer for the source under test)
  silence     accepts, reads the request, never answers
  drip        200 with a Content-Length of 1 MB, then one byte a second
  500, 503    an HTML error page
  401, 403    a JSON Status saying so
  truncated   200 promising 4096 bytes, sends the first 100 of a JSON answer, closes
  malformed   200 with JSON cut off mid-array
  shape       200 with valid JSON of an unexpected shape
  huge        200 streaming 64 MiB of a JSON array (chunked, no length)
  live        whatever mode GET /control/MODE last set (starts as ok): a source that breaks
              and recovers while factop polls it

usage: faulty_http.py PORT [--ok FILE] [--tls CERT KEY]
"""
import json
import ssl
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

PORT = int(sys.argv[1])
ARGS = sys.argv[2:]
OK_BODY = b'{"status":"success","data":{"resultType":"vector","result":[]}}'
if "--ok" in ARGS:
    with open(ARGS[ARGS.index("--ok") + 1], "rb") as f:
        OK_BODY = f.read()
LIVE = {"mode": "ok"}
LOCK = threading.Lock()


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def head(self, code, length=None, content_type="application/json"):
        self.send_response(code)
        self.send_header("Content-Type", content_type)
        if length is None:
            self.send_header("Transfer-Encoding", "chunked")
        else:
            self.send_header("Content-Length", str(length))
        self.end_headers()

    def whole(self, code, body, content_type="application/json"):
        self.head(code, len(body), content_type)
        self.wfile.write(body)

    def do_POST(self):
        self.do_GET()

    def do_GET(self):
        parts = self.path.split("/")
        fault = parts[1] if len(parts) > 1 else ""
        if fault == "control":
            with LOCK:
                LIVE["mode"] = parts[2]
            return self.whole(200, b"{}")
        if fault == "live":
            with LOCK:
                fault = LIVE["mode"]
        if fault == "ok":
            self.whole(200, OK_BODY)
        elif fault == "silence":
            time.sleep(120)
        elif fault == "drip":
            self.head(200, 1 << 20)
            for _ in range(120):
                self.wfile.write(b" ")
                self.wfile.flush()
                time.sleep(1)
        elif fault in ("500", "503"):
            self.whole(int(fault), b"<html><body><h1>Service Unavailable</h1></body></html>",
                       "text/html")
        elif fault in ("401", "403"):
            body = json.dumps({"kind": "Status", "status": "Failure", "code": int(fault),
                               "message": "Unauthorized" if fault == "401" else "Forbidden"})
            self.whole(int(fault), body.encode())
        elif fault == "truncated":
            self.head(200, 4096)
            self.wfile.write(OK_BODY[:100])
            self.wfile.flush()
            self.close_connection = True
        elif fault == "malformed":
            self.whole(200, b'{"status":"success","data":{"resultType":"vector","result":[{"met')
        elif fault == "shape":
            self.whole(200, b'{"items":"not a list","data":42,"Members":{"odd":true},"code":[]}')
        elif fault == "huge":
            self.head(200)
            chunk = b"[" + b"0," * (1 << 19)
            self.chunk(chunk)
            try:
                for _ in range(64):
                    self.chunk(b"0," * (1 << 19))
                self.chunk(b"0]")
                self.wfile.write(b"0\r\n\r\n")
            except (BrokenPipeError, ConnectionResetError):
                pass
        else:
            self.whole(404, b'{"message":"no such fault"}')

    def chunk(self, data):
        self.wfile.write(b"%x\r\n%s\r\n" % (len(data), data))


class Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        pass  # a client that gave up mid-answer is what these faults are for


server = Server(("127.0.0.1", PORT), Handler)
if "--tls" in ARGS:
    i = ARGS.index("--tls")
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(ARGS[i + 1], ARGS[i + 2])
    server.socket = context.wrap_socket(server.socket, server_side=True)
server.serve_forever()
