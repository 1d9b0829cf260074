"""The thin runner: display access, poll loop, one handler per screen kind."""
