"""Caseworker screens for the case workflow (mobile-first; Chinese), one module per part of the work. Views parse
input, call selectors/services, and turn ``DomainError`` into a message; nothing else. The applicant's own pages
are the ``selfservice`` app."""
