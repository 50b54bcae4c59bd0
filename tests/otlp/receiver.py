#!/usr/bin/env python3
"""An OTLP metrics receiver for the push tests, built on the official opentelemetry-proto modules.

Serves OTLP/HTTP (POST /v1/metrics) or OTLP/gRPC (MetricsService/Export) on 127.0.0.1, decodes every request
with the official generated classes, and appends one JSON line per request to --out: the resource and scope,
then every metric with its kind, temporality, monotonicity, and every data point (attributes, start and end
times, value or count/sum/bucket counts/bounds). Prints "PORT <n>" once listening.

Failure modes for the retry tests: --fail N answers the first N requests with --status (HTTP, with
Retry-After: --retry-after) or UNAVAILABLE (gRPC); --delay S sleeps before answering; --reject N reports N
rejected points as a partial success.
"""
import argparse
import gzip
import json
import sys
import threading
import time
from concurrent import futures
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from opentelemetry.proto.collector.metrics.v1 import metrics_service_pb2 as service
from opentelemetry.proto.metrics.v1 import metrics_pb2 as metrics

TEMPORALITY = {
    metrics.AGGREGATION_TEMPORALITY_UNSPECIFIED: "unspecified",
    metrics.AGGREGATION_TEMPORALITY_DELTA: "delta",
    metrics.AGGREGATION_TEMPORALITY_CUMULATIVE: "cumulative",
}


def attributes(kvs):
    out = {}
    for kv in kvs:
        which = kv.value.WhichOneof("value")
        if which != "string_value":
            raise ValueError(f"attribute {kv.key} is {which}, expected a string")
        out[kv.key] = kv.value.string_value
    return out


def number(point):
    which = point.WhichOneof("value")
    return {"int": point.as_int} if which == "as_int" else {"double": point.as_double}


def metric_json(m):
    kind = m.WhichOneof("data")
    out = {"name": m.name, "description": m.description, "unit": m.unit, "kind": kind, "points": []}
    if kind == "sum":
        out["temporality"] = TEMPORALITY[m.sum.aggregation_temporality]
        out["monotonic"] = m.sum.is_monotonic
        points = m.sum.data_points
    elif kind == "gauge":
        points = m.gauge.data_points
    elif kind == "histogram":
        out["temporality"] = TEMPORALITY[m.histogram.aggregation_temporality]
        for p in m.histogram.data_points:
            out["points"].append({
                "attributes": attributes(p.attributes),
                "start": p.start_time_unix_nano,
                "time": p.time_unix_nano,
                "count": p.count,
                "sum": p.sum if p.HasField("sum") else None,
                "bucket_counts": list(p.bucket_counts),
                "bounds": list(p.explicit_bounds),
            })
        return out
    else:
        raise ValueError(f"unexpected metric data {kind}")
    for p in points:
        out["points"].append({
            "attributes": attributes(p.attributes),
            "start": p.start_time_unix_nano,
            "time": p.time_unix_nano,
            **number(p),
        })
    return out


def request_json(request, meta):
    out = {"received": time.time(), **meta, "resources": []}
    for rm in request.resource_metrics:
        scopes = []
        for sm in rm.scope_metrics:
            scopes.append({
                "name": sm.scope.name,
                "version": sm.scope.version,
                "metrics": [metric_json(m) for m in sm.metrics],
            })
        out["resources"].append({"attributes": attributes(rm.resource.attributes), "scopes": scopes})
    return out


class Receiver:
    def __init__(self, args):
        self.args = args
        self.lock = threading.Lock()
        self.requests = 0

    def arrival(self):
        """Counts a request; whether it must fail."""
        with self.lock:
            self.requests += 1
            return self.requests <= self.args.fail

    def record(self, request, meta):
        line = json.dumps(request_json(request, meta))
        with self.lock, open(self.args.out, "a") as f:
            f.write(line + "\n")

    def reply(self):
        response = service.ExportMetricsServiceResponse()
        if self.args.reject:
            response.partial_success.rejected_data_points = self.args.reject
            response.partial_success.error_message = "test receiver rejects some points"
        return response


def serve_http(receiver):
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            fail = receiver.arrival()
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            time.sleep(receiver.args.delay)
            if fail:
                self.send_response(receiver.args.status)
                self.send_header("Retry-After", str(receiver.args.retry_after))
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            if self.path != "/v1/metrics" or self.headers.get("Content-Type") != "application/x-protobuf":
                self.send_response(400)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            encoding = self.headers.get("Content-Encoding", "")
            if encoding == "gzip":
                body = gzip.decompress(body)
            request = service.ExportMetricsServiceRequest.FromString(body)
            receiver.record(request, {"encoding": encoding, "path": self.path,
                                      "headers": {k.lower(): v for k, v in self.headers.items()}})
            reply = receiver.reply().SerializeToString()
            self.send_response(200)
            self.send_header("Content-Type", "application/x-protobuf")
            self.send_header("Content-Length", str(len(reply)))
            self.end_headers()
            self.wfile.write(reply)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", receiver.args.port), Handler)
    print(f"PORT {server.server_address[1]}", flush=True)
    server.serve_forever()


def serve_grpc(receiver):
    import grpc
    from opentelemetry.proto.collector.metrics.v1 import metrics_service_pb2_grpc as service_grpc

    class Servicer(service_grpc.MetricsServiceServicer):
        def Export(self, request, context):
            fail = receiver.arrival()
            time.sleep(receiver.args.delay)
            if fail:
                context.abort(grpc.StatusCode.UNAVAILABLE, "test receiver is unavailable")
            meta = dict(context.invocation_metadata())
            receiver.record(request, {"encoding": meta.get("grpc-encoding", ""), "path": "grpc",
                                      "headers": {k: v for k, v in meta.items() if isinstance(v, str)}})
            return receiver.reply()

    server = grpc.server(futures.ThreadPoolExecutor(max_workers=4))
    service_grpc.add_MetricsServiceServicer_to_server(Servicer(), server)
    port = server.add_insecure_port(f"127.0.0.1:{receiver.args.port}")
    server.start()
    print(f"PORT {port}", flush=True)
    server.wait_for_termination()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--protocol", choices=["http", "grpc"], required=True)
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--out", required=True)
    parser.add_argument("--fail", type=int, default=0)
    parser.add_argument("--status", type=int, default=503)
    parser.add_argument("--retry-after", type=int, default=1)
    parser.add_argument("--delay", type=float, default=0.0)
    parser.add_argument("--reject", type=int, default=0)
    args = parser.parse_args()
    receiver = Receiver(args)
    (serve_http if args.protocol == "http" else serve_grpc)(receiver)


if __name__ == "__main__":
    sys.exit(main())
