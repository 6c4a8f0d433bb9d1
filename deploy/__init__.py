"""The app as several processes behind a load balancer: `python deploy/run.py`."""
