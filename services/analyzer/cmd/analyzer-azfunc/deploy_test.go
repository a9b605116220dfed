package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
)

// TestFunctionFoldersMatchTheRoutes: the host posts to /<folder name> with
// the trigger's data under its binding name, so deploy/azure/analyzer must
// name the functions and bindings this handler serves.
func TestFunctionFoldersMatchTheRoutes(t *testing.T) {
	t.Parallel()
	for _, fn := range []struct{ folder, binding, trigger string }{
		{function, binding, "kafkaTrigger"},
		{tickFunction, tickBinding, "timerTrigger"},
	} {
		b, err := os.ReadFile(filepath.Join("..", "..", "..", "..", "deploy", "azure", "analyzer", fn.folder, "function.json"))
		if err != nil {
			t.Error(err)
			continue
		}
		var desc struct {
			Bindings []struct {
				Type, Direction, Name string
			}
		}
		if err := json.Unmarshal(b, &desc); err != nil {
			t.Errorf("%s/function.json: %v", fn.folder, err)
			continue
		}
		if len(desc.Bindings) != 1 || desc.Bindings[0].Type != fn.trigger || desc.Bindings[0].Name != fn.binding || desc.Bindings[0].Direction != "in" {
			t.Errorf("%s/function.json bindings %+v, want one %s named %q", fn.folder, desc.Bindings, fn.trigger, fn.binding)
		}
	}
}
