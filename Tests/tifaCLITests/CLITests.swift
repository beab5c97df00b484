// Every file of this target uses the shared runner and paths.
@_exported import TifaTestSupport
