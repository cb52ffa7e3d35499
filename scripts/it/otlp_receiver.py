#!/usr/bin/env python3
"""A real OTLP/HTTP receiver on 127.0.0.1 for factop's tests: it decodes what factop sends with
the OpenTelemetry project's own protobuf definitions (PyPI `opentelemetry-proto`) and writes one
JSON line per span and per metric data point to OUT, so a test can check names and attributes.
It answers as a collector does: 200 with an empty Export*ServiceResponse, 400 for a body that
does not decode, 404 for any other path.

usage: otlp_receiver.py PORT OUT
"""
import gzip
import json
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from opentelemetry.proto.collector.metrics.v1 import metrics_service_pb2
from opentelemetry.proto.collector.trace.v1 import trace_service_pb2

PORT, OUT = int(sys.argv[1]), sys.argv[2]


def value(any_value):
    kind = any_value.WhichOneof("value")
    return getattr(any_value, kind) if kind else None


def attributes(items):
    return {item.key: value(item.value) for item in items}


def spans(request):
    for resource_spans in request.resource_spans:
        resource = attributes(resource_spans.resource.attributes)
        for scope in resource_spans.scope_spans:
            for span in scope.spans:
                yield {"signal": "span", "name": span.name, "resource": resource,
                       "attributes": attributes(span.attributes),
                       "status": span.status.code, "kind": span.kind,
                       "duration_ns": span.end_time_unix_nano - span.start_time_unix_nano}


def metrics(request):
    for resource_metrics in request.resource_metrics:
        resource = attributes(resource_metrics.resource.attributes)
        for scope in resource_metrics.scope_metrics:
            for metric in scope.metrics:
                data = getattr(metric, metric.WhichOneof("data"))
                for point in data.data_points:
                    yield {"signal": "metric", "name": metric.name, "resource": resource,
                           "type": metric.WhichOneof("data"),
                           "attributes": attributes(point.attributes)}


ROUTES = {
    "/v1/traces": (trace_service_pb2.ExportTraceServiceRequest,
                   trace_service_pb2.ExportTraceServiceResponse, spans),
    "/v1/metrics": (metrics_service_pb2.ExportMetricsServiceRequest,
                    metrics_service_pb2.ExportMetricsServiceResponse, metrics),
}


class Handler(BaseHTTPRequestHandler):
    def do_POST(self):
        route = ROUTES.get(self.path)
        if route is None:
            self.send_response(404)
            self.end_headers()
            return
        request_type, response_type, records = route
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        if self.headers.get("Content-Encoding") == "gzip":
            body = gzip.decompress(body)
        request = request_type()
        try:
            request.ParseFromString(body)
        except Exception as error:  # a body that is not the message: the sender's bug
            self.send_response(400)
            self.end_headers()
            self.wfile.write(str(error).encode())
            return
        with open(OUT, "a") as out:
            for record in records(request):
                out.write(json.dumps(record) + "\n")
        answer = response_type().SerializeToString()
        self.send_response(200)
        self.send_header("Content-Type", "application/x-protobuf")
        self.send_header("Content-Length", str(len(answer)))
        self.end_headers()
        self.wfile.write(answer)

    def log_message(self, *args):
        pass


ThreadingHTTPServer(("127.0.0.1", PORT), Handler).serve_forever()
