// Command pubsub-emulator serves an in-memory Google Cloud Pub/Sub API (the fake from
// cloud.google.com/go/pubsub/v2/pstest) over gRPC, for Herald's tests and `npm start`.
// Clients reach it through PUBSUB_EMULATOR_HOST=<host>:<port> (plaintext, no credentials).
//
// It prints "listening on <address>" once the port accepts connections and exits on SIGINT/SIGTERM.
// State is kept in memory only: every start begins with no topics or subscriptions.
package main

import (
	"flag"
	"fmt"
	"net"
	"os"
	"os/signal"
	"strconv"
	"syscall"

	"cloud.google.com/go/pubsub/v2/pstest"
)

func main() {
	host := flag.String("host", "127.0.0.1", "address to listen on (keep it on loopback)")
	port := flag.Int("port", 8085, "TCP port to listen on (0 picks a free one)")
	flag.Parse()

	server := pstest.NewServerWithAddress(net.JoinHostPort(*host, strconv.Itoa(*port)))
	fmt.Printf("listening on %s\n", server.Addr)

	stop := make(chan os.Signal, 1)
	signal.Notify(stop, syscall.SIGINT, syscall.SIGTERM)
	<-stop
	if err := server.Close(); err != nil {
		fmt.Fprintf(os.Stderr, "close: %v\n", err)
		os.Exit(1)
	}
}
