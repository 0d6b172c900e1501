"""Background jobs: enqueue on RQ (queue "kinerja") or run in-process when there is no Redis.

Jobs take ids and plain values, never ORM objects, run inside an app context (the worker in
``kinerja.jobs.worker`` pushes one), and are idempotent: running one twice does no harm.
"""
