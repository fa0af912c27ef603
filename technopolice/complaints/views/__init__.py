"""The complaints pages, one module per audience:

- ``campaigns``: the list and a campaign's page (and staff's preview of a draft);
- ``signing``: what happens when the signing form is posted;
- ``links``: the links sent by email (confirm, withdraw, "not me");
- ``signatory``: a signatory's own page, reached from a signed link in every email;
- ``mandates``: each mandate version's text, public and permanent;
- ``export``: the staff export for filing.

Links in emails show a page with one button on GET and act on POST: mail scanners that prefetch
links must not confirm nor delete anything.
"""
