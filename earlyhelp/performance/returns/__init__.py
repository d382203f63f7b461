"""The statutory and sector returns, each made from the records for a period: Ofsted's Annex A
(`annex_a`), the Standard Safeguarding Dataset (`ssd`) and the children in need census (`cin`).
Each is checked in the test suite by the sector's own tool where one exists."""
