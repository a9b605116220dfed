package mapper

import (
	"fmt"

	blev1 "github.com/bluestream/bluestream/gen/bluestream/ble/v1"
	"github.com/bluestream/bluestream/services/analyzer/internal/enriched"
)

// CategoryFromProto maps the contract's subject category. Unspecified and
// unknown both mean "not classified": the analyzer treats them alike.
func CategoryFromProto(c blev1.SubjectCategory) (enriched.Category, error) {
	switch c {
	case blev1.SubjectCategory_SUBJECT_CATEGORY_UNSPECIFIED, blev1.SubjectCategory_SUBJECT_CATEGORY_UNKNOWN:
		return enriched.CategoryUnknown, nil
	case blev1.SubjectCategory_SUBJECT_CATEGORY_EMPLOYEE:
		return enriched.CategoryEmployee, nil
	case blev1.SubjectCategory_SUBJECT_CATEGORY_VISITOR:
		return enriched.CategoryVisitor, nil
	case blev1.SubjectCategory_SUBJECT_CATEGORY_ASSET:
		return enriched.CategoryAsset, nil
	case blev1.SubjectCategory_SUBJECT_CATEGORY_SENSOR:
		return enriched.CategorySensor, nil
	}
	return enriched.CategoryUnknown, fmt.Errorf("unknown value %d", c)
}

// CategoryToProto is the inverse of CategoryFromProto; unknown maps to
// SUBJECT_CATEGORY_UNKNOWN, the contract's explicit "not classified".
func CategoryToProto(c enriched.Category) blev1.SubjectCategory {
	switch c {
	case enriched.CategoryEmployee:
		return blev1.SubjectCategory_SUBJECT_CATEGORY_EMPLOYEE
	case enriched.CategoryVisitor:
		return blev1.SubjectCategory_SUBJECT_CATEGORY_VISITOR
	case enriched.CategoryAsset:
		return blev1.SubjectCategory_SUBJECT_CATEGORY_ASSET
	case enriched.CategorySensor:
		return blev1.SubjectCategory_SUBJECT_CATEGORY_SENSOR
	}
	return blev1.SubjectCategory_SUBJECT_CATEGORY_UNKNOWN
}
