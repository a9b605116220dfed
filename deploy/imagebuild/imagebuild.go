// Package imagebuild makes the services' container images without a
// container engine: it cross-compiles each service statically for every
// platform and assembles a distroless-style image around the binary (a
// nonroot user 65532, CA roots, nothing else), then a multi-arch OCI image
// index, written as an OCI layout and optionally pushed.
//
// The images are reproducible: file times come from Spec.Created, tar
// entries are ordered and owned by root, so the same commit gives the same
// digests.
package imagebuild

import (
	"archive/tar"
	"bytes"
	"context"
	"encoding/pem"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"strings"
	"time"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/google/go-containerregistry/pkg/v1/tarball"
	"github.com/google/go-containerregistry/pkg/v1/types"
	"golang.org/x/crypto/x509roots/fallback/bundle"
)

// Services are the images a release ships, one per service, each built from
// services/<name>/cmd/<name>.
var Services = []string{"ble-ingest", "transformer", "enricher", "mirror-health", "analyzer"}

// Platforms are what the images run on by default.
var Platforms = []v1.Platform{{OS: "linux", Architecture: "amd64"}, {OS: "linux", Architecture: "arm64"}}

// The image's nonroot user, as the Deployments' securityContext expects
// (runAsUser and runAsGroup 65532, like distroless's nonroot).
const (
	UID      = 65532
	User     = "65532:65532"
	BinDir   = "/usr/local/bin"
	CAFile   = "/etc/ssl/certs/ca-certificates.crt"
	homeDir  = "/home/nonroot"
	titleFmt = "bluestream %s"
)

// VersionVar is the variable release builds stamp, platform/buildinfo's.
const VersionVar = "github.com/bluestream/bluestream/platform/buildinfo.version"

// Spec is one image to build.
type Spec struct {
	// Name is the image's and the binary's name.
	Name string
	// Package is the Go main package, as go build takes it, built in Dir.
	Package string
	// Dir is where go build runs: the repository root, whose go.work
	// holds every module.
	Dir string
	// Platforms default to Platforms.
	Platforms []v1.Platform
	// Version is stamped into VersionVar (when set) and labelled.
	Version string
	// VersionVar is the variable -ldflags -X sets to Version; default
	// VersionVar.
	VersionVar string
	// Revision is the source commit; Source the repository URL; both
	// labelled.
	Revision, Source string
	// Created dates the image and its files; the zero time is the Unix
	// epoch, as reproducible builds do without SOURCE_DATE_EPOCH.
	Created time.Time
	// Stderr receives go build's output; default os.Stderr.
	Stderr io.Writer
}

// ServiceSpec is the Spec of one of Services, built from root.
func ServiceSpec(root, name string) Spec {
	return Spec{Name: name, Package: "./services/" + name + "/cmd/" + name, Dir: root}
}

