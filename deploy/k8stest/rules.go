package k8stest

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
)

// Cluster says what one overlay must deploy and where.
type Cluster struct {
	Cloud    string   // "azure" or "aws": names the cluster's Kafka and its CA Secret
	Region   string   // the only region the overlay may name
	Services []string // every service the overlay deploys
	// Partitions bounds the replicas of lag-scaled services: more consumers
	// than partitions would sit idle.
	Partitions int
}

// RegionLabel is the label every rendered resource carries.
const RegionLabel = "bluestream.io/region"

// GermanRegions are the regions bluestream may run in: Azure Germany West
// Central and AWS Europe (Frankfurt).
var GermanRegions = []string{"germanywestcentral", "eu-central-1"}

// lagScaled are the services scaled on consumer lag by KEDA.
var lagScaled = []string{"transformer", "enricher", "analyzer"}

// Check returns every rule the rendered objects break, one message each.
func Check(c Cluster, objs []Object) []string {
	var errs []string
	fail := func(format string, args ...any) { errs = append(errs, fmt.Sprintf(format, args...)) }

	byKind := map[string]map[string]Object{}
	for _, o := range objs {
		if byKind[o.Kind()] == nil {
			byKind[o.Kind()] = map[string]Object{}
		}
		byKind[o.Kind()][o.Name()] = o
	}
	for _, msg := range checkRegions(c, objs) {
		fail("%s", msg)
	}
	for _, svc := range c.Services {
		dep, ok := byKind["Deployment"][svc]
		if !ok {
			fail("%s: no Deployment", svc)
		} else {
			for _, msg := range checkPodTemplate(c, get(dep, "spec", "template")) {
				fail("%s: %s", dep.ID(), msg)
			}
		}
		podLabels := map[string]any{"app.kubernetes.io/name": svc, "app.kubernetes.io/part-of": "bluestream"}
		if !hasSelecting(byKind["PodDisruptionBudget"], podLabels, "spec", "selector", "matchLabels") {
			fail("%s: no PodDisruptionBudget selects its pods", svc)
		}
		np, ok := findSelecting(byKind["NetworkPolicy"], podLabels, "spec", "podSelector", "matchLabels")
		if !ok {
			fail("%s: no NetworkPolicy selects its pods", svc)
		} else {
			types := get(np, "spec", "policyTypes")
			if !containsAll(types, "Ingress", "Egress") {
				fail("%s: must restrict both Ingress and Egress", np.ID())
			}
			for _, msg := range checkIngressPorts(np, byKind["Deployment"][svc]) {
				fail("%s: %s", np.ID(), msg)
			}
		}
		ro, ok := byKind["Rollout"][svc]
		if !ok {
			fail("%s: no Rollout", svc)
		} else {
			for _, msg := range checkRollout(ro, byKind["AnalysisTemplate"], byKind["Deployment"]) {
				fail("%s: %s", ro.ID(), msg)
			}
		}
		if slices.Contains(lagScaled, svc) {
			for _, msg := range checkScaledObject(c, svc, byKind["ScaledObject"][svc], byKind["TriggerAuthentication"]) {
				fail("ScaledObject/%s: %s", svc, msg)
			}
		}
		brokers := []string{"BLUESTREAM_KAFKA_BROKERS"}
		if svc == "mirror-health" { // watches both clusters
			brokers = []string{"BLUESTREAM_SOURCE_KAFKA_BROKERS", "BLUESTREAM_TARGET_KAFKA_BROKERS"}
		}
		for _, key := range brokers {
			if !hasConfig(byKind["ConfigMap"], svc, key) {
				fail("%s: no ConfigMap sets %s", svc, key)
			}
		}
	}
	return errs
}

