"""Work that takes longer than a request should (the Dataladdning page's check and load of
an extract): Dash's background callbacks with its ``DiskcacheManager``.

A request only starts the job and answers at once; the job runs in a process of its own,
forked from the worker that got the request, and writes its progress and its result to a
diskcache on disk; the browser asks every half second, and whichever gunicorn worker that
request reaches reads the answer from the same disk. So no request runs into the worker's
timeout, however large the extract, and the page shows each step as it begins.

Two things are added to Dash's manager:

- The cache lives in ``data/staging/bakgrund`` (beside the uploads, made 0700: it holds what
  a preview shows, and diskcache unpickles what it reads, so nobody but the server's user may
  write there), opened on first use; an entry nobody fetched (a tab closed while its job ran)
  is forgotten after a day, as an upload is (``laddning.STAGING_HOURS``): removed when the
  next job starts.
- A job knows who asked for it. Its process has no request of its own, so the user is looked
  up in the request that starts the job (the server's session, as for every request) and
  handed to the job (``anvandare()``); the job checks the role itself.

The job's process is forked (explicitly, whatever Python's default): it inherits the
configuration and the code, and must not use the worker's database connections or session
store (``laddning.own_reader``).
"""

from __future__ import annotations

import threading

import diskcache
import multiprocess
from dash import DiskcacheManager
from dash.background_callback.managers import BaseBackgroundCallbackManager

from . import auth, laddning

FOLDER = "bakgrund"

# in a job's process: who asked for the job (looked up in the request that started it)
_anvandare: auth.User | None = None


def anvandare() -> auth.User | None:
    """In a background job: the logged-in user of the request that started it, else None."""
    return _anvandare


class Cache(diskcache.Cache):
    """A diskcache whose entries expire after a day unless told otherwise."""

    def set(self, key, value, expire=None, read=False, tag=None, retry=False):
        if expire is None:
            expire = laddning.STAGING_HOURS * 3600
        return super().set(key, value, expire=expire, read=read, tag=tag, retry=retry)


class Manager(DiskcacheManager):
    """Dash's DiskcacheManager with its cache in the staging folder, opened when first used
    (so importing the app makes no folders), and the requesting user handed to the job."""

    def __init__(self):  # DiskcacheManager's own would open a cache at once
        self.expire = None
        self._caches: dict = {}  # folder -> its cache (the folder follows the configuration)
        BaseBackgroundCallbackManager.__init__(self, None)

    @property
    def handle(self) -> Cache:
        """The cache of the configured staging folder, its folder made (0700) when the cache
        is first opened: every poll asks for it several times."""
        folder = laddning.staging_root() / FOLDER
        cache = self._caches.get(folder)
        if cache is None:
            cache = self._caches[folder] = Cache(str(laddning.private_folder(FOLDER)))
        return cache

    # the result asked for in this request (Dash asks for the result, then whether the job runs)
    _polled = threading.local()

    def get_result(self, key, job):
        self._polled.key = key
        return super().get_result(key, job)

    def job_running(self, job):
        """Whether the job still runs, or has ended after writing the result this request
        found missing. Dash looks at the result first and at the job after: a job that
        finishes between the two looks would be taken for a cancelled one, the browser
        would stop asking and never get the result. Counted as running, the next poll
        fetches it."""
        key, self._polled.key = getattr(self._polled, "key", None), None
        return super().job_running(job) or (key is not None and self.result_ready(key))

    def make_job_fn(self, fn, progress, key=None):
        # Dash builds each job function when the callback is registered, around the cache;
        # ours opens the cache in the job instead
        def job_fn(*args):
            return DiskcacheManager.make_job_fn(self, fn, progress, key)(*args)

        return job_fn

    def call_job_fn(self, key, job_fn, args, context):
        from . import web_auth

        user = web_auth.current_user()  # in the request: the server's session decides
        self.handle.expire()  # results nobody fetched within a day are forgotten now

        def job(*a):
            global _anvandare
            _anvandare = user
            job_fn(*a)

        process = multiprocess.get_context("fork").Process(
            target=job, args=(key, self._make_progress_key(key), args, context))
        process.start()
        return process.pid
