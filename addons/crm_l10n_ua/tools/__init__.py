from . import edrpou
