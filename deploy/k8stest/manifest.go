package k8stest

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"sigs.k8s.io/yaml"
)

// Object is one rendered Kubernetes resource as generic JSON.
type Object map[string]any

// Kind returns the object's kind.
func (o Object) Kind() string { s, _ := o["kind"].(string); return s }

// Name returns metadata.name.
func (o Object) Name() string { s, _ := get(o, "metadata", "name").(string); return s }

// Labels returns metadata.labels.
func (o Object) Labels() map[string]any {
	m, _ := get(o, "metadata", "labels").(map[string]any)
	return m
}

// ID names the object in messages, e.g. "Deployment/enricher".
func (o Object) ID() string { return o.Kind() + "/" + o.Name() }

// get walks nested maps and slices; path elements are map keys or slice indexes.
func get(v any, path ...any) any {
	if o, ok := v.(Object); ok {
		v = map[string]any(o)
	}
	for _, p := range path {
		switch k := p.(type) {
		case string:
			m, ok := v.(map[string]any)
			if !ok {
				return nil
			}
			v = m[k]
		case int:
			s, ok := v.([]any)
			if !ok || k >= len(s) {
				return nil
			}
			v = s[k]
		}
	}
	return v
}

// Parse splits a multi-document YAML stream into objects.
func Parse(stream []byte) ([]Object, error) {
	var objs []Object
	for i, doc := range bytes.Split(stream, []byte("\n---\n")) {
		if len(bytes.TrimSpace(doc)) == 0 {
			continue
		}
		var o Object
		if err := yaml.Unmarshal(doc, &o); err != nil {
			return nil, fmt.Errorf("parsing document %d: %w", i, err)
		}
		if o != nil {
			objs = append(objs, o)
		}
	}
	return objs, nil
}

// Kustomize finds the kustomize binary: $KUSTOMIZE, then PATH, then the cache
// that deploy/tools.sh fills.
func Kustomize() (string, error) {
	if p := os.Getenv("KUSTOMIZE"); p != "" {
		return p, nil
	}
	if p, err := exec.LookPath("kustomize"); err == nil {
		return p, nil
	}
	dir := os.Getenv("BLUESTREAM_TOOLS_DIR")
	if dir == "" {
		home, err := os.UserHomeDir()
		if err != nil {
			return "", fmt.Errorf("finding kustomize: %w", err)
		}
		dir = filepath.Join(home, ".cache", "bluestream", "tools")
	}
	p := filepath.Join(dir, "bin", "kustomize")
	if _, err := os.Stat(p); err != nil {
		return "", errors.New("kustomize not found: run deploy/tools.sh kustomize or set KUSTOMIZE")
	}
	return p, nil
}

// Render runs `kustomize build dir` and parses the output.
func Render(kustomize, dir string) ([]Object, error) {
	var stderr bytes.Buffer
	cmd := exec.Command(kustomize, "build", dir)
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("rendering %s: %w: %s", dir, err, strings.TrimSpace(stderr.String()))
	}
	return Parse(out)
}
