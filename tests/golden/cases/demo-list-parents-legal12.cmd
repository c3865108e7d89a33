list --profile parent --relatives legal12 fixtures/demo
