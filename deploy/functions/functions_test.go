package functions

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"sigs.k8s.io/yaml"
)

// samEvent is one entry of a function's Events in the SAM template.
type samEvent struct {
	Type       string
	Properties struct {
		Topics                []string
		FunctionResponseTypes []string
		Schedule              string
		DestinationConfig     struct{ OnFailure struct{ Destination string } }
	}
}

func samEvents(t *testing.T) map[string]map[string]samEvent {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "aws", "template.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var tpl struct {
		Resources map[string]struct {
			Type       string
			Properties struct{ Events map[string]samEvent }
		}
	}
	if err := yaml.Unmarshal(b, &tpl); err != nil {
		t.Fatal(err)
	}
	out := map[string]map[string]samEvent{}
	for name, r := range tpl.Resources {
		if r.Type == "AWS::Serverless::Function" {
			out[name] = r.Properties.Events
		}
	}
	return out
}

func TestSAMTemplate(t *testing.T) {
	t.Parallel()
	fns := samEvents(t)
	for fn, topic := range map[string]string{"Transformer": "ble.advertisements.v1", "Analyzer": "azure.ble.enriched.v1"} {
		var msk []samEvent
		for _, ev := range fns[fn] {
			if ev.Type == "MSK" {
				msk = append(msk, ev)
			}
		}
		if len(msk) != 1 {
			t.Errorf("%s: %d MSK event source mappings, want 1", fn, len(msk))
			continue
		}
		p := msk[0].Properties
		if !slices.Equal(p.Topics, []string{topic}) || !slices.Contains(p.FunctionResponseTypes, "ReportBatchItemFailures") ||
			p.DestinationConfig.OnFailure.Destination != "kafka://"+topic+".dlq" {
			t.Errorf("%s: mapping %+v, want %s with batch item failures parked on its DLQ", fn, p, topic)
		}
	}
	// The analyzer's engine only times silent devices out when ticked.
	var schedules []string
	for _, ev := range fns["Analyzer"] {
		if ev.Type == "Schedule" || ev.Type == "ScheduleV2" {
			schedules = append(schedules, ev.Properties.Schedule)
		}
	}
	if !slices.Equal(schedules, []string{"rate(1 minute)"}) {
		t.Errorf("Analyzer schedules %q, want one rate(1 minute)", schedules)
	}
}

// binding is a function.json trigger binding.
type binding struct {
	Type, Direction, Name, Topic, Cardinality, DataType, Schedule string
	CommitOnFailure                                               *bool
}

func bindings(t *testing.T, app, fn string) []binding {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "azure", app, fn, "function.json"))
	if err != nil {
		t.Fatal(err)
	}
	var desc struct{ Bindings []binding }
	if err := json.Unmarshal(b, &desc); err != nil {
		t.Fatalf("%s/%s: %v", app, fn, err)
	}
	return desc.Bindings
}

func TestAzureFunctions(t *testing.T) {
	t.Parallel()
	for _, k := range []struct{ app, fn, topic string }{
		{"transformer", "transform", "ble.advertisements.v1"},
		{"analyzer", "analyze", "azure.ble.enriched.v1"},
	} {
		bs := bindings(t, k.app, k.fn)
		if len(bs) != 1 {
			t.Errorf("%s/%s: %d bindings, want the trigger alone", k.app, k.fn, len(bs))
			continue
		}
		b := bs[0]
		if b.Type != "kafkaTrigger" || b.Topic != k.topic || b.Cardinality != "MANY" || b.DataType != "binary" ||
			b.CommitOnFailure == nil || *b.CommitOnFailure {
			t.Errorf("%s/%s: %+v, want a binary kafkaTrigger on %s, cardinality MANY, commitOnFailure false", k.app, k.fn, b, k.topic)
		}
	}
	tick := bindings(t, "analyzer", "analyzer-tick")
	if len(tick) != 1 || tick[0].Type != "timerTrigger" || tick[0].Direction != "in" || tick[0].Schedule != "0 */1 * * * *" {
		t.Errorf("analyzer/analyzer-tick: %+v, want a timerTrigger every minute", tick)
	}
}

// TestBuildShipsEveryFunction: a function folder that build.sh does not
// copy is missing from the app the host runs.
func TestBuildShipsEveryFunction(t *testing.T) {
	t.Parallel()
	script, err := os.ReadFile(filepath.Join("..", "azure", "build.sh"))
	if err != nil {
		t.Fatal(err)
	}
	built := map[string][]string{}
	for _, m := range regexp.MustCompile(`(?m)^app ([a-z-]+)((?: [a-z-]+)+)$`).FindAllStringSubmatch(string(script), -1) {
		built[m[1]] = strings.Fields(m[2])
	}
	descs, err := filepath.Glob(filepath.Join("..", "azure", "*", "*", "function.json"))
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range descs {
		app, fn := filepath.Base(filepath.Dir(filepath.Dir(d))), filepath.Base(filepath.Dir(d))
		if !slices.Contains(built[app], fn) {
			t.Errorf("build.sh builds %s with %v, not %s", app, built[app], fn)
		}
	}
	if len(descs) < 3 {
		t.Errorf("found %d function.json files, want transform, analyze and analyzer-tick", len(descs))
	}
}
