check fixtures/demo
