package server

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"connectrpc.com/connect"

	analyzerv1 "github.com/bluestream/bluestream/gen/bluestream/analyzer/v1"
	"github.com/bluestream/bluestream/services/analyzer/internal/alert"
	"github.com/bluestream/bluestream/services/analyzer/internal/mapper"
)

// defaultAlertPage is the page size when the request names none.
const defaultAlertPage = 100

// ListAlerts implements analyzerv1connect.AnalyzerServiceHandler. Alerts
// come newest first; resolved ones are those still in the alert history.
func (s *Server) ListAlerts(_ context.Context, req *connect.Request[analyzerv1.ListAlertsRequest]) (*connect.Response[analyzerv1.ListAlertsResponse], error) {
	device := req.Msg.GetDevicePseudonym()
	var all []*analyzerv1.Alert
	for _, a := range s.Engine.OpenAlerts() {
		if device == "" || a.DeviceID == device {
			all = append(all, mapper.Alert(a, s.zoneOf(a.DeviceID)))
		}
	}
	if req.Msg.GetIncludeResolved() {
		entries, _, _ := s.Engine.AlertsSince(0, 0)
		for _, e := range entries {
			if e.Event.Type == alert.Resolved && (device == "" || e.Event.Alert.DeviceID == device) {
				all = append(all, mapper.ResolvedAlert(e.Event, s.zoneOf(e.Event.Alert.DeviceID)))
			}
		}
	}
	slices.SortFunc(all, newestFirst)

	start := 0
	if tok := req.Msg.GetPageToken(); tok != "" {
		cursor, err := decodeToken(tok)
		if err != nil {
			return nil, invalid("page_token", err)
		}
		after, err := parseAlertCursor(cursor)
		if err != nil {
			return nil, invalid("page_token", err)
		}
		start, _ = slices.BinarySearchFunc(all, after, func(a, b *analyzerv1.Alert) int { return newestFirst(a, b) })
		if start < len(all) && newestFirst(all[start], after) == 0 {
			start++
		}
	}
	size := int(req.Msg.GetPageSize())
	if size == 0 {
		size = defaultAlertPage
	}
	res := &analyzerv1.ListAlertsResponse{}
	rest := all[start:]
	if len(rest) > size {
		rest = rest[:size]
		last := rest[size-1]
		res.NextPageToken = encodeToken(strconv.FormatInt(last.GetRaisedAt().AsTime().UnixNano(), 10) + "/" + last.GetAlertId())
	}
	res.Alerts = rest
	return connect.NewResponse(res), nil
}

// newestFirst orders by raise time, newest first, then by id.
func newestFirst(a, b *analyzerv1.Alert) int {
	ta, tb := a.GetRaisedAt().AsTime(), b.GetRaisedAt().AsTime()
	if c := tb.Compare(ta); c != 0 {
		return c
	}
	return strings.Compare(a.GetAlertId(), b.GetAlertId())
}

// parseAlertCursor reads "<raised_at unix nanos>/<alert id>" back into an
// alert that sorts where the previous page ended.
func parseAlertCursor(cursor string) (*analyzerv1.Alert, error) {
	nanos, id, ok := strings.Cut(cursor, "/")
	n, err := strconv.ParseInt(nanos, 10, 64)
	if !ok || err != nil || id == "" {
		return nil, fmt.Errorf("%w", errBadToken)
	}
	return mapper.Alert(alert.Alert{ID: id, RaisedAt: unixNano(n)}, ""), nil
}

func unixNano(n int64) time.Time { return time.Unix(0, n).UTC() }