// Build compiles the binaries and returns the multi-platform index.
func Build(ctx context.Context, s Spec) (v1.ImageIndex, error) {
	if s.Name == "" || s.Package == "" {
		return nil, fmt.Errorf("image spec needs a name and a package: %+v", s)
	}
	platforms := s.Platforms
	if len(platforms) == 0 {
		platforms = Platforms
	}
	if s.Created.IsZero() {
		s.Created = time.Unix(0, 0)
	}
	s.Created = s.Created.UTC()
	base, err := baseLayer(s.Created)
	if err != nil {
		return nil, err
	}
	work, err := os.MkdirTemp("", "imagebuild-"+s.Name+"-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(work)

	idx := mutate.IndexMediaType(empty.Index, types.OCIImageIndex)
	for _, p := range platforms {
		bin := filepath.Join(work, p.OS+"_"+p.Architecture, s.Name)
		if err := compile(ctx, s, p, bin); err != nil {
			return nil, err
		}
		img, err := image(s, p, base, bin)
		if err != nil {
			return nil, fmt.Errorf("%s for %s: %w", s.Name, platformString(p), err)
		}
		idx = mutate.AppendManifests(idx, mutate.IndexAddendum{
			Add:        img,
			Descriptor: v1.Descriptor{Platform: &p, Annotations: annotations(s)},
		})
	}
	return mutate.Annotations(idx, annotations(s)).(v1.ImageIndex), nil
}

// compile builds s for p into out: static (no cgo, so no libc in the image),
// reproducible (-trimpath), time zones embedded (the image has no zoneinfo).
func compile(ctx context.Context, s Spec, p v1.Platform, out string) error {
	ldflags := "-s -w"
	if s.Version != "" {
		v := s.VersionVar
		if v == "" {
			v = VersionVar
		}
		ldflags += " -X " + v + "=" + s.Version
	}
	cmd := exec.CommandContext(ctx, "go", "build", "-trimpath", "-tags", "timetzdata", "-ldflags", ldflags, "-o", out, s.Package)
	cmd.Dir = s.Dir
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0", "GOOS="+p.OS, "GOARCH="+p.Architecture)
	if p.Architecture == "arm" && p.Variant != "" {
		cmd.Env = append(cmd.Env, "GOARM="+strings.TrimPrefix(p.Variant, "v"))
	}
	cmd.Stdout = stderrOf(s)
	cmd.Stderr = stderrOf(s)
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("go build %s for %s: %w", s.Package, platformString(p), err)
	}
	return nil
}

func stderrOf(s Spec) io.Writer {
	if s.Stderr != nil {
		return s.Stderr
	}
	return os.Stderr
}

func image(s Spec, p v1.Platform, base v1.Layer, bin string) (v1.Image, error) {
	app, err := appLayer(s.Name, bin, s.Created)
	if err != nil {
		return nil, err
	}
	entrypoint := path.Join(BinDir, s.Name)
	cfg := &v1.ConfigFile{
		Created:      v1.Time{Time: s.Created},
		OS:           p.OS,
		Architecture: p.Architecture,
		Variant:      p.Variant,
		Config: v1.Config{
			User:       User,
			Entrypoint: []string{entrypoint},
			WorkingDir: homeDir,
			Env: []string{
				"PATH=" + BinDir + ":/usr/bin:/bin",
				"SSL_CERT_FILE=" + CAFile,
				"HOME=" + homeDir,
			},
			Labels: annotations(s),
		},
	}
	img, err := mutate.ConfigFile(empty.Image, cfg)
	if err != nil {
		return nil, err
	}
	img = mutate.MediaType(img, types.OCIManifestSchema1)
	img = mutate.ConfigMediaType(img, types.OCIConfigJSON)
	img, err = mutate.Append(img,
		mutate.Addendum{Layer: base, History: v1.History{Created: cfg.Created, CreatedBy: "imagebuild: nonroot user, CA roots", Comment: "base"}},
		mutate.Addendum{Layer: app, History: v1.History{Created: cfg.Created, CreatedBy: "imagebuild: go build " + s.Package, Comment: s.Name}},
	)
	if err != nil {
		return nil, err
	}
	return mutate.Annotations(img, annotations(s)).(v1.Image), nil
}

// annotations are the OCI labels of every image and index of s.
func annotations(s Spec) map[string]string {
	a := map[string]string{
		"org.opencontainers.image.title":   s.Name,
		"org.opencontainers.image.created": s.Created.Format(time.RFC3339),
		"org.opencontainers.image.description": fmt.Sprintf(titleFmt, s.Name) +
			": static Go binary on an empty base with a nonroot user and CA roots",
		"org.opencontainers.image.licenses": "NOASSERTION",
	}
	for k, v := range map[string]string{
		"org.opencontainers.image.source":   s.Source,
		"org.opencontainers.image.version":  s.Version,
		"org.opencontainers.image.revision": s.Revision,
	} {
		if v != "" {
			a[k] = v
		}
	}
	return a
}

