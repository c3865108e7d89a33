check tests/golden/inputs
