"""信息公开: public pages per county and township, no login, no personal data beyond what the notice rules allow."""
