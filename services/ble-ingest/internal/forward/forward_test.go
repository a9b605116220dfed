package forward_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"io"
	"log/slog"
	"maps"
	"math/big"
	"net"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/bluestream/bluestream/services/ble-ingest/internal/forward"
	"github.com/bluestream/bluestream/services/ble-ingest/internal/ingest"
)

// run starts f.Run and returns a function that waits for its result.
func run(t *testing.T, ctx context.Context, f *forward.Forwarder) func() error {
	t.Helper()
	ctx, cancel := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- f.Run(ctx) }()
	var once bool
	var result error
	wait := func() error {
		if once {
			return result
		}
		select {
		case result = <-done:
		case <-time.After(30 * time.Second):
			t.Fatal("Run did not return")
		}
		once = true
		return result
	}
	t.Cleanup(func() { cancel(); f.Close(); _ = wait() })
	return wait
}

func newForwarder(t *testing.T, r *remote, cfg forward.Config) *forward.Forwarder {
	t.Helper()
	cfg.Endpoint = r.URL
	if cfg.MinBackoff == 0 {
		cfg.MinBackoff, cfg.MaxBackoff = time.Millisecond, 20*time.Millisecond
	}
	if cfg.Now == nil {
		cfg.Now = func() time.Time { return start }
	}
	if cfg.DrainTimeout == 0 {
		cfg.DrainTimeout = time.Second
	}
	cfg.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	f, err := forward.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func mustIngest(t *testing.T, f *forward.Forwarder, b ingest.Batch) {
	t.Helper()
	res, err := f.Ingest(context.Background(), b)
	if err != nil {
		t.Fatalf("Ingest %s: %v", b.GatewayID, err)
	}
	if res.Accepted != len(b.Advertisements) {
		t.Fatalf("Ingest %s accepted %d of %d", b.GatewayID, res.Accepted, len(b.Advertisements))
	}
}

// Three gateways' batches, interleaved, reach Kafka through a real
// IngestService over h2c: each advertisement once, each gateway numbered
// 1, 2, 3… from the clock on its own, each batch's advertisements in order.
func TestForwardsEachAdvertisementOnceWithPerGatewaySequences(t *testing.T) {
	t.Parallel()
	r := newRemote(t, nil)
	f := newForwarder(t, r, forward.Config{})
	wait := run(t, context.Background(), f)
	gws := []string{"gw-a", "gw-b", "gw-c"}
	const batches, size = 20, 10
	for i := range batches {
		for _, gw := range gws {
			mustIngest(t, f, batch(gw, i*size, size))
		}
	}
	f.Close()
	if err := wait(); err != nil {
		t.Fatalf("Run: %v", err)
	}
	events := r.consume(t)
	if len(events) != len(gws)*batches*size {
		t.Fatalf("got %d events, want %d", len(events), len(gws)*batches*size)
	}
	first := uint64(start.UnixMicro())
	type span struct{ lo, hi int }
	seen := map[string]map[int]bool{}
	spans := map[string]map[uint64]span{} // each batch's lowest and highest advertisement
	for _, e := range events {
		gw, seq := e.GetGatewayId(), e.GetBatchSequence()
		p := e.GetAdvertisement().GetPayload()
		n := int(p[len(p)-2])<<8 | int(p[len(p)-1])
		if seen[gw] == nil {
			seen[gw], spans[gw] = map[int]bool{}, map[uint64]span{}
		}
		if seen[gw][n] {
			t.Fatalf("%s: advertisement %d published twice", gw, n)
		}
		seen[gw][n] = true
		sp, ok := spans[gw][seq]
		if !ok {
			sp = span{n, n}
		}
		spans[gw][seq] = span{min(sp.lo, n), max(sp.hi, n)}
	}
	for _, gw := range gws {
		if len(seen[gw]) != batches*size {
			t.Errorf("%s: %d distinct advertisements, want %d", gw, len(seen[gw]), batches*size)
		}
		// Numbered first, first+1, … with nothing skipped, each batch
		// holding later advertisements than the one before.
		for i := range uint64(len(spans[gw])) {
			sp, ok := spans[gw][first+i]
			if !ok {
				t.Fatalf("%s: sequences %v, want %d consecutive from %d", gw, slices.Sorted(maps.Keys(spans[gw])), len(spans[gw]), first)
			}
			if prev, ok := spans[gw][first+i-1]; i > 0 && ok && prev.hi >= sp.lo {
				t.Fatalf("%s: batch %d holds advertisements %v, after batch %d with %v", gw, first+i, sp, first+i-1, prev)
			}
		}
	}
	for _, p := range r.protos {
		if p != "HTTP/2.0" {
			t.Fatalf("request over %s, want HTTP/2.0 (h2c)", p)
		}
	}
	s := f.Stats()
	if s.Buffered != 0 || s.Acknowledged != uint64(len(events)) || s.DuplicateBatches != 0 {
		t.Errorf("stats %+v", s)
	}
}

// A stream that the remote published but whose reply was lost is sent again
// with the same numbers; the remote answers duplicates and Kafka holds every
// advertisement once.
func TestLostRepliesAreResentAndPublishedOnce(t *testing.T) {
	t.Parallel()
	r := newRemote(t, nil)
	r.loseReplies = 2
	f := newForwarder(t, r, forward.Config{})
	for i := range 5 {
		mustIngest(t, f, batch("gw-lossy", i*10, 10))
	}
	wait := run(t, context.Background(), f)
	f.Close()
	if err := wait(); err != nil {
		t.Fatalf("Run: %v", err)
	}
	if events := r.consume(t); len(events) != 50 {
		t.Fatalf("got %d events, want 50: a resent batch was published again or lost", len(events))
	}
	s := f.Stats()
	if s.FailedRounds != 2 || s.DuplicateBatches == 0 || s.Acknowledged != 50 {
		t.Errorf("want 2 failed rounds and duplicates answered, got %+v", s)
	}
}

// While the remote is down the buffer fills to its bound and then refuses;
// once the remote is back (on new connections) everything buffered arrives.
func TestRemoteDownFillsTheBoundedBufferThenDelivers(t *testing.T) {
	t.Parallel()
	r := newRemote(t, nil)
	r.setDown(true)
	f := newForwarder(t, r, forward.Config{MaxBuffered: 1000})
	wait := run(t, context.Background(), f)
	for i := range 10 {
		mustIngest(t, f, batch("gw-offline", i*100, 100))
	}
	<-r.refused
	if _, err := f.Ingest(context.Background(), batch("gw-offline", 1000, 1)); !errors.Is(err, ingest.ErrOverloaded) {
		t.Fatalf("Ingest into a full buffer: %v, want ingest.ErrOverloaded", err)
	}
	if s := f.Stats(); s.Buffered != 1000 || s.Refused != 1 {
		t.Fatalf("stats while down: %+v", s)
	}
	r.CloseClientConnections()
	r.setDown(false)
	f.Close()
	if err := wait(); err != nil {
		t.Fatalf("Run: %v", err)
	}
	events := r.consume(t)
	if len(events) != 1000 {
		t.Fatalf("got %d events, want 1000", len(events))
	}
	sequences := map[uint64]bool{}
	for _, e := range events {
		sequences[e.GetBatchSequence()] = true
	}
	if len(sequences) > 2 {
		t.Errorf("10 batches queued while the remote was down went as %d; want them grown into at most 2", len(sequences))
	}
	if s := f.Stats(); s.FailedRounds == 0 || s.Acknowledged != 1000 {
		t.Errorf("stats %+v", s)
	}
}

// When Run's context ends it still delivers what is buffered and what
// sources flush until Close.
func TestShutdownDeliversWhatSourcesFlushLast(t *testing.T) {
	t.Parallel()
	r := newRemote(t, nil)
	f := newForwarder(t, r, forward.Config{})
	ctx, cancel := context.WithCancel(context.Background())
	wait := run(t, ctx, f)
	for i := range 3 {
		mustIngest(t, f, batch("gw-stop", i*10, 10))
	}
	cancel()
	canceled, stop := context.WithCancel(context.Background())
	stop()
	if _, err := f.Ingest(canceled, batch("gw-stop", 30, 5)); err != nil {
		t.Fatalf("last flush during the drain: %v", err)
	}
	f.Close()
	if err := wait(); err != nil {
		t.Fatalf("Run: %v", err)
	}
	if events := r.consume(t); len(events) != 35 {
		t.Fatalf("got %d events, want 35", len(events))
	}
	if _, err := f.Ingest(context.Background(), batch("gw-stop", 35, 1)); !errors.Is(err, forward.ErrClosed) {
		t.Fatalf("Ingest after Run: %v, want ErrClosed", err)
	}
}

// With the remote down, the drain gives up after DrainTimeout and says how
// much was not delivered; a full buffer refuses at once rather than making
// the source wait through the shutdown.
func TestShutdownGivesUpAfterTheDrainTimeout(t *testing.T) {
	t.Parallel()
	r := newRemote(t, nil)
	r.setDown(true)
	f := newForwarder(t, r, forward.Config{MaxBuffered: 1000, DrainTimeout: 50 * time.Millisecond})
	ctx, cancel := context.WithCancel(context.Background())
	wait := run(t, ctx, f)
	for i := range 10 {
		mustIngest(t, f, batch("gw-down", i*100, 100))
	}
	<-r.refused
	cancel()
	_, err := f.Ingest(context.Background(), batch("gw-down", 1000, 1))
	if !errors.Is(err, forward.ErrStopping) {
		t.Fatalf("Ingest into a full buffer while stopping: %v, want ErrStopping", err)
	}
	err = wait()
	if err == nil || !strings.Contains(err.Error(), "stopped with 1000 advertisements") {
		t.Fatalf("Run: %v, want it to name the 1000 undelivered advertisements", err)
	}
}

// A batch the remote rejects as invalid is dropped on its own; the batches
// around it, in the same stream, arrive.
func TestInvalidBatchIsDroppedAlone(t *testing.T) {
	t.Parallel()
	r := newRemote(t, nil)
	f := newForwarder(t, r, forward.Config{})
	tooLong := strings.Repeat("g", 200) // the contract allows 128
	for i, gw := range []string{"gw-ok", "gw-ok", tooLong, "gw-ok", "gw-ok"} {
		mustIngest(t, f, batch(gw, i*10, 10))
	}
	wait := run(t, context.Background(), f)
	f.Close()
	if err := wait(); err != nil {
		t.Fatalf("Run: %v", err)
	}
	if events := r.consume(t); len(events) != 40 {
		t.Fatalf("got %d events, want 40", len(events))
	}
	if s := f.Stats(); s.RejectedBatches != 1 || s.Rejected != 10 || s.Acknowledged != 40 {
		t.Errorf("stats %+v", s)
	}
}

// An https endpoint is reached over HTTP/2 with TLS, presenting the gateway's
// client certificate, which the remote requires.
func TestHTTPSWithClientCertificate(t *testing.T) {
	t.Parallel()
	pki := newPKI(t)
	r := newRemote(t, func(s *httptest.Server) {
		s.TLS = &tls.Config{
			Certificates: []tls.Certificate{pki.server},
			ClientAuth:   tls.RequireAndVerifyClientCert,
			ClientCAs:    pki.pool,
		}
		s.EnableHTTP2 = true
		s.StartTLS()
	})
	if !strings.HasPrefix(r.URL, "https://") {
		t.Fatalf("remote at %s", r.URL)
	}
	tlsCfg, err := forward.TLSConfig(pki.caFile, pki.certFile, pki.keyFile)
	if err != nil {
		t.Fatal(err)
	}
	f := newForwarder(t, r, forward.Config{TLS: tlsCfg})
	mustIngest(t, f, batch("gw-042", 0, 10))
	wait := run(t, context.Background(), f)
	f.Close()
	if err := wait(); err != nil {
		t.Fatalf("Run: %v", err)
	}
	if events := r.consume(t); len(events) != 10 {
		t.Fatalf("got %d events, want 10", len(events))
	}
	if !slices.Contains(r.peerCNs, "gw-042") {
		t.Errorf("remote saw client certificates %q, want gw-042", r.peerCNs)
	}
	for _, p := range r.protos {
		if p != "HTTP/2.0" {
			t.Fatalf("request over %s, want HTTP/2.0", p)
		}
	}
}

func TestConfigNamesWhatCannotWork(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		cfg  forward.Config
		want string
	}{
		{forward.Config{}, "want an http:// (h2c) or https:// URL"},
		{forward.Config{Endpoint: "grpc://ingest:443"}, "want an http:// (h2c) or https:// URL"},
		{forward.Config{Endpoint: "https://"}, "no host"},
		{forward.Config{Endpoint: "https://ingest?x=1"}, "at most a path"},
		{forward.Config{Endpoint: "http://ingest:8080", MaxBuffered: 10}, "cannot hold one full batch"},
		{forward.Config{Endpoint: "http://ingest:8080", RoundBatches: ingest.RetryWindow + 1}, "round batches"},
	} {
		_, err := forward.New(tc.cfg)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%+v: %v, want %q", tc.cfg, err, tc.want)
		}
	}
	if _, err := forward.New(forward.Config{Endpoint: "https://ingest.germanywestcentral.bluestream.internal/prefix"}); err != nil {
		t.Errorf("a URL with a path prefix: %v", err)
	}
	if _, err := forward.TLSConfig("", "client.crt", ""); err == nil {
		t.Error("a client certificate without its key was accepted")
	}
}

