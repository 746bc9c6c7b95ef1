"""Signals that let lower packages announce learner progress without
importing the packages that react to it (dependencies point one way).

A route sends the signal after its service call and before its single
commit; receivers only flush. Receivers are connected by `create_app`.
"""
from blinker import Namespace

_signals = Namespace()

# Something that can change a trainee's wave completion happened:
# kwargs user_id, now. (Module completed, quiz passed, exercise approved,
# attendance recorded.)
learner_progressed = _signals.signal("learner-progressed")

# A trainee newly met a wave's completion rule (recorded by lms.completion):
# kwargs user_id, wave_id, now. Certificates are issued from here.
wave_completed = _signals.signal("wave-completed")