func checkPodTemplate(c Cluster, tmpl any) []string {
	var errs []string
	spec := get(tmpl, "spec")
	if spec == nil {
		return []string{"no pod template"}
	}
	if get(spec, "securityContext", "runAsNonRoot") != true {
		errs = append(errs, "pod must set securityContext.runAsNonRoot")
	}
	terms, _ := get(spec, "affinity", "nodeAffinity", "requiredDuringSchedulingIgnoredDuringExecution", "nodeSelectorTerms").([]any)
	pinned := len(terms) > 0
	for _, t := range terms {
		exprs, _ := get(t, "matchExpressions").([]any)
		ok := false
		for _, e := range exprs {
			if get(e, "key") == "topology.kubernetes.io/region" && get(e, "operator") == "In" &&
				equalStrings(get(e, "values"), c.Region) {
				ok = true
			}
		}
		pinned = pinned && ok
	}
	if !pinned {
		errs = append(errs, fmt.Sprintf("pods must require node affinity topology.kubernetes.io/region In [%s]", c.Region))
	}
	volumes, _ := get(spec, "volumes").([]any)
	for _, v := range volumes {
		if get(v, "name") == "kafka-ca" {
			if want := "bluestream-" + c.Cloud + "-cluster-ca-cert"; get(v, "secret", "secretName") != want {
				errs = append(errs, fmt.Sprintf("volume kafka-ca must mount %s, got %v", want, get(v, "secret", "secretName")))
			}
		}
	}
	containers, _ := get(spec, "containers").([]any)
	if len(containers) == 0 {
		return append(errs, "no containers")
	}
	for _, ctr := range containers {
		name, _ := get(ctr, "name").(string)
		for _, probe := range []string{"startupProbe", "readinessProbe", "livenessProbe"} {
			if get(ctr, probe, "grpc", "port") == nil {
				errs = append(errs, fmt.Sprintf("container %s: %s must use the gRPC health check", name, probe))
			}
		}
		for _, res := range []string{"requests", "limits"} {
			for _, r := range []string{"cpu", "memory"} {
				if get(ctr, "resources", res, r) == nil {
					errs = append(errs, fmt.Sprintf("container %s: no resources.%s.%s", name, res, r))
				}
			}
		}
		if get(ctr, "securityContext", "readOnlyRootFilesystem") != true {
			errs = append(errs, fmt.Sprintf("container %s: root filesystem must be read-only", name))
		}
		if get(ctr, "securityContext", "allowPrivilegeEscalation") != false {
			errs = append(errs, fmt.Sprintf("container %s: must forbid privilege escalation", name))
		}
	}
	return errs
}

func checkRollout(ro Object, templates, deployments map[string]Object) []string {
	var errs []string
	if ref := get(ro, "spec", "workloadRef"); ref != nil {
		name, _ := get(ref, "name").(string)
		if get(ref, "kind") != "Deployment" || deployments[name] == nil {
			errs = append(errs, fmt.Sprintf("workloadRef must name a rendered Deployment, got %v", ref))
		}
	} else if get(ro, "spec", "template") == nil {
		errs = append(errs, "neither template nor workloadRef")
	}
	steps, _ := get(ro, "spec", "strategy", "canary", "steps").([]any)
	analyses := 0
	for i, s := range steps {
		a := get(s, "analysis")
		if a == nil {
			continue
		}
		analyses++
		if !passesCanaryHash(get(a, "args")) {
			errs = append(errs, fmt.Sprintf("step %d: analysis must get canary-hash from podTemplateHashValue Latest", i))
		}
		refs, _ := get(a, "templates").([]any)
		if len(refs) == 0 {
			errs = append(errs, fmt.Sprintf("step %d: analysis without templates", i))
		}
		for _, r := range refs {
			name, _ := get(r, "templateName").(string)
			if templates[name] == nil {
				errs = append(errs, fmt.Sprintf("step %d: AnalysisTemplate %q is not rendered", i, name))
				continue
			}
			for _, msg := range checkAnalysisTemplate(templates[name]) {
				errs = append(errs, fmt.Sprintf("step %d: %s", i, msg))
			}
		}
	}
	if analyses == 0 {
		errs = append(errs, "canary has no analysis step")
	}
	return errs
}

