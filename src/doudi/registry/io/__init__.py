"""Spreadsheet import and export of the household registry (台账导入导出).

- ``columns``: the one column layout shared by the template, the importer and the exporter;
- ``reader``: .xlsx / .csv bytes → header + rows of cell values;
- ``template``: the downloadable .xlsx template (data sheet, instructions, allowed values);
- ``importer``: validate every row, then write everything or nothing;
- ``exporter``: households in the user's scope, streamed in the template's layout.
"""
