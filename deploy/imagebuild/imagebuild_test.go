package imagebuild_test

import (
	"archive/tar"
	"bytes"
	"context"
	"crypto/x509"
	"debug/buildinfo"
	"debug/elf"
	"errors"
	"io"
	"log"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-containerregistry/pkg/name"
	"github.com/google/go-containerregistry/pkg/registry"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/google/go-containerregistry/pkg/v1/remote"
	"github.com/google/go-containerregistry/pkg/v1/types"
	"sigs.k8s.io/yaml"

	"github.com/bluestream/bluestream/deploy/imagebuild"
)

var created = time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)

// hello goes through the same build path as a service: only the package
// and the stamped variable differ.
func helloSpec() imagebuild.Spec {
	return imagebuild.Spec{
		Name: "hello", Package: "./imagebuild/testdata/hello", Dir: "..",
		Version: "1.4.0-rc.1", VersionVar: "main.version",
		Revision: "0123456789abcdef0123456789abcdef01234567", Source: "https://github.com/bluestream/bluestream",
		Created: created,
	}
}

// built is one build shared by the tests: compiling twice for two platforms
// is the slow part.
var built struct {
	idx v1.ImageIndex
	dir string
	err error
}

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "imagebuild-test-")
	if err != nil {
		panic(err)
	}
	built.dir = filepath.Join(dir, "hello")
	idx, err := imagebuild.Build(context.Background(), helloSpec())
	if err == nil {
		err = imagebuild.WriteLayout(built.dir, idx, "1.4.0-rc.1")
	}
	if err == nil {
		// Read back what was written, so the tests check the layout on disk.
		idx, err = imagebuild.ReadLayout(built.dir)
	}
	built.idx, built.err = idx, err
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

func index(t *testing.T) v1.ImageIndex {
	t.Helper()
	if built.err != nil {
		t.Fatalf("building the hello image: %v", built.err)
	}
	return built.idx
}

var elfMachine = map[string]elf.Machine{"amd64": elf.EM_X86_64, "arm64": elf.EM_AARCH64}