type pki struct {
	pool                      *x509.CertPool
	server                    tls.Certificate
	caFile, certFile, keyFile string
}

// newPKI makes a CA, a server certificate for 127.0.0.1 and a client
// certificate for gw-042, the client's files written as enrolment would.
func newPKI(t *testing.T) pki {
	t.Helper()
	dir := t.TempDir()
	caKey := newKey(t)
	caTmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "bluestream test CA"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign,
	}
	caDER, err := x509.CreateCertificate(rand.Reader, caTmpl, caTmpl, &caKey.PublicKey, caKey)
	if err != nil {
		t.Fatal(err)
	}
	ca, _ := x509.ParseCertificate(caDER)
	issue := func(cn string, usage x509.ExtKeyUsage, ips ...net.IP) ([]byte, *ecdsa.PrivateKey) {
		key := newKey(t)
		tmpl := &x509.Certificate{
			SerialNumber: big.NewInt(time.Now().UnixNano()), Subject: pkix.Name{CommonName: cn},
			NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
			KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{usage}, IPAddresses: ips,
		}
		der, err := x509.CreateCertificate(rand.Reader, tmpl, ca, &key.PublicKey, caKey)
		if err != nil {
			t.Fatal(err)
		}
		return der, key
	}
	p := pki{pool: x509.NewCertPool()}
	p.pool.AddCert(ca)
	srvDER, srvKey := issue("127.0.0.1", x509.ExtKeyUsageServerAuth, net.IPv4(127, 0, 0, 1))
	p.server = tls.Certificate{Certificate: [][]byte{srvDER}, PrivateKey: srvKey}
	cliDER, cliKey := issue("gw-042", x509.ExtKeyUsageClientAuth)
	keyDER, err := x509.MarshalPKCS8PrivateKey(cliKey)
	if err != nil {
		t.Fatal(err)
	}
	write := func(name, typ string, der []byte) string {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, pem.EncodeToMemory(&pem.Block{Type: typ, Bytes: der}), 0o600); err != nil {
			t.Fatal(err)
		}
		return path
	}
	p.caFile = write("ca.crt", "CERTIFICATE", caDER)
	p.certFile = write("client.crt", "CERTIFICATE", cliDER)
	p.keyFile = write("client.key", "PRIVATE KEY", keyDER)
	return p
}

