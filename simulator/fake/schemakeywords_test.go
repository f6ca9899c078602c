package fake

import (
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestCompileKeywords(t *testing.T) {
	s, err := compileSchema([]byte(`{
		"type": ["string", "null"],
		"enum": ["a", "b"], "const": "a", "default": "b", "format": "email", "pattern": "^[ab]$",
		"minimum": 1, "exclusiveMaximum": 9, "multipleOf": 0.5,
		"minLength": 1, "maxLength": 3, "minItems": 2, "maxItems": 4,
		"anyOf": [{"type": "string"}, {"type": "integer"}],
		"allOf": [{"properties": {"x": {"type": "integer"}}, "required": ["x"]}]
	}`))
	require.NoError(t, err)
	assert.Equal(t, []string{"string", "null"}, s.types)
	assert.Len(t, s.enum, 2)
	assert.NotNil(t, s.constV)
	assert.NotNil(t, s.def)
	assert.Equal(t, "email", s.format)
	assert.Equal(t, "^[ab]$", s.patternSrc)
	assert.Equal(t, 1.0, s.min)
	assert.False(t, s.exMin)
	assert.Equal(t, 9.0, s.max)
	assert.True(t, s.exMax)
	assert.Equal(t, 0.5, s.multipleOf)
	assert.Equal(t, []int{1, 3, 2, 4}, []int{s.minLen, s.maxLen, s.minItems, s.maxItems})
	assert.Len(t, s.anyOf, 2)
	require.Len(t, s.props, 1)
	assert.Equal(t, "x", s.props[0].name)
	assert.Equal(t, []string{"x"}, s.required)
	assert.True(t, s.hasObject)
}

func TestCompileExclusiveDraft4(t *testing.T) {
	s, err := compileSchema([]byte(`{"minimum": 2, "exclusiveMinimum": true, "maximum": 5, "exclusiveMaximum": false}`))
	require.NoError(t, err)
	assert.Equal(t, []float64{2, 5}, []float64{s.min, s.max})
	assert.True(t, s.exMin)
	assert.False(t, s.exMax)
}

func TestCompileIgnoresMistypedKeywords(t *testing.T) {
	s, err := compileSchema([]byte(`{"type": 3, "properties": [], "required": "x", "items": true,
		"enum": [], "pattern": "(", "minimum": "1", "multipleOf": -2, "exclusiveMinimum": "no"}`))
	require.NoError(t, err)
	assert.Nil(t, s.types)
	assert.Nil(t, s.props)
	assert.Nil(t, s.required)
	assert.False(t, s.hasObject)
	assert.Nil(t, s.items)
	assert.Nil(t, s.enum)
	assert.Nil(t, s.pattern)
	assert.True(t, math.IsNaN(s.min))
	assert.False(t, s.exMin)
	assert.Zero(t, s.multipleOf)
}

func TestMultipleInRange(t *testing.T) {
	bounded := func(lo, hi float64) *schema {
		return &schema{min: lo, max: hi, minLen: -1, maxLen: -1, minItems: -1, maxItems: -1}
	}
	tests := []struct {
		v, m int64
		s    *schema
		want int64
	}{
		{17, 5, bounded(math.NaN(), math.NaN()), 15},
		{3, 5, bounded(10, 20), 10},
		{19, 5, bounded(10, 17), 15},
		{12, 4, bounded(10, 20), 12},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, multipleInRange(tt.v, tt.m, tt.s), "v=%d m=%d", tt.v, tt.m)
	}
}

func TestInside(t *testing.T) {
	open := &schema{exMin: true, exMax: true}
	closed := &schema{}
	assert.True(t, inside(1, 1, 2, closed))
	assert.True(t, inside(2, 1, 2, closed))
	assert.False(t, inside(1, 1, 2, open))
	assert.False(t, inside(2, 1, 2, open))
	assert.True(t, inside(1.5, 1, 2, open))
	assert.False(t, inside(3, 1, 2, closed))
}
