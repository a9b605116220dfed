// Command schemagen writes the standalone, strict JSON schemas that kubeconform
// uses for the core Kubernetes kinds in deploy/k8s. It reads the Kubernetes
// OpenAPI (swagger v2) bundle that kustomize's kyaml module ships, so it runs
// offline, and inlines every $ref so each kind is one self-contained file named
// the way kubeconform's {{.ResourceKind}}{{.KindSuffix}} template expects.
//
// The bundle describes Kubernetes v1.21; fields added since then that the
// manifests use are added here explicitly (see addNewerFields).
//
//	go run ./cmd/schemagen -bundle "$(go env GOMODCACHE)/sigs.k8s.io/kustomize/kyaml@v0.21.2/openapi/kubernetesapi/data/kubernetes-openapi-union-v1.21.2.bundle-v1.json.gz" -out schemas
package main

import (
	"compress/gzip"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
)

// kinds maps a definition in the bundle to the apiVersion and kind it serves.
var kinds = []struct {
	def, apiVersion, kind string
}{
	{"io.k8s.api.core.v1.ConfigMap", "v1", "ConfigMap"},
	{"io.k8s.api.core.v1.Namespace", "v1", "Namespace"},
	{"io.k8s.api.core.v1.Service", "v1", "Service"},
	{"io.k8s.api.core.v1.ServiceAccount", "v1", "ServiceAccount"},
	{"io.k8s.api.apps.v1.Deployment", "apps/v1", "Deployment"},
	{"io.k8s.api.policy.v1.PodDisruptionBudget", "policy/v1", "PodDisruptionBudget"},
	{"io.k8s.api.networking.v1.NetworkPolicy", "networking.k8s.io/v1", "NetworkPolicy"},
	{"io.k8s.api.networking.v1.Ingress", "networking.k8s.io/v1", "Ingress"},
}

func main() {
	if err := run(); err != nil {
		slog.Error("exiting", "err", err)
		os.Exit(1)
	}
}

func run() error {
	bundle := flag.String("bundle", "", "path to kyaml's kubernetes-openapi bundle (.json.gz)")
	out := flag.String("out", "schemas", "directory to write the schemas to")
	flag.Parse()
	if *bundle == "" {
		return errors.New("-bundle: required")
	}
	defs, err := readDefinitions(*bundle)
	if err != nil {
		return err
	}
	addNewerFields(defs)
	for _, k := range kinds {
		s, err := inline(defs, k.def, nil)
		if err != nil {
			return fmt.Errorf("inlining %s: %w", k.def, err)
		}
		props := s["properties"].(map[string]any)
		props["apiVersion"] = map[string]any{"type": "string", "enum": []any{k.apiVersion}}
		props["kind"] = map[string]any{"type": "string", "enum": []any{k.kind}}
		s["$schema"] = "http://json-schema.org/schema#"
		b, err := json.MarshalIndent(s, "", "  ")
		if err != nil {
			return fmt.Errorf("encoding %s: %w", k.def, err)
		}
		name := filepath.Join(*out, strings.ToLower(k.kind)+kindSuffix(k.apiVersion)+".json")
		if err := os.WriteFile(name, append(b, '\n'), 0o644); err != nil {
			return fmt.Errorf("writing schema: %w", err)
		}
	}
	return nil
}

// kindSuffix mirrors kubeconform's {{.KindSuffix}}: "-v1", "-apps-v1",
// "-networking-v1" (first label of the group, then the version).
func kindSuffix(apiVersion string) string {
	group, version, ok := strings.Cut(apiVersion, "/")
	if !ok {
		return "-" + strings.ToLower(apiVersion)
	}
	first, _, _ := strings.Cut(group, ".")
	return "-" + strings.ToLower(first) + "-" + strings.ToLower(version)
}

func readDefinitions(path string) (map[string]map[string]any, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("opening bundle: %w", err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		return nil, fmt.Errorf("reading bundle: %w", err)
	}
	var doc struct {
		Definitions map[string]map[string]any `json:"definitions"`
	}
	if err := json.NewDecoder(zr).Decode(&doc); err != nil {
		return nil, fmt.Errorf("decoding bundle: %w", err)
	}
	if len(doc.Definitions) == 0 {
		return nil, errors.New("decoding bundle: no definitions")
	}
	return doc.Definitions, nil
}

// addNewerFields adds the fields the manifests use that arrived after
// Kubernetes v1.21: gRPC probes (GA in 1.27) and the PodDisruptionBudget
// unhealthy-pod eviction policy (GA in 1.31).
func addNewerFields(defs map[string]map[string]any) {
	// Quantities are written as strings ("250m") or plain numbers (2).
	defs["io.k8s.apimachinery.pkg.api.resource.Quantity"]["type"] = []any{"string", "number"}
	defs["io.k8s.api.core.v1.GRPCAction"] = map[string]any{
		"type":     "object",
		"required": []any{"port"},
		"properties": map[string]any{
			"port":    map[string]any{"type": "integer", "format": "int32"},
			"service": map[string]any{"type": "string"},
		},
	}
	probe := defs["io.k8s.api.core.v1.Probe"]["properties"].(map[string]any)
	probe["grpc"] = map[string]any{"$ref": "#/definitions/io.k8s.api.core.v1.GRPCAction"}
	pdb := defs["io.k8s.api.policy.v1.PodDisruptionBudgetSpec"]["properties"].(map[string]any)
	pdb["unhealthyPodEvictionPolicy"] = map[string]any{"type": "string", "enum": []any{"IfHealthyBudget", "AlwaysAllow"}}
}

// inline returns a copy of definition name with every $ref replaced by the
// referenced definition, and objects closed to unknown fields (strict mode).
func inline(defs map[string]map[string]any, name string, seen []string) (map[string]any, error) {
	for _, s := range seen {
		if s == name {
			return nil, fmt.Errorf("recursive reference to %s", name)
		}
	}
	def, ok := defs[name]
	if !ok {
		return nil, fmt.Errorf("missing definition %s", name)
	}
	v, err := walk(defs, def, append(seen, name))
	if err != nil {
		return nil, err
	}
	return v.(map[string]any), nil
}

func walk(defs map[string]map[string]any, node any, seen []string) (any, error) {
	switch n := node.(type) {
	case map[string]any:
		if ref, ok := n["$ref"].(string); ok {
			return inline(defs, strings.TrimPrefix(ref, "#/definitions/"), seen)
		}
		out := make(map[string]any, len(n)+1)
		for k, v := range n {
			if strings.HasPrefix(k, "x-kubernetes-") {
				continue
			}
			w, err := walk(defs, v, seen)
			if err != nil {
				return nil, err
			}
			out[k] = w
		}
		switch out["format"] {
		case "int-or-string":
			out["type"] = []any{"string", "integer"}
		}
		if out["type"] == "object" {
			if _, ok := out["properties"]; ok {
				if _, ok := out["additionalProperties"]; !ok {
					out["additionalProperties"] = false
				}
			}
		}
		return out, nil
	case []any:
		out := make([]any, len(n))
		for i, v := range n {
			w, err := walk(defs, v, seen)
			if err != nil {
				return nil, err
			}
			out[i] = w
		}
		return out, nil
	default:
		return node, nil
	}
}
