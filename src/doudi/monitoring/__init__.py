"""Low-income population dynamic monitoring and early warning (低收入人口动态监测预警), docs/monitoring.md."""
