"""ottools: the small helper package of the tours of optimal transport in imaging sciences.

Modules are named after the mathematics they hold, and imported explicitly::

    from ottools import data, plotting

Importing ottools changes no global state (in particular no matplotlib settings: call
``ottools.plotting.use_style()`` explicitly).
"""

__version__ = "0.1.0"
