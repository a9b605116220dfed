package service_test

import (
	"strings"
	"testing"

	"github.com/bluestream/bluestream/platform/app"
	"github.com/bluestream/bluestream/services/ble-ingest/service"
)

func noEnv(string) (string, bool) { return "", false }

func TestInvalidSettingsNameTheFlag(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct{ arg, flag string }{
		{"--simulate-fleet=0", "simulate-fleet"},
		{"--source-batch-size=0", "source-batch-size"},
		{"--replay-speed=-1", "replay-speed"},
	} {
		err := app.Run(t.Context(), "ble-ingest", []string{tt.arg}, service.New(), app.Options{Env: noEnv})
		if err == nil || !strings.Contains(err.Error(), "--"+tt.flag) {
			t.Errorf("%s: %v, want an error naming --%s", tt.arg, err, tt.flag)
		}
	}
}
