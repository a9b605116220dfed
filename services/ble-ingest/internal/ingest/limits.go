package ingest

import "github.com/bluestream/bluestream/services/ble-ingest/internal/advert"

// adOverhead approximates the bytes an advertisement takes in memory besides its
// payloads: fixed fields, slice headers and the encoded record around it.
const adOverhead = 96

// batchBytes is what a batch costs against Config.MaxInFlightBytes.
func batchBytes(ads []advert.Advertisement) int64 {
	var n int64
	for _, ad := range ads {
		n += int64(adOverhead + len(ad.GatewayID) + len(ad.Payload) + len(ad.ScanResponse))
	}
	return n
}

// maxBatchBytes is the most one valid batch can cost, so the byte limit must be
// at least this or a valid batch could never be taken.
const maxBatchBytes = MaxBatch * (adOverhead + 128 + 2*advert.MaxExtendedPayload)
