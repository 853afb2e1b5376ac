"""The relatives register (近亲属备案, S1 Art 11, 20; national-rules §8.2): caseworkers' and village-committee
members' close relatives, by ID number. The case workflow reads matches from it when it accepts an application."""