func checkScaledObject(c Cluster, svc string, so Object, auths map[string]Object) []string {
	if so == nil {
		return []string{"missing: " + svc + " must scale on consumer lag"}
	}
	var errs []string
	if get(so, "spec", "scaleTargetRef", "kind") != "Rollout" || get(so, "spec", "scaleTargetRef", "name") != svc {
		errs = append(errs, "must scale the Rollout "+svc)
	}
	if max, _ := get(so, "spec", "maxReplicaCount").(float64); max < 1 || int(max) > c.Partitions {
		errs = append(errs, fmt.Sprintf("maxReplicaCount %v must be between 1 and the partition count %d", max, c.Partitions))
	}
	triggers, _ := get(so, "spec", "triggers").([]any)
	kafka := false
	for _, t := range triggers {
		if get(t, "type") == "kafka" {
			kafka = true
			if ref, _ := get(t, "authenticationRef", "name").(string); ref == "" || auths[ref] == nil {
				errs = append(errs, fmt.Sprintf("kafka trigger must authenticate with a rendered TriggerAuthentication, got %q", ref))
			}
			if get(t, "metadata", "allowIdleConsumers") == "true" {
				errs = append(errs, "allowIdleConsumers would scale past the partition count")
			}
		}
	}
	if !kafka {
		errs = append(errs, "no kafka trigger")
	}
	return errs
}

// regionLike matches the region and zone names of the public clouds: AWS
// ("us-east-1", "eu-central-1a"), GCP ("europe-west3"), and Azure's names.
var (
	awsRegion   = regexp.MustCompile(`\b(?:us|eu|ap|sa|ca|me|af|il|mx|cn|us-gov)-(?:north|south|east|west|central|northeast|northwest|southeast|southwest)-\d+[a-z]?\b`)
	gcpRegion   = regexp.MustCompile(`\b(?:europe|us|asia|australia|northamerica|southamerica|me|africa)-(?:north|south|east|west|central|northeast|southeast|southwest)\d+(?:-[a-z])?\b`)
	azureRegion = regexp.MustCompile(`(?i)\b(?:(?:east|west|north|south|central|northcentral|southcentral|westcentral)(?:us|us2|us3|europe|asia|india|japan)|(?:uk|france|germany|switzerland|norway|sweden|poland|italy|spain|israel|qatar|uae|australia|brazil|canada|japan|korea|southafrica)(?:north|south|east|west|central|westcentral|northeast|southeast)\d?)\b`)
)

// germanName reports whether a region or zone name is in Germany.
func germanName(s string) bool {
	s = strings.ToLower(s)
	return s == "germanywestcentral" || s == "eu-central-1" || regexp.MustCompile(`^eu-central-1[a-c]$`).MatchString(s) ||
		regexp.MustCompile(`^germanywestcentral-[1-3]$`).MatchString(s) || s == "europe-west3"
}

// checkRegions fails any resource that is not labelled with the cluster's
// German region, and any region or zone name anywhere in the render that is
// not German.
func checkRegions(c Cluster, objs []Object) []string {
	var errs []string
	if !germanName(c.Region) {
		errs = append(errs, fmt.Sprintf("cluster region %q is not in Germany", c.Region))
	}
	for _, o := range objs {
		if got := o.Labels()[RegionLabel]; got != c.Region {
			errs = append(errs, fmt.Sprintf("%s: label %s is %v, want %s", o.ID(), RegionLabel, got, c.Region))
		}
		walkStrings(map[string]any(o), func(path, s string) {
			for _, re := range []*regexp.Regexp{awsRegion, gcpRegion, azureRegion} {
				for _, m := range re.FindAllString(s, -1) {
					if !germanName(m) {
						errs = append(errs, fmt.Sprintf("%s: %s names region %q outside Germany", o.ID(), path, m))
					}
				}
			}
		})
	}
	return errs
}

