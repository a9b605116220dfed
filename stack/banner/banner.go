// Package banner prints where to look once the stack runs: the dashboard, every
// service's RPC endpoint and both clusters' bootstrap addresses, one per line so
// people read it and tools (the smoke test, scripts) can parse it.
package banner

import (
	"fmt"
	"io"
	"strings"
)

// Cluster is one Kafka cluster's alias, role and bootstrap addresses.
type Cluster struct {
	Alias, Role string
	Brokers     []string
}

// Service is one service's name and base URL.
type Service struct {
	Name, URL string
}

// Info is everything the banner shows.
type Info struct {
	Mode      string
	Clusters  []Cluster
	Services  []Service
	Dashboard string // empty while no service serves one
	Missing   []string
	Logs      string
}

// Write prints info to w.
func Write(w io.Writer, info Info) error {
	var b strings.Builder
	fmt.Fprintf(&b, "bluestream is running (%s mode)\n", info.Mode)
	if info.Dashboard != "" {
		fmt.Fprintf(&b, "  dashboard              %s\n", info.Dashboard)
	}
	for _, c := range info.Clusters {
		fmt.Fprintf(&b, "  kafka %-16s %s   (kcat -b %s -L)\n", c.Alias+" "+c.Role, strings.Join(c.Brokers, ","), c.Brokers[0])
	}
	for _, s := range info.Services {
		fmt.Fprintf(&b, "  %-22s %s   (Connect, gRPC, gRPC-Web; %s/metrics)\n", s.Name, s.URL, s.URL)
	}
	for _, m := range info.Missing {
		fmt.Fprintf(&b, "  %-22s not started: services/%s/cmd/%s does not exist yet\n", m, m, m)
	}
	if info.Logs != "" {
		fmt.Fprintf(&b, "  logs                   %s\n", info.Logs)
	}
	b.WriteString("press Ctrl-C to stop\n")
	_, err := io.WriteString(w, b.String())
	return err
}
