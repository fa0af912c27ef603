"""English dates as Django writes them, with times on the 24-hour clock the French pages use:
"5:38 p.m." ends in a full stop, and a sentence ending with it got two ("at 5:38 p.m..")."""

TIME_FORMAT = "H:i"
DATETIME_FORMAT = "N j, Y, H:i"
