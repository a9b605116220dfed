package stack

import (
	"fmt"
	"net"
	"path/filepath"
	"strconv"
	"strings"
)

// Services are the service binaries in the order the stack starts them: the
// enricher first so the registry is ready, ble-ingest last so the first
// advertisements meet registered gateways. They stop in the reverse order.
var Services = []string{"enricher", "transformer", "mirror-health", "analyzer", "ble-ingest"}

// portOffset places each service at BasePort+offset: 8081 ble-ingest,
// 8082 transformer, 8083 enricher, 8084 mirror-health, 8085 analyzer.
var portOffset = map[string]int{"ble-ingest": 0, "transformer": 1, "enricher": 2, "mirror-health": 3, "analyzer": 4}

func listenAddr(base int, name string) string {
	port := 0
	if base != 0 {
		port = base + portOffset[name]
	}
	return net.JoinHostPort("127.0.0.1", strconv.Itoa(port))
}

// args are the flags that point a service at the clusters and its port.
func (s *Stack) args(name string) []string {
	primary := strings.Join(s.Clusters.Primary.ListenAddrs(), ",")
	mirror := strings.Join(s.Clusters.Mirror.ListenAddrs(), ",")
	// JSON whatever BLUESTREAM_LOG_FORMAT says: the stack reads a child's
	// address from its JSON "serving" line, and its log file stays one format.
	a := []string{"--listen-addr", listenAddr(s.cfg.BasePort, name), "--log-level", s.cfg.LogLevel, "--log-format", "json"}
	switch name {
	case "ble-ingest":
		a = append(a, "--kafka-brokers", primary, "--kafka-client-id", "stack-ble-ingest")
		if s.cfg.Simulate {
			a = append(a, "--simulate", "--simulate-fleet", strconv.Itoa(s.cfg.Fleet),
				"--simulate-seed", strconv.Itoa(s.cfg.Seed), "--simulate-speed", strconv.FormatFloat(s.cfg.Speed, 'g', -1, 64))
		}
	case "transformer":
		a = append(a, "--kafka-brokers", primary, "--kafka-client-id", "stack-transformer", "--transactional-id", "transformer-stack")
	case "enricher":
		a = append(a, "--kafka-brokers", primary, "--kafka-client-id", "stack-enricher", "--transactional-id", "enricher-stack",
			"--keystore-file", filepath.Join(s.stateDir, "enricher-keys.json"))
	case "mirror-health":
		a = append(a, "--mirror", "--source-kafka-brokers", primary, "--target-kafka-brokers", mirror,
			"--source-alias", PrimaryAlias, "--target-alias", MirrorAlias, "--interval", "2s")
	case "analyzer":
		a = append(a, "--kafka-brokers", mirror, "--kafka-client-id", "stack-analyzer",
			"--store-dir", filepath.Join(s.stateDir, "analyzer"))
	default:
		panic(fmt.Sprintf("stack: no flags for service %q", name))
	}
	return a
}
