list --level 6EME --profile student,teacher fixtures/demo
