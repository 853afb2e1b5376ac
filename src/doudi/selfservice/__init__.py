"""The applicant's own pages (指尖办、一部手机办): apply for one's own household, upload materials, sign the
verification authorisation, follow each case in plain words and read every answer in one list (一门反馈)."""
