package hci

import "github.com/bluestream/bluestream/services/ble-ingest/internal/advert"

// dataStatus is the Data_Status field of an extended report's Event_Type.
const dataStatus = advert.PropDataIncomplete | advert.PropDataTruncated

// maxPendingAdvertisers bounds the advertisers whose fragments are held at once:
// a controller sends one advertiser's fragments back to back, so more than a
// handful pending means fragments were lost, and the oldest are given up.
const maxPendingAdvertisers = 64

// fragmentKey is what the fragments of one advertisement share: the advertiser,
// its advertising set, and whether the data is advertising or scan response data.
type fragmentKey struct {
	addressType  advert.AddressType
	address      advert.Address
	sid          uint8
	scanResponse bool
}

// Reassembler joins the fragments of extended advertising reports. A
// controller splits advertising data that does not fit one HCI event into
// reports with Data_Status "incomplete, more data to come", the last one
// "complete" (or "truncated" when it gave up); consumers want one
// advertisement with all the data. A Reassembler is not safe for concurrent
// use: one per HCI event stream.
type Reassembler struct {
	pending map[fragmentKey]*advert.Advertisement
	order   []fragmentKey // oldest first, for eviction
}

// Add takes the next advertisement in event order and returns those now
// complete: none while ad is an incomplete fragment, ad itself when it was no
// fragment, and the joined advertisement when ad finished one. Advertisements
// given up for being too long or too old come back with Data_Status
// "truncated", so no received data is dropped without saying so.
func (r *Reassembler) Add(ad advert.Advertisement) []advert.Advertisement {
	if ad.EventType != advert.EventExtended {
		return []advert.Advertisement{ad}
	}
	key := keyOf(ad)
	status := ad.ExtendedProperties & dataStatus
	head, ok := r.pending[key]
	if !ok && status != advert.PropDataIncomplete {
		return []advert.Advertisement{ad}
	}
	var out []advert.Advertisement
	if !ok {
		out = r.evictFor()
		head = r.start(key, ad)
	} else {
		appendData(head, ad)
	}
	if n := len(dataOf(head)); n > advert.MaxExtendedPayload {
		setData(head, dataOf(head)[:advert.MaxExtendedPayload])
		status = advert.PropDataTruncated
	}
	if status == advert.PropDataIncomplete {
		return out
	}
	head.ExtendedProperties = head.ExtendedProperties&^dataStatus | status
	return append(out, r.finish(key))
}

// Flush gives up every pending advertisement, marked truncated: at the end of
// a capture, or when the scan stops.
func (r *Reassembler) Flush() []advert.Advertisement {
	out := make([]advert.Advertisement, 0, len(r.order))
	for len(r.order) > 0 {
		out = append(out, r.giveUp(r.order[0]))
	}
	return out
}

// Pending reports how many advertisements wait for more fragments.
func (r *Reassembler) Pending() int { return len(r.order) }

func (r *Reassembler) start(key fragmentKey, ad advert.Advertisement) *advert.Advertisement {
	if r.pending == nil {
		r.pending = map[fragmentKey]*advert.Advertisement{}
	}
	head := ad
	setData(&head, append([]byte(nil), dataOf(&ad)...))
	r.pending[key] = &head
	r.order = append(r.order, key)
	return &head
}

func (r *Reassembler) evictFor() []advert.Advertisement {
	if len(r.order) < maxPendingAdvertisers {
		return nil
	}
	return []advert.Advertisement{r.giveUp(r.order[0])}
}

func (r *Reassembler) giveUp(key fragmentKey) advert.Advertisement {
	head := r.pending[key]
	head.ExtendedProperties = head.ExtendedProperties&^dataStatus | advert.PropDataTruncated
	return r.finish(key)
}

func (r *Reassembler) finish(key fragmentKey) advert.Advertisement {
	head := r.pending[key]
	delete(r.pending, key)
	for i, k := range r.order {
		if k == key {
			r.order = append(r.order[:i], r.order[i+1:]...)
			break
		}
	}
	return *head
}

func keyOf(ad advert.Advertisement) fragmentKey {
	return fragmentKey{
		addressType: ad.AddressType, address: ad.Address, sid: ad.SID,
		scanResponse: ad.ExtendedProperties.Has(advert.PropScanResponse),
	}
}

// appendData adds a later fragment's data; the first fragment's time, RSSI and
// other fields describe the advertisement.
func appendData(head *advert.Advertisement, frag advert.Advertisement) {
	setData(head, append(dataOf(head), dataOf(&frag)...))
}

func dataOf(ad *advert.Advertisement) []byte {
	if ad.ExtendedProperties.Has(advert.PropScanResponse) {
		return ad.ScanResponse
	}
	return ad.Payload
}

func setData(ad *advert.Advertisement, data []byte) {
	if ad.ExtendedProperties.Has(advert.PropScanResponse) {
		ad.ScanResponse = data
	} else {
		ad.Payload = data
	}
}
