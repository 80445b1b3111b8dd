"""GECC: the criteria as data and the evidence engine that turns the recorded events into the
figures the committee scores. Plain Python over domain objects: no Flask, no database."""