func newKey(t *testing.T) *ecdsa.PrivateKey {
	t.Helper()
	k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// A gateway given no id is named by its enrolled client certificate, which
// is what the remote authenticates; without one, by its host name.
func TestIdentityIsTheCertificatesCommonName(t *testing.T) {
	t.Parallel()
	pki := newPKI(t)
	s := forward.Settings{Endpoint: "https://ingest.germanywestcentral.bluestream.internal", CertFile: pki.certFile, KeyFile: pki.keyFile,
		MaxBuffered: 1000, DrainTimeout: time.Second}
	if err := s.Validate(); err != nil {
		t.Fatal(err)
	}
	if id, err := s.Identity(); err != nil || id != "gw-042" {
		t.Errorf("Identity with a client certificate: %q, %v; want gw-042", id, err)
	}
	host, _ := os.Hostname()
	if id, err := (&forward.Settings{}).Identity(); err != nil || id != host {
		t.Errorf("Identity without a certificate: %q, %v; want the host name %q", id, err, host)
	}
	bad := forward.Settings{Endpoint: "ftp://x", CertFile: pki.certFile, MaxBuffered: 10}
	err := bad.Validate()
	for _, flag := range []string{"--ingest-endpoint", "--ingest-buffer", "--ingest-drain-timeout", "--ingest-tls-cert"} {
		if err == nil || !strings.Contains(err.Error(), flag) {
			t.Errorf("Validate: %v, want it to name %s", err, flag)
		}
	}
}