// file is one entry of a layer.
type file struct {
	name     string
	mode     int64
	uid, gid int
	dir      bool
	body     []byte
	path     string // read the body from here instead
}

// baseLayer is what distroless's static image holds that a Go service
// needs: the users a securityContext names, a home and /tmp, and CA roots
// for TLS to Kafka and OTLP collectors.
func baseLayer(created time.Time) (v1.Layer, error) {
	ca, err := caBundle()
	if err != nil {
		return nil, err
	}
	return layer(created, []file{
		{name: "etc/", dir: true, mode: 0o755},
		{name: "etc/group", mode: 0o644, body: []byte("root:x:0:\nnobody:x:65534:\nnonroot:x:65532:\n")},
		{name: "etc/passwd", mode: 0o644, body: []byte(
			"root:x:0:0:root:/root:/sbin/nologin\n" +
				"nobody:x:65534:65534:nobody:/nonexistent:/sbin/nologin\n" +
				"nonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin\n")},
		{name: "etc/ssl/", dir: true, mode: 0o755},
		{name: "etc/ssl/certs/", dir: true, mode: 0o755},
		{name: strings.TrimPrefix(CAFile, "/"), mode: 0o644, body: ca},
		{name: "home/", dir: true, mode: 0o755},
		{name: "home/nonroot/", dir: true, mode: 0o700, uid: UID, gid: UID},
		{name: "root/", dir: true, mode: 0o700},
		{name: "tmp/", dir: true, mode: 0o1777},
	})
}

func appLayer(name, bin string, created time.Time) (v1.Layer, error) {
	return layer(created, []file{
		{name: "usr/", dir: true, mode: 0o755},
		{name: "usr/local/", dir: true, mode: 0o755},
		{name: "usr/local/bin/", dir: true, mode: 0o755},
		{name: strings.TrimPrefix(path.Join(BinDir, name), "/"), mode: 0o755, path: bin},
	})
}

// layer writes files, in the order given, as an uncompressed tar that
// go-containerregistry gzips.
func layer(created time.Time, files []file) (v1.Layer, error) {
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	for _, f := range files {
		h := &tar.Header{Name: f.name, Mode: f.mode, Uid: f.uid, Gid: f.gid, ModTime: created, Format: tar.FormatPAX}
		body := f.body
		if f.path != "" {
			b, err := os.ReadFile(f.path)
			if err != nil {
				return nil, err
			}
			body = b
		}
		if f.dir {
			h.Typeflag = tar.TypeDir
		} else {
			h.Typeflag, h.Size = tar.TypeReg, int64(len(body))
		}
		if err := tw.WriteHeader(h); err != nil {
			return nil, err
		}
		if _, err := tw.Write(body); err != nil {
			return nil, err
		}
	}
	if err := tw.Close(); err != nil {
		return nil, err
	}
	data := buf.Bytes()
	return tarball.LayerFromOpener(func() (io.ReadCloser, error) {
		return io.NopCloser(bytes.NewReader(data)), nil
	}, tarball.WithMediaType(types.OCILayer))
}

// caBundle is Mozilla's NSS roots as golang.org/x/crypto ships them. Roots
// NSS distrusts after a date are left out: a PEM file cannot carry that
// constraint, and trusting them without it would be wider than NSS does.
func caBundle() ([]byte, error) {
	var out bytes.Buffer
	for root := range bundle.Roots() {
		if root.Constraint != nil {
			continue
		}
		if err := pem.Encode(&out, &pem.Block{Type: "CERTIFICATE", Bytes: root.Certificate}); err != nil {
			return nil, err
		}
	}
	if out.Len() == 0 {
		return nil, fmt.Errorf("no CA roots in golang.org/x/crypto/x509roots/fallback/bundle")
	}
	return out.Bytes(), nil
}

func platformString(p v1.Platform) string {
	s := p.OS + "/" + p.Architecture
	if p.Variant != "" {
		s += "/" + p.Variant
	}
	return s
}
