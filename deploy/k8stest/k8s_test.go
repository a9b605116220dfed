package k8stest

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

var clusters = map[string]Cluster{
	"azure-germanywestcentral": {
		Cloud:      "azure",
		Region:     "germanywestcentral",
		Services:   []string{"ble-ingest", "transformer", "enricher", "mirror-health"},
		Partitions: 12,
	},
	"aws-eu-central-1": {
		Cloud:      "aws",
		Region:     "eu-central-1",
		Services:   []string{"analyzer", "mirror-health"},
		Partitions: 12,
	},
}

// render builds an overlay, skipping when kustomize is not installed unless
// BLUESTREAM_REQUIRE_TOOLS is set (deploy/check.sh sets it).
func render(t *testing.T, overlay string) []Object {
	t.Helper()
	k, err := Kustomize()
	if err != nil {
		if os.Getenv("BLUESTREAM_REQUIRE_TOOLS") != "" {
			t.Fatal(err)
		}
		t.Skipf("skipping: %v (deploy/check.sh installs it)", err)
	}
	objs, err := Render(k, filepath.Join("..", "k8s", "overlays", overlay))
	if err != nil {
		t.Fatal(err)
	}
	if len(objs) == 0 {
		t.Fatalf("%s rendered no objects", overlay)
	}
	return objs
}

func TestOverlaysKeepTheRules(t *testing.T) {
	t.Parallel()
	for overlay, c := range clusters {
		t.Run(strings.ReplaceAll(overlay, "-", "_"), func(t *testing.T) {
			t.Parallel()
			for _, msg := range Check(c, render(t, overlay)) {
				t.Error(msg)
			}
		})
	}
}

// TestOverlayDirectoriesAreAllChecked fails when an overlay is added without
// saying here what it must deploy.
func TestOverlayDirectoriesAreAllChecked(t *testing.T) {
	t.Parallel()
	entries, err := os.ReadDir(filepath.Join("..", "k8s", "overlays"))
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if _, ok := clusters[e.Name()]; e.IsDir() && !ok {
			t.Errorf("overlay %s is not in the clusters table", e.Name())
		}
	}
}

