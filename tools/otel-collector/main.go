// A minimal OpenTelemetry collector for Herald's tests: it receives OTLP traces and metrics over
// gRPC and over HTTP (protobuf or JSON bodies) and appends each export request it gets to a file
// as one JSON line, {"signal", "transport", "request"}, the request in OTLP's JSON mapping.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"os"
	"os/signal"
	"sync"
	"syscall"

	collmetrics "go.opentelemetry.io/proto/otlp/collector/metrics/v1"
	colltrace "go.opentelemetry.io/proto/otlp/collector/trace/v1"
	"google.golang.org/grpc"
	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/proto"
)

// recorder appends one line per export request; writes are serialised so lines never interleave.
type recorder struct {
	mu  sync.Mutex
	out *os.File
}

func (r *recorder) record(signal, transport string, request proto.Message) error {
	body, err := protojson.Marshal(request)
	if err != nil {
		return err
	}
	line, err := json.Marshal(map[string]any{"signal": signal, "transport": transport, "request": json.RawMessage(body)})
	if err != nil {
		return err
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	_, err = r.out.Write(append(line, '\n'))
	return err
}

type traceServer struct {
	colltrace.UnimplementedTraceServiceServer
	rec *recorder
}

func (s traceServer) Export(_ context.Context, req *colltrace.ExportTraceServiceRequest) (*colltrace.ExportTraceServiceResponse, error) {
	return &colltrace.ExportTraceServiceResponse{}, s.rec.record("traces", "grpc", req)
}

type metricsServer struct {
	collmetrics.UnimplementedMetricsServiceServer
	rec *recorder
}

func (s metricsServer) Export(_ context.Context, req *collmetrics.ExportMetricsServiceRequest) (*collmetrics.ExportMetricsServiceResponse, error) {
	return &collmetrics.ExportMetricsServiceResponse{}, s.rec.record("metrics", "grpc", req)
}

// httpHandler serves POST /v1/<signal> as OTLP/HTTP does: the request in protobuf (or JSON when
// the content type says so), the response in the same encoding.
func httpHandler(rec *recorder, signal string, newRequest func() proto.Message, response proto.Message) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost {
			http.Error(w, "POST only", http.StatusMethodNotAllowed)
			return
		}
		body, err := io.ReadAll(r.Body)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		request := newRequest()
		isJSON := r.Header.Get("Content-Type") == "application/json"
		if isJSON {
			err = protojson.Unmarshal(body, request)
		} else {
			err = proto.Unmarshal(body, request)
		}
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		if err := rec.record(signal, "http", request); err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		var out []byte
		if isJSON {
			w.Header().Set("Content-Type", "application/json")
			out, _ = protojson.Marshal(response)
		} else {
			w.Header().Set("Content-Type", "application/x-protobuf")
			out, _ = proto.Marshal(response)
		}
		_, _ = w.Write(out)
	}
}

func main() {
	host := flag.String("host", "127.0.0.1", "address to listen on")
	grpcPort := flag.Int("grpc-port", 4317, "OTLP/gRPC port")
	httpPort := flag.Int("http-port", 4318, "OTLP/HTTP port")
	outPath := flag.String("out", "otlp.jsonl", "file the received export requests are appended to")
	flag.Parse()

	out, err := os.OpenFile(*outPath, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o644)
	if err != nil {
		log.Fatal(err)
	}
	rec := &recorder{out: out}

	grpcListener, err := net.Listen("tcp", fmt.Sprintf("%s:%d", *host, *grpcPort))
	if err != nil {
		log.Fatal(err)
	}
	grpcServer := grpc.NewServer()
	colltrace.RegisterTraceServiceServer(grpcServer, traceServer{rec: rec})
	collmetrics.RegisterMetricsServiceServer(grpcServer, metricsServer{rec: rec})

	mux := http.NewServeMux()
	mux.Handle("/v1/traces", httpHandler(rec, "traces",
		func() proto.Message { return &colltrace.ExportTraceServiceRequest{} }, &colltrace.ExportTraceServiceResponse{}))
	mux.Handle("/v1/metrics", httpHandler(rec, "metrics",
		func() proto.Message { return &collmetrics.ExportMetricsServiceRequest{} }, &collmetrics.ExportMetricsServiceResponse{}))
	httpListener, err := net.Listen("tcp", fmt.Sprintf("%s:%d", *host, *httpPort))
	if err != nil {
		log.Fatal(err)
	}
	httpServer := &http.Server{Handler: mux}

	go func() { _ = grpcServer.Serve(grpcListener) }()
	go func() { _ = httpServer.Serve(httpListener) }()
	log.Printf("otel collector listening: grpc %s, http %s, writing %s", grpcListener.Addr(), httpListener.Addr(), *outPath)

	stop := make(chan os.Signal, 1)
	signal.Notify(stop, syscall.SIGINT, syscall.SIGTERM)
	<-stop
	grpcServer.Stop()
	_ = httpServer.Close()
	_ = out.Close()
}
