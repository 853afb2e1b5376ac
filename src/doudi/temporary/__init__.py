"""Temporary assistance (临时救助): the emergency and expenditure workflows plugged into the case workflow, staged
payments, case-conference minutes, and the township reserve fund (备用金) that pays advance aid first."""