// TestCheckCatchesViolations breaks a correct render in one way at a time and
// expects Check to say so: the rules above can fail.
func TestCheckCatchesViolations(t *testing.T) {
	t.Parallel()
	c := clusters["azure-germanywestcentral"]
	tests := []struct {
		name   string
		break_ func(objs []Object) []Object
		want   string
	}{
		{"missing_readiness_probe", func(objs []Object) []Object {
			ctr := get(find(objs, "Deployment", "enricher"), "spec", "template", "spec", "containers", 0).(map[string]any)
			delete(ctr, "readinessProbe")
			return objs
		}, "readinessProbe must use the gRPC health check"},
		{"missing_memory_limit", func(objs []Object) []Object {
			lim := get(find(objs, "Deployment", "transformer"), "spec", "template", "spec", "containers", 0, "resources", "limits").(map[string]any)
			delete(lim, "memory")
			return objs
		}, "no resources.limits.memory"},
		{"missing_pdb", func(objs []Object) []Object {
			return without(objs, "PodDisruptionBudget", "ble-ingest")
		}, "ble-ingest: no PodDisruptionBudget"},
		{"missing_network_policy", func(objs []Object) []Object {
			return without(objs, "NetworkPolicy", "mirror-health")
		}, "mirror-health: no NetworkPolicy"},
		{"rollout_without_analysis", func(objs []Object) []Object {
			canary := get(find(objs, "Rollout", "enricher"), "spec", "strategy", "canary").(map[string]any)
			canary["steps"] = []any{map[string]any{"setWeight": float64(100)}}
			return objs
		}, "canary has no analysis step"},
		{"analysis_over_all_pods", func(objs []Object) []Object {
			prom := get(find(objs, "AnalysisTemplate", "bluestream-dlq-rate"), "spec", "metrics", 0, "provider", "prometheus").(map[string]any)
			prom["query"] = "sum(rate(bluestream_pipeline_records_dlq_total[2m]))"
			return objs
		}, "must select the canary's pods"},
		{"missing_rollout", func(objs []Object) []Object {
			return without(objs, "Rollout", "transformer")
		}, "transformer: no Rollout"},
		{"scaling_past_partitions", func(objs []Object) []Object {
			find(objs, "ScaledObject", "transformer")["spec"].(map[string]any)["maxReplicaCount"] = float64(48)
			return objs
		}, "partition count"},
		{"foreign_region_label", func(objs []Object) []Object {
			find(objs, "Service", "enricher").Labels()[RegionLabel] = "westeurope"
			return objs
		}, "Service/enricher: label bluestream.io/region is westeurope"},
		{"foreign_region_anywhere", func(objs []Object) []Object {
			cm := find(objs, "ConfigMap", "")
			cm["data"].(map[string]any)["BLUESTREAM_KAFKA_BROKERS"] = "b-1.kafka.us-east-1.amazonaws.com:9096"
			return objs
		}, `names region "us-east-1" outside Germany`},
		{"foreign_azure_region_anywhere", func(objs []Object) []Object {
			find(objs, "Rollout", "enricher")["metadata"].(map[string]any)["annotations"] = map[string]any{"note": "failover to northeurope"}
			return objs
		}, `names region "northeurope" outside Germany`},
		{"extra_ingress_port", func(objs []Object) []Object {
			rule := get(find(objs, "NetworkPolicy", "transformer"), "spec", "ingress", 0).(map[string]any)
			rule["ports"] = append(rule["ports"].([]any), map[string]any{"port": float64(9090), "protocol": "TCP"})
			return objs
		}, "opens port 9090"},
		{"ingress_on_every_port", func(objs []Object) []Object {
			delete(get(find(objs, "NetworkPolicy", "enricher"), "spec", "ingress", 0).(map[string]any), "ports")
			return objs
		}, "allows every port"},
		{"missing_trigger_authentication", func(objs []Object) []Object {
			return without(objs, "TriggerAuthentication", "enricher-kafka")
		}, "must authenticate with a rendered TriggerAuthentication"},
		{"missing_brokers", func(objs []Object) []Object {
			delete(find(objs, "ConfigMap", "ble-ingest-")["data"].(map[string]any), "BLUESTREAM_KAFKA_BROKERS")
			return objs
		}, "ble-ingest: no ConfigMap sets BLUESTREAM_KAFKA_BROKERS"},
		{"wrong_kafka_ca", func(objs []Object) []Object {
			vol := get(find(objs, "Deployment", "transformer"), "spec", "template", "spec", "volumes", 1).(map[string]any)
			vol["secret"].(map[string]any)["secretName"] = "bluestream-aws-cluster-ca-cert"
			return objs
		}, "volume kafka-ca must mount bluestream-azure-cluster-ca-cert"},
		{"unpinned_pods", func(objs []Object) []Object {
			delete(get(find(objs, "Deployment", "ble-ingest"), "spec", "template", "spec").(map[string]any), "affinity")
			return objs
		}, "Deployment/ble-ingest: pods must require node affinity"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			objs := render(t, "azure-germanywestcentral")
			if errs := Check(c, objs); len(errs) != 0 {
				t.Fatalf("render is not clean before breaking it: %v", errs)
			}
			errs := Check(c, tt.break_(objs))
			for _, e := range errs {
				if strings.Contains(e, tt.want) {
					return
				}
			}
			t.Errorf("Check did not report %q; got %v", tt.want, errs)
		})
	}
}

// find returns the first object of kind whose name starts with name
// (generated ConfigMaps carry a hash suffix).
func find(objs []Object, kind, name string) Object {
	for _, o := range objs {
		if o.Kind() == kind && strings.HasPrefix(o.Name(), name) {
			return o
		}
	}
	panic("no " + kind + "/" + name)
}

func without(objs []Object, kind, name string) []Object {
	var out []Object
	for _, o := range objs {
		if o.Kind() != kind || o.Name() != name {
			out = append(out, o)
		}
	}
	return out
}

func TestGermanName(t *testing.T) {
	t.Parallel()
	for _, s := range []string{"germanywestcentral", "eu-central-1", "eu-central-1b", "germanywestcentral-2"} {
		if !germanName(s) {
			t.Errorf("germanName(%q) = false, want true", s)
		}
	}
	for _, s := range []string{"westeurope", "eu-west-1", "eu-central-2", "germanynorth", "us-east-1"} {
		if germanName(s) {
			t.Errorf("germanName(%q) = true, want false", s)
		}
	}
}

// mirrored is the allow-list: pseudonymised topics only.
var mirrored = []string{"ble.enriched.v1"}

// neverMirrored hold personal data (raw addresses, decoded readings, registry
// events) or are not meant for the mirror cluster.
var neverMirrored = []string{
	"ble.advertisements.v1", "ble.readings.v1", "registry.events.v1",
	"ble.advertisements.v1.dlq", "ble.readings.v1.dlq", "ble.enriched.v2x", "bleXenriched.v1", "analyzer.alerts.v1",
}

