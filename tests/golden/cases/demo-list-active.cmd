list --state active fixtures/demo
