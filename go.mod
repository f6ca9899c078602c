module github.com/flireo-sim/flireo-sim

go 1.26

require (
	github.com/brianvoe/gofakeit/v7 v7.18.1
	github.com/google/uuid v1.6.0
	github.com/stretchr/testify v1.12.1
)

require go.yaml.in/yaml/v3 v3.0.5 // indirect
