"""双随机、一公开: random inspected recipients and random inspectors from a recorded seed, inspection records,
corrective actions with deadlines, results published without personal data (seed 000 四(四), 004 十(三))."""
