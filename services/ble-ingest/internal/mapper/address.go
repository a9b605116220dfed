package mapper

import (
	blev1 "github.com/bluestream/bluestream/gen/bluestream/ble/v1"
	"github.com/bluestream/bluestream/services/ble-ingest/internal/advert"
)

// randomKinds pairs the contract's random address types with the sub-type the
// address's two top bits encode (Core Spec Vol 6 Part B 1.3.2).
var randomKinds = map[blev1.AddressType]advert.RandomKind{
	blev1.AddressType_ADDRESS_TYPE_RANDOM_STATIC:         advert.RandomStatic,
	blev1.AddressType_ADDRESS_TYPE_RANDOM_RESOLVABLE:     advert.RandomResolvable,
	blev1.AddressType_ADDRESS_TYPE_RANDOM_NON_RESOLVABLE: advert.RandomNonResolvable,
}

func addressTypeToProto(ad advert.Advertisement) (blev1.AddressType, error) {
	switch ad.AddressType {
	case advert.AddressPublic:
		return blev1.AddressType_ADDRESS_TYPE_PUBLIC, nil
	case advert.AddressAnonymous:
		return blev1.AddressType_ADDRESS_TYPE_ANONYMOUS, nil
	case advert.AddressRandom:
		kind := ad.RandomKind()
		for t, k := range randomKinds {
			if k == kind {
				return t, nil
			}
		}
		return 0, fieldErr("address_type", "random address %s has the reserved top bits 0b10", ad.Address)
	}
	return 0, fieldErr("address_type", "unknown address type %d", ad.AddressType)
}

// setAddress checks the address against its type: a random type must agree with
// the address's top bits, since consumers derive rotation from them.
func setAddress(ad *advert.Advertisement, t blev1.AddressType, addr []byte) error {
	if t == blev1.AddressType_ADDRESS_TYPE_ANONYMOUS {
		if len(addr) != 0 {
			return fieldErr("address", "must be empty for an anonymous advertisement, got %d bytes", len(addr))
		}
		ad.AddressType = advert.AddressAnonymous
		return nil
	}
	kind, random := randomKinds[t]
	switch {
	case t == blev1.AddressType_ADDRESS_TYPE_PUBLIC:
		ad.AddressType = advert.AddressPublic
	case random:
		ad.AddressType = advert.AddressRandom
	default:
		return fieldErr("address_type", "unknown address type %d", int32(t))
	}
	if len(addr) != 6 {
		return fieldErr("address", "%d bytes, want 6", len(addr))
	}
	copy(ad.Address[:], addr)
	if random && ad.RandomKind() != kind {
		return fieldErr("address_type", "%v but the top bits of %s say %v", t, ad.Address, ad.RandomKind())
	}
	return nil
}
