package server

import (
	"fmt"

	transformerv1 "github.com/bluestream/bluestream/gen/bluestream/transformer/v1"
	"github.com/bluestream/bluestream/services/transformer/internal/decode"
	"github.com/bluestream/bluestream/services/transformer/internal/plugin"
)

// Builtins describes the built-in decoders in the API's terms.
func Builtins() []*transformerv1.Decoder {
	var out []*transformerv1.Decoder
	for _, d := range decode.Builtins() {
		pd := &transformerv1.Decoder{Name: d.Name, Kind: "builtin"}
		for _, id := range d.CompanyIDs {
			pd.CompanyIds = append(pd.CompanyIds, uint32(id))
		}
		for _, u := range d.ServiceUUIDs {
			pd.ServiceUuids = append(pd.ServiceUuids, fmt.Sprintf("%04x", u))
		}
		out = append(out, pd)
	}
	return out
}

// pluginDecoders describes loaded plugins in the API's terms.
func pluginDecoders(ms []plugin.Manifest) []*transformerv1.Decoder {
	out := make([]*transformerv1.Decoder, 0, len(ms))
	for _, m := range ms {
		d := &transformerv1.Decoder{Name: m.Name, Kind: "plugin", ServiceUuids: m.ServiceUUIDs}
		for _, id := range m.CompanyIDs {
			d.CompanyIds = append(d.CompanyIds, uint32(id))
		}
		out = append(out, d)
	}
	return out
}