func TestIndexHasAStaticNonrootImagePerPlatform(t *testing.T) {
	idx := index(t)
	im, err := idx.IndexManifest()
	if err != nil {
		t.Fatal(err)
	}
	if im.MediaType != types.OCIImageIndex {
		t.Errorf("index media type %s, want %s", im.MediaType, types.OCIImageIndex)
	}
	var platforms []string
	for _, desc := range im.Manifests {
		p := desc.Platform
		platforms = append(platforms, p.OS+"/"+p.Architecture)
		t.Run(p.Architecture, func(t *testing.T) {
			img, err := idx.Image(desc.Digest)
			if err != nil {
				t.Fatal(err)
			}
			cfg, err := img.ConfigFile()
			if err != nil {
				t.Fatal(err)
			}
			if cfg.OS != p.OS || cfg.Architecture != p.Architecture {
				t.Errorf("config is %s/%s under the %s/%s descriptor", cfg.OS, cfg.Architecture, p.OS, p.Architecture)
			}
			if cfg.Config.User != "65532:65532" {
				t.Errorf("User %q, want 65532:65532", cfg.Config.User)
			}
			if !slices.Equal(cfg.Config.Entrypoint, []string{"/usr/local/bin/hello"}) {
				t.Errorf("Entrypoint %q", cfg.Config.Entrypoint)
			}
			for k, want := range map[string]string{
				"org.opencontainers.image.source":   "https://github.com/bluestream/bluestream",
				"org.opencontainers.image.version":  "1.4.0-rc.1",
				"org.opencontainers.image.revision": "0123456789abcdef0123456789abcdef01234567",
				"org.opencontainers.image.created":  "2026-11-23T12:00:00Z",
			} {
				if got := cfg.Config.Labels[k]; got != want {
					t.Errorf("label %s = %q, want %q", k, got, want)
				}
			}
			files := flatten(t, img)
			bin, ok := files["usr/local/bin/hello"]
			if !ok {
				t.Fatalf("no /usr/local/bin/hello in %v", keys(files))
			}
			if bin.mode&0o111 == 0 || bin.uid != 0 {
				t.Errorf("binary mode %o owner %d: want executable, owned by root", bin.mode, bin.uid)
			}
			f, err := elf.NewFile(bytes.NewReader(bin.body))
			if err != nil {
				t.Fatalf("binary is not ELF: %v", err)
			}
			if f.Machine != elfMachine[p.Architecture] {
				t.Errorf("ELF machine %v, want %v", f.Machine, elfMachine[p.Architecture])
			}
			for _, prog := range f.Progs {
				if prog.Type == elf.PT_INTERP {
					t.Error("binary asks for a dynamic loader; the image has none")
				}
			}
			info, err := buildinfo.Read(bytes.NewReader(bin.body))
			if err != nil {
				t.Fatal(err)
			}
			settings := map[string]string{}
			for _, s := range info.Settings {
				settings[s.Key] = s.Value
			}
			// Static, reproducible, with time zones inside: the image has
			// neither libc nor zoneinfo.
			for k, want := range map[string]string{"CGO_ENABLED": "0", "-trimpath": "true", "-tags": "timetzdata", "GOARCH": p.Architecture} {
				if settings[k] != want {
					t.Errorf("built with %s=%q, want %q", k, settings[k], want)
				}
			}
			if !strings.Contains(string(files["etc/passwd"].body), "nonroot:x:65532:65532:") ||
				!strings.Contains(string(files["etc/group"].body), "nonroot:x:65532:") {
				t.Errorf("passwd/group lack nonroot 65532:\n%s\n%s", files["etc/passwd"].body, files["etc/group"].body)
			}
			if h := files["home/nonroot"]; h.uid != 65532 {
				t.Errorf("/home/nonroot owned by %d", h.uid)
			}
			if tmp := files["tmp"]; tmp.mode&0o1777 != 0o1777 {
				t.Errorf("/tmp mode %o, want 1777", tmp.mode)
			}
			pool := x509.NewCertPool()
			if !pool.AppendCertsFromPEM(files["etc/ssl/certs/ca-certificates.crt"].body) || len(pool.Subjects()) < 100 { //nolint:staticcheck
				t.Errorf("CA bundle holds %d roots", len(pool.Subjects())) //nolint:staticcheck
			}
			for name, f := range files {
				if !f.mtime.Equal(created) {
					t.Errorf("%s dated %v, want %v (reproducible)", name, f.mtime, created)
				}
			}
		})
	}
	slices.Sort(platforms)
	if !slices.Equal(platforms, []string{"linux/amd64", "linux/arm64"}) {
		t.Errorf("platforms %v", platforms)
	}
}

// On a linux/amd64 host the image's own binary runs: stamped with the
// version, and finding CA roots where the image's config says they are.
func TestBinaryRunsWithTheImagesFiles(t *testing.T) {
	if runtime.GOOS != "linux" || runtime.GOARCH != "amd64" {
		t.Skip("runs the linux/amd64 binary")
	}
	idx := index(t)
	img := platformImage(t, idx, "amd64")
	files := flatten(t, img)
	dir := t.TempDir()
	bin := filepath.Join(dir, "hello")
	if err := os.WriteFile(bin, files["usr/local/bin/hello"].body, 0o755); err != nil {
		t.Fatal(err)
	}
	ca := filepath.Join(dir, "ca.crt")
	if err := os.WriteFile(ca, files["etc/ssl/certs/ca-certificates.crt"].body, 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin)
	// Only what the image's config sets, so host files do not stand in.
	empty := t.TempDir()
	cmd.Env = []string{"SSL_CERT_FILE=" + ca, "SSL_CERT_DIR=" + empty}
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	if s := string(out); !strings.Contains(s, "version=1.4.0-rc.1") || strings.Contains(s, "roots=0") {
		t.Errorf("hello said %q", s)
	}
}

// Building twice gives the same digests.
func TestBuildIsReproducible(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the image again")
	}
	first, err := index(t).Digest()
	if err != nil {
		t.Fatal(err)
	}
	again, err := imagebuild.Build(t.Context(), helloSpec())
	if err != nil {
		t.Fatal(err)
	}
	second, err := again.Digest()
	if err != nil {
		t.Fatal(err)
	}
	if first != second {
		t.Errorf("index digests differ: %s, then %s", first, second)
	}
}

