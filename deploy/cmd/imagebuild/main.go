// Command imagebuild builds the services' container images without a
// container engine (see package imagebuild) into OCI layouts, one per
// service under -out, and with -push uploads each multi-arch index to
// <registry>/<service>:<tag> with the docker config's credentials.
//
//	go run ./cmd/imagebuild -root .. -version 1.4.0 [-push -registry ghcr.io/bluestream/bluestream] [service...]
//
// `make images` runs it from the repository root.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"

	v1 "github.com/google/go-containerregistry/pkg/v1"

	"github.com/bluestream/bluestream/deploy/imagebuild"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	if errors.Is(err, flag.ErrHelp) {
		return
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "imagebuild:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("imagebuild", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintf(stderr, "usage: imagebuild [flags] [service...]\nservices: %s (default all)\n", strings.Join(imagebuild.Services, " "))
		fs.PrintDefaults()
	}
	root := fs.String("root", "", "repository root, holding go.work (default: the nearest above the working directory)")
	out := fs.String("out", "", "directory for the OCI layouts, one per service (default <root>/dist/images)")
	platforms := fs.String("platforms", "linux/amd64,linux/arm64", "platforms of each image index")
	version := fs.String("version", "", "release version: stamped into the binaries, labelled and the default tag")
	revision := fs.String("revision", "", "source commit, labelled")
	source := fs.String("source", "https://github.com/bluestream/bluestream", "source repository URL, labelled")
	created := fs.String("created", os.Getenv("SOURCE_DATE_EPOCH"), "image and file date, Unix seconds or RFC 3339 (default $SOURCE_DATE_EPOCH, else 1970-01-01)")
	push := fs.Bool("push", false, "push each index to <registry>/<service>:<tag>")
	registry := fs.String("registry", "ghcr.io/bluestream/bluestream", "registry and repository prefix pushed to")
	tag := fs.String("tag", "", "tag pushed and written into the layouts (default -version)")
	insecure := fs.Bool("insecure-registry", false, "allow a registry over plain HTTP")
	if err := fs.Parse(args); err != nil {
		return err
	}

	services := fs.Args()
	if len(services) == 0 {
		services = imagebuild.Services
	}
	for _, s := range services {
		if !slices.Contains(imagebuild.Services, s) {
			return fmt.Errorf("unknown service %q; known: %s", s, strings.Join(imagebuild.Services, " "))
		}
	}
	plats, err := parsePlatforms(*platforms)
	if err != nil {
		return err
	}
	when, err := parseCreated(*created)
	if err != nil {
		return err
	}
	if *tag == "" {
		*tag = *version
	}
	if *push && *tag == "" {
		return errors.New("-push needs -tag or -version")
	}
	if *root == "" {
		if *root, err = findRoot(); err != nil {
			return err
		}
	}
	if *out == "" {
		*out = filepath.Join(*root, "dist", "images")
	}

	for _, svc := range services {
		spec := imagebuild.ServiceSpec(*root, svc)
		spec.Platforms, spec.Version, spec.Revision, spec.Source, spec.Created, spec.Stderr = plats, *version, *revision, *source, when, stderr
		start := time.Now()
		idx, err := imagebuild.Build(ctx, spec)
		if err != nil {
			return err
		}
		dir := filepath.Join(*out, svc)
		if err := imagebuild.WriteLayout(dir, idx, *tag); err != nil {
			return err
		}
		if err := describe(stdout, svc, dir, idx, time.Since(start)); err != nil {
			return err
		}
		if *push {
			ref := strings.TrimSuffix(*registry, "/") + "/" + svc + ":" + *tag
			d, err := imagebuild.Push(ctx, idx, ref, imagebuild.PushOptions{Insecure: *insecure})
			if err != nil {
				return err
			}
			fmt.Fprintf(stdout, "  pushed %s (%s)\n", ref, d)
		}
	}
	return nil
}

// describe prints what a person checks after a build: the index digest and
// each platform's manifest digest and compressed size.
func describe(w io.Writer, svc, dir string, idx v1.ImageIndex, took time.Duration) error {
	d, err := idx.Digest()
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "%s: %s in %s (%s)\n", svc, d, dir, took.Round(100*time.Millisecond))
	m, err := idx.IndexManifest()
	if err != nil {
		return err
	}
	for _, desc := range m.Manifests {
		img, err := idx.Image(desc.Digest)
		if err != nil {
			return err
		}
		layers, err := img.Layers()
		if err != nil {
			return err
		}
		var size int64
		for _, l := range layers {
			n, err := l.Size()
			if err != nil {
				return err
			}
			size += n
		}
		fmt.Fprintf(w, "  %s/%s %s %.1f MiB compressed\n", desc.Platform.OS, desc.Platform.Architecture, desc.Digest, float64(size)/(1<<20))
	}
	return nil
}

func parsePlatforms(s string) ([]v1.Platform, error) {
	var out []v1.Platform
	for _, item := range strings.Split(s, ",") {
		p, err := v1.ParsePlatform(strings.TrimSpace(item))
		if err != nil || p.OS == "" || p.Architecture == "" {
			return nil, fmt.Errorf("-platforms: %q is not os/arch[/variant]", item)
		}
		out = append(out, *p)
	}
	return out, nil
}

func parseCreated(s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	if secs, err := strconv.ParseInt(s, 10, 64); err == nil {
		return time.Unix(secs, 0).UTC(), nil
	}
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("-created: want Unix seconds or RFC 3339, got %q", s)
	}
	return t.UTC(), nil
}

// findRoot is the nearest directory above the working one holding go.work.
func findRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.work")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("no go.work above the working directory: pass -root")
		}
		dir = parent
	}
}
