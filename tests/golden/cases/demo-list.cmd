list fixtures/demo