// allowed applies an include and an exclude pattern the way MirrorMaker 2
// does: whole-name matches, exclusion wins.
func allowed(include, exclude *regexp.Regexp, topic string) bool {
	return include.MatchString(topic) && (exclude == nil || !exclude.MatchString(topic))
}

func whole(alternatives ...string) *regexp.Regexp {
	return regexp.MustCompile("^(?:" + strings.Join(alternatives, "|") + ")$")
}

// TestMirrorAllowListsAgree checks the three places the allow-list lives: the
// Strimzi KafkaMirrorMaker2, the dedicated-mode properties, and mirror-health's
// compliance settings in both overlays.
func TestMirrorAllowListsAgree(t *testing.T) {
	t.Parallel()
	objs := render(t, "aws-eu-central-1")
	mirrors, _ := get(find(objs, "KafkaMirrorMaker2", ""), "spec", "mirrors").([]any)
	var forward any
	for _, m := range mirrors {
		switch src, dst := get(m, "sourceCluster"), get(m, "targetCluster"); {
		case src == "azure" && dst == "aws":
			forward = m
		case get(m, "sourceConnector") != nil:
			t.Errorf("mirror %v -> %v copies topics; only azure -> aws may", src, dst)
		}
	}
	if forward == nil {
		t.Fatal("no azure -> aws mirror")
	}
	strimziIn := whole(get(forward, "topicsPattern").(string))
	var strimziEx *regexp.Regexp
	if ex, ok := get(forward, "topicsExcludePattern").(string); ok {
		strimziEx = whole(ex)
	}

	props := readProperties(t, filepath.Join("..", "mirrormaker2", "connect-mirror-maker.properties"))
	if props["azure->aws.enabled"] != "true" || props["aws->azure.enabled"] != "false" {
		t.Errorf("properties must copy azure -> aws only")
	}
	propsIn := whole(splitList(props["azure->aws.topics"])...)
	var propsEx *regexp.Regexp
	if ex := props["azure->aws.topics.exclude"]; ex != "" {
		propsEx = whole(splitList(ex)...)
	}

	for _, overlay := range []string{"aws-eu-central-1", "azure-germanywestcentral"} {
		cm := find(render(t, overlay), "ConfigMap", "mirror-health")
		allow, _ := get(cm, "data", "BLUESTREAM_ALLOW_LIST").(string)
		watched, _ := get(cm, "data", "BLUESTREAM_TOPICS").(string)
		healthIn := whole(splitList(allow)...)
		for _, topic := range mirrored {
			if !allowed(healthIn, nil, topic) {
				t.Errorf("%s: mirror-health would flag mirrored topic %s as a violation", overlay, topic)
			}
			if !slices.Contains(splitList(watched), topic) {
				t.Errorf("%s: mirror-health does not watch %s (BLUESTREAM_TOPICS=%q)", overlay, topic, watched)
			}
		}
		for _, topic := range neverMirrored {
			if allowed(healthIn, nil, topic) {
				t.Errorf("%s: mirror-health would accept %s on the mirror", overlay, topic)
			}
		}
	}
	for _, topic := range mirrored {
		if !allowed(strimziIn, strimziEx, topic) || !allowed(propsIn, propsEx, topic) {
			t.Errorf("%s must be mirrored by both the Strimzi resource and the properties", topic)
		}
	}
	for _, topic := range neverMirrored {
		if allowed(strimziIn, strimziEx, topic) {
			t.Errorf("Strimzi KafkaMirrorMaker2 would mirror %s", topic)
		}
		if allowed(propsIn, propsEx, topic) {
			t.Errorf("connect-mirror-maker.properties would mirror %s", topic)
		}
	}
}

func splitList(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// readProperties reads a Java properties file: "key = value" lines, # and !
// comments, and backslash escapes ("\\." is a regex "\.").
func readProperties(t *testing.T, path string) map[string]string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	props := map[string]string{}
	for _, line := range strings.Split(string(b), "\n") {
		line = strings.TrimSpace(line)
		if line == "" || line[0] == '#' || line[0] == '!' {
			continue
		}
		k, v, ok := strings.Cut(line, "=")
		if !ok {
			t.Fatalf("%s: not a property: %q", path, line)
		}
		props[strings.TrimSpace(k)] = unescape(strings.TrimSpace(v))
	}
	return props
}

func unescape(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+1 < len(s) {
			i++
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

func TestUnescape(t *testing.T) {
	t.Parallel()
	if got, want := unescape(`ble\\.enriched\\.v1`), `ble\.enriched\.v1`; got != want {
		t.Errorf("unescape = %q, want %q", got, want)
	}
}
