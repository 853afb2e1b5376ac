"""Hotline and complaint tickets (阳光救助热线 / 12345 work orders): seed 002 一(三), 003, requirements §7."""