func walkStrings(v any, fn func(path, s string)) {
	var walk func(path string, v any)
	walk = func(path string, v any) {
		switch x := v.(type) {
		case map[string]any:
			for k, e := range x {
				fn(path+"/"+k+" (key)", k)
				walk(path+"/"+k, e)
			}
		case []any:
			for i, e := range x {
				walk(fmt.Sprintf("%s/%d", path, i), e)
			}
		case string:
			fn(path, x)
		}
	}
	walk("", v)
}

func findSelecting(objs map[string]Object, podLabels map[string]any, path ...any) (Object, bool) {
	for _, o := range objs {
		sel, _ := get(o, path...).(map[string]any)
		if len(sel) == 0 {
			continue
		}
		match := true
		for k, v := range sel {
			if podLabels[k] != v {
				match = false
			}
		}
		if match {
			return o, true
		}
	}
	return nil, false
}

func hasSelecting(objs map[string]Object, podLabels map[string]any, path ...any) bool {
	_, ok := findSelecting(objs, podLabels, path...)
	return ok
}

func containsAll(v any, want ...string) bool {
	list, _ := v.([]any)
	for _, w := range want {
		if !slices.Contains(list, any(w)) {
			return false
		}
	}
	return true
}

func equalStrings(v any, want ...string) bool {
	list, _ := v.([]any)
	if len(list) != len(want) {
		return false
	}
	for i, w := range want {
		if list[i] != w {
			return false
		}
	}
	return true
}

// checkIngressPorts allows ingress only on ports the service's container
// declares: "only the ports each service needs".
func checkIngressPorts(np, dep Object) []string {
	declared := map[any]bool{}
	containers, _ := get(dep, "spec", "template", "spec", "containers").([]any)
	for _, ctr := range containers {
		ports, _ := get(ctr, "ports").([]any)
		for _, p := range ports {
			declared[get(p, "containerPort")] = true
			declared[get(p, "name")] = true
		}
	}
	var errs []string
	rules, _ := get(np, "spec", "ingress").([]any)
	for i, r := range rules {
		ports, _ := get(r, "ports").([]any)
		if len(ports) == 0 {
			errs = append(errs, fmt.Sprintf("ingress rule %d allows every port", i))
		}
		for _, p := range ports {
			if port := get(p, "port"); !declared[port] {
				errs = append(errs, fmt.Sprintf("ingress rule %d opens port %v that no container declares", i, port))
			}
		}
	}
	return errs
}

// hasConfig reports whether the service's generated ConfigMap (name-hash)
// sets key.
func hasConfig(cms map[string]Object, svc, key string) bool {
	for name, cm := range cms {
		if strings.HasPrefix(name, svc+"-") && get(cm, "data", key) != nil {
			return true
		}
	}
	return false
}

func passesCanaryHash(args any) bool {
	list, _ := args.([]any)
	for _, a := range list {
		if get(a, "name") == "canary-hash" && get(a, "valueFrom", "podTemplateHashValue") == "Latest" {
			return true
		}
	}
	return false
}

// checkAnalysisTemplate requires every metric to query Prometheus for the
// canary's pods only, so a healthy stable version cannot hide a bad canary.
func checkAnalysisTemplate(at Object) []string {
	var errs []string
	metrics, _ := get(at, "spec", "metrics").([]any)
	if len(metrics) == 0 {
		return []string{at.ID() + ": no metrics"}
	}
	for _, m := range metrics {
		q, _ := get(m, "provider", "prometheus", "query").(string)
		if !strings.Contains(q, `rollouts_pod_template_hash="{{args.canary-hash}}"`) {
			errs = append(errs, fmt.Sprintf("%s: metric %v must select the canary's pods", at.ID(), get(m, "name")))
		}
		if get(m, "successCondition") == nil && get(m, "failureCondition") == nil {
			errs = append(errs, fmt.Sprintf("%s: metric %v has no condition", at.ID(), get(m, "name")))
		}
	}
	return errs
}
