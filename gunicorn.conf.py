"""Gunicorn settings read from the project folder (gunicorn loads ./gunicorn.conf.py by default).

The access log keeps the path, never the query string or the referrer: a search for an ID number (`?q=…`), a filter
on a name, or a referring page's query would otherwise write personal data into a log file that nobody encrypts.
"""

# remote address, time, method, path without query, protocol, status, bytes, duration (µs), user agent
access_log_format = '%(h)s %(t)s "%(m)s %(U)s %(H)s" %(s)s %(B)s %(D)s "%(a)s"'
