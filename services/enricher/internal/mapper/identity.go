package mapper

import (
	"fmt"

	blev1 "github.com/bluestream/bluestream/gen/bluestream/ble/v1"
	registryv1 "github.com/bluestream/bluestream/gen/bluestream/registry/v1"
	"github.com/bluestream/bluestream/services/enricher/internal/identity"
	"github.com/bluestream/bluestream/services/enricher/internal/registry"
)

// identityFromProto reads a device identity; field prefixes the names in errors.
func identityFromProto(field string, id *registryv1.DeviceIdentity) (registry.Identity, error) {
	var out registry.Identity
	if id == nil {
		return out, nil
	}
	switch k := id.GetKind().(type) {
	case *registryv1.DeviceIdentity_Address:
		if len(k.Address) != 6 {
			return out, fmt.Errorf("%s.address: %d bytes, want 6", field, len(k.Address))
		}
		a := identity.Address(k.Address)
		out.Address = &a
		typ, err := addressType(field+".address_type", id.GetAddressType())
		if err != nil {
			return out, err
		}
		out.AddressType = typ
	case *registryv1.DeviceIdentity_Ibeacon:
		b, err := ibeaconFromProto(field+".ibeacon", k.Ibeacon)
		if err != nil {
			return out, err
		}
		out.IBeacon = &b
	case *registryv1.DeviceIdentity_EddystoneUid:
		e, err := eddystoneFromProto(field+".eddystone_uid", k.EddystoneUid)
		if err != nil {
			return out, err
		}
		out.Eddystone = &e
	}
	return out, nil
}

func identityToProto(id registry.Identity) *registryv1.DeviceIdentity {
	switch {
	case id.Address != nil:
		typ := blev1.AddressType_ADDRESS_TYPE_PUBLIC
		if id.AddressType == identity.AddressRandom {
			typ = blev1.AddressType_ADDRESS_TYPE_RANDOM_STATIC
		}
		return &registryv1.DeviceIdentity{Kind: &registryv1.DeviceIdentity_Address{Address: id.Address[:]}, AddressType: typ}
	case id.IBeacon != nil:
		return &registryv1.DeviceIdentity{Kind: &registryv1.DeviceIdentity_Ibeacon{Ibeacon: &blev1.IBeacon{
			Uuid: id.IBeacon.UUID[:], Major: uint32(id.IBeacon.Major), Minor: uint32(id.IBeacon.Minor)}}}
	case id.Eddystone != nil:
		return &registryv1.DeviceIdentity{Kind: &registryv1.DeviceIdentity_EddystoneUid{EddystoneUid: &blev1.EddystoneUid{
			Namespace: id.Eddystone.Namespace[:], Instance: id.Eddystone.Instance[:]}}}
	}
	return nil
}

// addressType maps the contract's address types onto the link layer's two: every
// random sub-type is "random"; the registry tells them apart by the top bits.
func addressType(field string, t blev1.AddressType) (identity.AddressType, error) {
	switch t {
	case blev1.AddressType_ADDRESS_TYPE_UNSPECIFIED, blev1.AddressType_ADDRESS_TYPE_PUBLIC:
		return identity.AddressPublic, nil
	case blev1.AddressType_ADDRESS_TYPE_RANDOM_STATIC, blev1.AddressType_ADDRESS_TYPE_RANDOM_RESOLVABLE,
		blev1.AddressType_ADDRESS_TYPE_RANDOM_NON_RESOLVABLE, blev1.AddressType_ADDRESS_TYPE_ANONYMOUS:
		return identity.AddressRandom, nil
	default:
		return 0, fmt.Errorf("%s: unknown address type %d", field, int32(t))
	}
}

func ibeaconFromProto(field string, b *blev1.IBeacon) (identity.IBeaconID, error) {
	var out identity.IBeaconID
	if len(b.GetUuid()) != 16 {
		return out, fmt.Errorf("%s.uuid: %d bytes, want 16", field, len(b.GetUuid()))
	}
	if b.GetMajor() > 0xffff || b.GetMinor() > 0xffff {
		return out, fmt.Errorf("%s: major %d / minor %d, want at most 65535", field, b.GetMajor(), b.GetMinor())
	}
	out.UUID = [16]byte(b.GetUuid())
	out.Major, out.Minor = uint16(b.GetMajor()), uint16(b.GetMinor())
	return out, nil
}

func eddystoneFromProto(field string, e *blev1.EddystoneUid) (identity.EddystoneUID, error) {
	var out identity.EddystoneUID
	if len(e.GetNamespace()) != 10 || len(e.GetInstance()) != 6 {
		return out, fmt.Errorf("%s: namespace %d and instance %d bytes, want 10 and 6", field, len(e.GetNamespace()), len(e.GetInstance()))
	}
	out.Namespace, out.Instance = [10]byte(e.GetNamespace()), [6]byte(e.GetInstance())
	return out, nil
}

func irksFromProto(field string, raw [][]byte) ([]identity.IRK, error) {
	out := make([]identity.IRK, 0, len(raw))
	for i, k := range raw {
		if len(k) != 16 {
			return nil, fmt.Errorf("%s[%d]: %d bytes, want 16", field, i, len(k))
		}
		out = append(out, identity.IRK(k))
	}
	return out, nil
}

func irksToProto(irks []identity.IRK) [][]byte {
	out := make([][]byte, 0, len(irks))
	for _, k := range irks {
		out = append(out, k[:])
	}
	return out
}

// categoryFromProto maps the contract's subject category; UNKNOWN is what the
// enricher says of unregistered devices and cannot be registered.
func categoryFromProto(field string, c blev1.SubjectCategory) (registry.Category, error) {
	switch c {
	case blev1.SubjectCategory_SUBJECT_CATEGORY_EMPLOYEE:
		return registry.CategoryEmployee, nil
	case blev1.SubjectCategory_SUBJECT_CATEGORY_VISITOR:
		return registry.CategoryVisitor, nil
	case blev1.SubjectCategory_SUBJECT_CATEGORY_ASSET:
		return registry.CategoryAsset, nil
	case blev1.SubjectCategory_SUBJECT_CATEGORY_SENSOR:
		return registry.CategorySensor, nil
	default:
		return 0, fmt.Errorf("%s: %s, want employee, visitor, asset or sensor", field, c)
	}
}

func categoryToProto(c registry.Category) blev1.SubjectCategory {
	switch c {
	case registry.CategoryEmployee:
		return blev1.SubjectCategory_SUBJECT_CATEGORY_EMPLOYEE
	case registry.CategoryVisitor:
		return blev1.SubjectCategory_SUBJECT_CATEGORY_VISITOR
	case registry.CategoryAsset:
		return blev1.SubjectCategory_SUBJECT_CATEGORY_ASSET
	case registry.CategorySensor:
		return blev1.SubjectCategory_SUBJECT_CATEGORY_SENSOR
	}
	return blev1.SubjectCategory_SUBJECT_CATEGORY_UNSPECIFIED
}

// CategoryToProto maps a registry category to the contract's.
func CategoryToProto(c registry.Category) blev1.SubjectCategory { return categoryToProto(c) }