// Pushing to a real registry (go-containerregistry's, over HTTP) and pulling
// the tag back gives the same index and the same per-platform images.
func TestPushAndPullBackByTag(t *testing.T) {
	reg := httptest.NewServer(registry.New(registry.Logger(discardLogger())))
	t.Cleanup(reg.Close)
	host := strings.TrimPrefix(reg.URL, "http://")
	idx := index(t)
	ref := host + "/bluestream/bluestream/hello:1.4.0-rc.1"
	pushed, err := imagebuild.Push(t.Context(), idx, ref, imagebuild.PushOptions{Insecure: true})
	if err != nil {
		t.Fatal(err)
	}
	want, _ := idx.Digest()
	if pushed.DigestStr() != want.String() {
		t.Errorf("Push reported %s, index is %s", pushed.DigestStr(), want)
	}
	tag, err := name.NewTag(ref, name.Insecure)
	if err != nil {
		t.Fatal(err)
	}
	pulled, err := remote.Index(tag, remote.WithContext(t.Context()))
	if err != nil {
		t.Fatal(err)
	}
	got, _ := pulled.Digest()
	if got != want {
		t.Fatalf("pulled index %s, pushed %s", got, want)
	}
	for _, arch := range []string{"amd64", "arm64"} {
		img, err := remote.Image(tag, remote.WithPlatform(v1.Platform{OS: "linux", Architecture: arch}))
		if err != nil {
			t.Fatal(err)
		}
		local := platformImage(t, idx, arch)
		gd, _ := img.Digest()
		ld, _ := local.Digest()
		if gd != ld {
			t.Errorf("%s: pulled %s, built %s", arch, gd, ld)
		}
		// The layers came across too, not only the manifests.
		if files := flatten(t, img); len(files["usr/local/bin/hello"].body) == 0 {
			t.Errorf("%s: pulled image has no binary", arch)
		}
	}
}

// The Deployments run exactly the images imagebuild makes.
func TestDeploymentsUseTheBuiltImages(t *testing.T) {
	var images []string
	paths, _ := filepath.Glob("../k8s/base/*/deployment.yaml")
	for _, p := range paths {
		raw, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		var d struct {
			Spec struct {
				Template struct {
					Spec struct {
						SecurityContext struct {
							RunAsUser  *int64 `json:"runAsUser"`
							RunAsGroup *int64 `json:"runAsGroup"`
						} `json:"securityContext"`
						Containers []struct {
							Image string `json:"image"`
						} `json:"containers"`
					} `json:"spec"`
				} `json:"template"`
			} `json:"spec"`
		}
		if err := yaml.Unmarshal(raw, &d); err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		sc := d.Spec.Template.Spec.SecurityContext
		if sc.RunAsUser == nil || *sc.RunAsUser != imagebuild.UID {
			t.Errorf("%s: runAsUser is not the image's user %d", p, imagebuild.UID)
		}
		for _, c := range d.Spec.Template.Spec.Containers {
			images = append(images, c.Image)
		}
	}
	var want []string
	for _, s := range imagebuild.Services {
		want = append(want, "ghcr.io/bluestream/bluestream/"+s)
	}
	slices.Sort(images)
	slices.Sort(want)
	if !slices.Equal(images, want) {
		t.Errorf("Deployments run %v; imagebuild makes %v", images, want)
	}
}

type entry struct {
	mode  int64
	uid   int
	mtime time.Time
	body  []byte
}

// flatten reads the image's filesystem as a container runtime would.
func flatten(t *testing.T, img v1.Image) map[string]entry {
	t.Helper()
	rc := mutate.Extract(img)
	defer rc.Close()
	files := map[string]entry{}
	tr := tar.NewReader(rc)
	for {
		h, err := tr.Next()
		if errors.Is(err, io.EOF) {
			return files
		}
		if err != nil {
			t.Fatal(err)
		}
		body, err := io.ReadAll(tr)
		if err != nil {
			t.Fatal(err)
		}
		files[strings.TrimSuffix(h.Name, "/")] = entry{mode: h.Mode, uid: h.Uid, mtime: h.ModTime.UTC(), body: body}
	}
}

func platformImage(t *testing.T, idx v1.ImageIndex, arch string) v1.Image {
	t.Helper()
	im, err := idx.IndexManifest()
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range im.Manifests {
		if d.Platform != nil && d.Platform.Architecture == arch {
			img, err := idx.Image(d.Digest)
			if err != nil {
				t.Fatal(err)
			}
			return img
		}
	}
	t.Fatalf("no %s image in the index", arch)
	return nil
}

func keys(m map[string]entry) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

func discardLogger() *log.Logger { return log.New(io.Discard, "", 0) }
